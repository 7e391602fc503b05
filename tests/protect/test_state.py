"""The observable state: listeners on their own threads, never able to slow the engine."""

from __future__ import annotations

import threading
import time

from app.core.progress import Progress
from app.protect.feed import StateFeed, estimate
from app.protect.state import Phase, ProtectionState, StateModel
from tests.protect.support import wait_for


def test_a_subscriber_gets_the_current_state_then_changes() -> None:
    model = StateModel()
    seen: list[ProtectionState] = []
    unsubscribe = model.subscribe(seen.append)
    wait_for(lambda: len(seen) == 1, 5, "the current state")
    assert seen[0].phase is Phase.IDLE
    model.update(phase=Phase.SCANNING, message="Looking for changes")
    wait_for(lambda: len(seen) == 2, 5, "the change")
    assert seen[-1].phase is Phase.SCANNING and model.get().message == "Looking for changes"
    unsubscribe()


def test_callbacks_run_on_another_thread() -> None:
    model = StateModel()
    threads: list[threading.Thread] = []
    model.subscribe(lambda s: threads.append(threading.current_thread()))
    wait_for(lambda: bool(threads), 5, "a callback")
    assert threads[0] is not threading.current_thread()


def test_a_slow_subscriber_never_blocks_updates_and_sees_the_newest_state() -> None:
    model = StateModel()
    release = threading.Event()
    seen: list[int] = []

    def slow(state: ProtectionState) -> None:
        release.wait(10)
        seen.append(state.files_done)

    model.subscribe(slow)
    began = time.monotonic()
    for i in range(1, 10_001):
        model.update(files_done=i)
    assert time.monotonic() - began < 2.0  # 10 000 updates while the listener is stuck
    release.set()
    wait_for(lambda: bool(seen) and seen[-1] == 10_000, 5, "the newest state")
    assert len(seen) <= 3  # conflated: intermediate states are skipped, not queued


def test_a_failing_subscriber_does_not_stop_others_or_itself() -> None:
    model = StateModel()
    good: list[int] = []
    calls: list[int] = []

    def bad(state: ProtectionState) -> None:
        calls.append(state.files_done)
        raise RuntimeError("listener bug")

    model.subscribe(bad)
    model.subscribe(lambda s: good.append(s.files_done))
    model.update(files_done=1)
    wait_for(lambda: 1 in good and 1 in calls, 5, "both listeners")
    model.update(files_done=2)
    wait_for(lambda: 2 in calls, 5, "the failing listener again")


def test_unsubscribe_stops_delivery() -> None:
    model = StateModel()
    seen: list[int] = []
    unsubscribe = model.subscribe(lambda s: seen.append(s.files_done))
    wait_for(lambda: bool(seen), 5, "first state")
    unsubscribe()
    unsubscribe()  # idempotent
    model.update(files_done=5)
    time.sleep(0.1)
    assert 5 not in seen


def test_unchanged_updates_notify_nobody() -> None:
    model = StateModel()
    seen: list[ProtectionState] = []
    model.subscribe(seen.append)
    wait_for(lambda: bool(seen), 5, "first state")
    for _ in range(100):
        model.update(message=model.get().message)
    time.sleep(0.1)
    assert len(seen) == 1


def test_feed_maps_engine_progress_to_phases_and_eta() -> None:
    model = StateModel()
    clock = [0.0]
    feed = StateFeed(model, lambda: clock[0])
    feed.progress(Progress("scanning", 10, 100, 0, 0, "/d/a"))
    state = model.get()
    assert state.phase is Phase.SCANNING and state.eta_seconds is None
    assert state.current_file == "/d/a" and "10 files checked" in state.message
    clock[0] = 10.0
    feed.progress(Progress("scanning", 20, 100, 5_000_000, 20_000_000, "/d/big"))
    state = model.get()
    assert state.phase is Phase.UPLOADING and state.message == "Backing up 20 of 100 files"
    assert state.eta_seconds == 30.0  # 15 MB left at 0.5 MB/s
    feed.progress(Progress("committing", 100, 100, 20_000_000, 20_000_000, None))
    assert model.get().message == "Saving the snapshot"


def test_estimate_table() -> None:
    assert estimate(0, 100, 10.0) is None
    assert estimate(50, 100, 0.5) is None  # too early to say
    assert estimate(100, 100, 10.0) is None
    assert estimate(25, 100, 5.0) == 15.0
