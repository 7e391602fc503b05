"""Free memory is handed back to the OS once per `every` bytes a run is done with, not more."""

from __future__ import annotations

import sys
import threading

import pytest

from app.core import heap


def test_the_trimmer_releases_once_per_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(heap, "release_free_memory", lambda: calls.append(1) or True)
    trimmer = heap.Trimmer(every=100)
    for _ in range(9):
        trimmer.finished_with(30)  # 270 bytes: past 100 twice (at 120 and at 240)
    assert len(calls) == 2


def test_the_trimmer_counts_every_byte_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    lock = threading.Lock()

    def release() -> bool:
        with lock:
            calls.append(1)
        return True

    monkeypatch.setattr(heap, "release_free_memory", release)
    trimmer = heap.Trimmer(every=1000)

    def work() -> None:
        for _ in range(1000):
            trimmer.finished_with(1)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux's")
def test_release_reaches_glibc_on_linux() -> None:
    assert heap.release_free_memory() is True


def test_the_cycle_collector_runs_less_often_but_still_runs() -> None:
    import gc

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        heap.collect_less_often()
        young, middle, old = gc.get_threshold()
        assert young == heap.YOUNG_COLLECTION and middle >= 10 and old >= 10
        assert gc.isenabled(), "collected less often, never switched off"
        gc.set_threshold(10 * heap.YOUNG_COLLECTION, 50, 50)
        heap.collect_less_often()
        assert gc.get_threshold() == (10 * heap.YOUNG_COLLECTION, 50, 50), "never lowered"
    finally:
        gc.set_threshold(*before)
