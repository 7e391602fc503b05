"""Throttled holds uploads to the limit on the wire, smoothly, shared, and changeable at runtime.

Time is simulated (sleeping moves a fake clock), so ten seconds of uploading take milliseconds;
one short real-time test checks that concurrent uploads share one limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from app.storage.backend import Body, as_body
from app.storage.memory import MemoryBackend
from app.storage.throttle import BURST_SECONDS, Throttled, TokenBucket

from .conftest import FakeTime


class _Wire(MemoryBackend):
    """Records when each piece leaves (after every gate, so after the throttle's wait)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__()
        self.sent: list[tuple[float, int]] = []
        self.on_piece: Callable[[int], None] | None = None
        self._clock = clock

    def put(self, name: str, data: bytes | Body) -> None:
        def record(n: int) -> None:
            self.sent.append((self._clock(), n))
            if self.on_piece is not None:
                self.on_piece(sum(size for _, size in self.sent))

        super().put(name, as_body(data).gated(record))

    def bytes_between(self, start: float, end: float) -> int:
        return sum(n for t, n in self.sent if start <= t < end)


def _throttled(rate: float | None, fake: FakeTime) -> tuple[Throttled, _Wire]:
    wire = _Wire(fake.clock)
    bucket = TokenBucket(rate, clock=fake.clock, sleep=fake.sleep)
    return Throttled(wire, bucket=bucket), wire


def test_rate_over_ten_seconds_is_within_ten_percent(fake_time: FakeTime) -> None:
    rate = 1_000_000
    store, wire = _throttled(rate, fake_time)
    for i in range(10):
        store.put(f"pack{i}", b"\0" * 1_000_000)
    elapsed = wire.sent[-1][0]
    assert 9.0 < elapsed < 11.0
    measured = 10_000_000 / elapsed
    assert abs(measured - rate) / rate < 0.10
    assert wire.list() == {f"pack{i}": 1_000_000 for i in range(10)}


def test_every_second_after_the_first_is_within_ten_percent(fake_time: FakeTime) -> None:
    rate = 2_000_000
    store, wire = _throttled(rate, fake_time)
    store.put("big", b"\0" * 16_000_000)
    end = wire.sent[-1][0]
    start = 1.0
    while start + 1.0 <= end:
        in_window = wire.bytes_between(start, start + 1.0)
        assert abs(in_window - rate) / rate < 0.10, (start, in_window)
        start += 0.5
    # The first second may carry the small burst the bucket allows, and no more.
    assert wire.bytes_between(0.0, 1.0) <= rate * (1 + BURST_SECONDS) + 100_000


def test_pieces_are_small_so_the_rate_looks_smooth(fake_time: FakeTime) -> None:
    store, wire = _throttled(500_000, fake_time)
    store.put("pack", b"\0" * 2_000_000)
    sizes = {n for _, n in wire.sent}
    assert max(sizes) <= 500_000 * 0.1
    gaps = [b[0] - a[0] for a, b in zip(wire.sent, wire.sent[1:], strict=False)]
    assert max(gaps) <= 0.1


def test_a_new_limit_applies_to_the_rest_of_a_running_upload(fake_time: FakeTime) -> None:
    store, wire = _throttled(1_000_000, fake_time)
    changed_at: list[float] = []

    def speed_up(sent: int) -> None:
        if sent >= 3_000_000 and not changed_at:
            store.limit = 2_000_000
            changed_at.append(fake_time.clock())

    wire.on_piece = speed_up
    store.put("pack", b"\0" * 9_000_000)
    change = changed_at[0]
    before = wire.bytes_between(0.0, change) / change
    after = wire.bytes_between(change, 1e9) / (wire.sent[-1][0] - change)
    assert abs(before - 1_000_000) / 1_000_000 < 0.10
    assert abs(after - 2_000_000) / 2_000_000 < 0.10


@pytest.mark.parametrize("unlimited", [0, None])
def test_zero_or_none_means_unlimited(fake_time: FakeTime, unlimited: int | None) -> None:
    store, wire = _throttled(unlimited, fake_time)
    store.put("pack", b"\0" * 5_000_000)
    assert fake_time.sleeps == [] and fake_time.now == 0.0
    assert wire.get("pack") == b"\0" * 5_000_000
    store.limit = 1_000_000
    store.put("pack2", b"\0" * 2_000_000)
    assert fake_time.now > 1.5


def test_downloads_are_not_throttled(fake_time: FakeTime) -> None:
    store, wire = _throttled(1000, fake_time)
    wire.put("pack", b"\0" * 1_000_000)
    assert len(store.get("pack")) == 1_000_000
    assert store.list() == {"pack": 1_000_000}
    assert fake_time.sleeps == []


def test_concurrent_uploads_share_one_limit_in_real_time() -> None:
    rate = 2_000_000
    store = Throttled(MemoryBackend(), rate)
    size = 400_000
    threads = [
        threading.Thread(target=store.put, args=(f"pack{i}", b"\0" * size)) for i in range(3)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    # Three uploads through one bucket: at least (total - burst) / rate, whatever the threads do.
    floor = (3 * size - rate * BURST_SECONDS) / rate
    assert elapsed >= floor * 0.9
    assert elapsed < floor * 4 + 1.0


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(-5)
