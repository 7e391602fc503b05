"""ConcurrencyLimited never lets more than n calls run at once on the wrapped backend."""

from __future__ import annotations

import threading
import time

import pytest

from app.storage.backend import Body
from app.storage.limits import ConcurrencyLimited
from app.storage.memory import MemoryBackend


class _Probe(MemoryBackend):
    """Counts calls in flight; each call lingers a little so they overlap if allowed to."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.peak = 0
        self._count_lock = threading.Lock()

    def _enter(self) -> None:
        with self._count_lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        time.sleep(0.01)

    def _leave(self) -> None:
        with self._count_lock:
            self.in_flight -= 1

    def put(self, name: str, data: bytes | Body) -> None:
        self._enter()
        try:
            super().put(name, data)
        finally:
            self._leave()

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        self._enter()
        try:
            return super().get(name, start, length)
        finally:
            self._leave()


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_never_more_than_n_calls_in_flight(limit: int) -> None:
    probe = _Probe()
    store = ConcurrencyLimited(probe, limit)

    def work(i: int) -> None:
        for j in range(5):
            store.put(f"o{i}-{j}", b"x")
            store.get(f"o{i}-{j}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert probe.peak == limit  # reached, never exceeded
    assert len(probe.list()) == 30


def test_without_the_wrapper_the_probe_sees_overlap() -> None:
    """Guards the test above: the probe really detects concurrent calls."""
    probe = _Probe()
    threads = [threading.Thread(target=probe.put, args=(f"o{i}", b"x")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert probe.peak > 1


def test_a_failing_call_gives_its_slot_back() -> None:
    store = ConcurrencyLimited(MemoryBackend(), 1)
    for _ in range(3):
        with pytest.raises(Exception):  # noqa: B017 - ObjectMissing, the type is not the point
            store.get("absent")
    store.put("obj", b"x")
    assert store.get("obj") == b"x"


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ConcurrencyLimited(MemoryBackend(), 0)
