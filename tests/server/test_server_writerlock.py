"""SQLite's writer queue: a waiting commit goes before waiting bulk work (upload records, GC),
but bulk work is never starved for longer than its patience."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from server.db.engine import WriterLock


def wait_until(check: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.005)


def contend(lock: WriterLock, pause_before_short: float) -> list[str]:
    """Hold the lock; queue a bulk writer, then (after a pause) a short one; release."""
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with lock.hold():
            release.wait(5)

    def writer(name: str, bulk: bool) -> None:
        with lock.hold(bulk=bulk):
            order.append(name)

    first = threading.Thread(target=holder)
    first.start()
    wait_until(lambda: lock._busy)
    bulk = threading.Thread(target=writer, args=("bulk", True))
    bulk.start()
    wait_until(lambda: lock._bulk_since)
    time.sleep(pause_before_short)
    short = threading.Thread(target=writer, args=("short", False))
    short.start()
    wait_until(lambda: lock._short_waiting)
    release.set()
    for thread in (first, bulk, short):
        thread.join(5)
    return order


def test_a_waiting_commit_goes_before_waiting_bulk_work(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "k.db"))
    assert contend(lock, pause_before_short=0.0) == ["short", "bulk"]
    lock.close()


def test_bulk_work_waits_no_longer_than_its_patience(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "k.db"))
    assert contend(lock, pause_before_short=WriterLock.BULK_PATIENCE + 0.1) == ["bulk", "short"]
    lock.close()


def test_writers_exclude_each_other(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "k.db"))
    inside, overlaps = [0], [0]

    def write(bulk: bool) -> None:
        for _ in range(50):
            with lock.hold(bulk=bulk):
                inside[0] += 1
                overlaps[0] = max(overlaps[0], inside[0])
                time.sleep(0.0005)
                inside[0] -= 1

    threads = [threading.Thread(target=write, args=(i % 2 == 0,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert overlaps[0] == 1
    lock.close()
