"""The planner, driven through days in milliseconds: daily, wake-up, coalescing, back-off, lock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from app.protect.planner import (
    LOCK_PROBE_SECONDS,
    UNREADABLE_RETRY_SECONDS,
    Outcome,
    OutcomeKind,
    Planner,
    ProbeLock,
    Run,
    RunRequest,
    Wait,
)

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, 08:00 UTC
DOCS = Path("/d/Docs")


class Sim:
    """A planner with a wall clock and a monotonic clock that can drift apart (sleep)."""

    def __init__(self, daily: time = time(12, 0)) -> None:
        self.planner = Planner(daily=daily, tz=UTC)
        self.now = START
        self.mono = 0.0
        self.runs: list[RunRequest] = []

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds

    def sleep(self, seconds: float) -> None:
        """The PC sleeps: wall time passes, monotonic time does not."""
        self.now += timedelta(seconds=seconds)

    def step(self, outcome: OutcomeKind = OutcomeKind.DONE, retry: RunRequest | None = None):  # type: ignore[no-untyped-def]
        """Decide once; a run is started and finished at once with `outcome`."""
        decision = self.planner.decide(self.now, self.mono)
        if isinstance(decision, Run):
            self.planner.start(decision.request)
            self.runs.append(decision.request)
            self.planner.finished(Outcome(outcome, retry), self.now, self.mono)
        return decision

    def run_for(self, seconds: float, every: float = 60.0) -> None:
        end = self.mono + seconds
        while self.mono < end:
            self.step()
            self.advance(every)


def test_start_up_runs_a_full_scan_then_waits_for_the_daily_slot() -> None:
    sim = Sim()
    sim.planner.request(RunRequest.full_scan("start-up"))
    assert isinstance(sim.step(), Run)
    decision = sim.step()
    assert isinstance(decision, Wait)
    assert decision.seconds == 4 * 3600  # 08:00 -> 12:00


def test_one_daily_full_scan_per_day_for_a_week() -> None:
    sim = Sim()
    sim.planner.request(RunRequest.full_scan("start-up"))
    sim.run_for(7 * 24 * 3600)
    full = [r for r in sim.runs if r.full]
    assert len(full) == 1 + 7  # start-up, then 12:00 every day
    assert all("daily" in r.reasons for r in full[1:])


def test_the_daily_run_is_caught_up_after_sleeping_through_it() -> None:
    sim = Sim()
    sim.planner.request(RunRequest.full_scan("start-up"))
    sim.step()
    sim.advance(3 * 3600)  # 11:00
    assert isinstance(sim.step(), Wait)
    sim.sleep(6 * 3600)  # asleep from 11:00 to 17:00: the 12:00 run was missed
    decision = sim.step()
    assert isinstance(decision, Run) and "daily" in decision.request.reasons
    sim.advance(60)
    assert isinstance(sim.step(), Wait)  # and only once


def test_pc_off_for_days_catches_up_with_one_run() -> None:
    sim = Sim()
    sim.planner.request(RunRequest.full_scan("start-up"))
    sim.step()
    sim.sleep(3 * 24 * 3600)
    assert isinstance(sim.step(), Run)
    assert isinstance(sim.step(), Wait)
    assert len(sim.runs) == 2


def test_requests_during_a_run_are_coalesced_into_one_next_run() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.changes(frozenset({DOCS}), frozenset(), "changes"))
    first = p.decide(START, 0.0)
    assert isinstance(first, Run)
    p.start(first.request)
    for i in range(5):  # while it runs: more changes and several "Back up now"
        p.request(RunRequest.changes(frozenset({DOCS / str(i)}), frozenset(), "changes"))
        p.manual()
    assert p.running is not None  # never a second run in parallel: decide is not asked
    p.finished(Outcome(OutcomeKind.DONE), START, 1.0)
    second = p.decide(START, 1.0)
    assert isinstance(second, Run)
    assert second.request.full and {"changes", "back up now"} <= second.request.reasons
    p.start(second.request)
    p.finished(Outcome(OutcomeKind.DONE), START, 2.0)
    assert isinstance(p.decide(START, 2.0), Wait)


def test_incremental_requests_merge_their_folders() -> None:
    a = RunRequest.changes(frozenset({DOCS}), frozenset({DOCS / "new"}), "changes")
    b = RunRequest.changes(frozenset({DOCS / "x"}), frozenset(), "changes")
    merged = a.merge(b)
    assert not merged.full
    assert merged.dirs == {DOCS, DOCS / "x"} and merged.trees == {DOCS / "new"}
    assert a.merge(RunRequest.full_scan("daily")).dirs == frozenset()


def test_pause_holds_runs_and_an_interrupted_run_continues_after_resume() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    req = RunRequest.changes(frozenset({DOCS}), frozenset(), "changes")
    p.request(req)
    run = p.decide(START, 0.0)
    assert isinstance(run, Run)
    p.start(run.request)
    p.pause(None)
    p.finished(Outcome(OutcomeKind.CANCELLED), START, 1.0)
    assert isinstance(p.decide(START + timedelta(days=3), 1.0), Wait)
    p.resume()
    again = p.decide(START + timedelta(days=3), 2.0)
    assert isinstance(again, Run)
    assert req.dirs <= again.request.dirs or again.request.full


def test_a_timed_pause_ends_by_itself() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.pause(START + timedelta(hours=1))
    p.request(RunRequest.changes(frozenset({DOCS}), frozenset(), "changes"))
    waiting = p.decide(START, 0.0)
    assert isinstance(waiting, Wait) and waiting.seconds == 3600
    assert isinstance(p.decide(START + timedelta(minutes=59), 59 * 60.0), Wait)
    assert isinstance(p.decide(START + timedelta(hours=1), 3600.0), Run)
    assert not p.paused


def test_offline_backs_off_exponentially_and_back_up_now_tries_at_once() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.changes(frozenset({DOCS}), frozenset(), "changes"))
    mono, waits = 0.0, []
    for _ in range(6):
        decision = p.decide(START, mono)
        while isinstance(decision, Wait):
            assert decision.seconds is not None
            waits.append(decision.seconds)
            mono += decision.seconds
            decision = p.decide(START, mono)
        assert isinstance(decision, Run)
        p.start(decision.request)
        p.finished(Outcome(OutcomeKind.OFFLINE), START, mono)
    assert p.attempts == 6
    assert all(later >= earlier * 0.9 for earlier, later in itertools.pairwise(waits))
    assert waits[-1] > waits[0] * 4
    p.manual()
    assert isinstance(p.decide(START, mono), Run)  # the person asked: no waiting


def test_success_resets_the_back_off() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.full_scan("x"))
    run = p.decide(START, 0.0)
    assert isinstance(run, Run)
    p.start(run.request)
    p.finished(Outcome(OutcomeKind.FAILED), START, 0.0)
    assert p.retry_at is not None and p.retry_at >= 15.0
    p.manual()
    run = p.decide(START, 1.0)
    assert isinstance(run, Run)
    p.start(run.request)
    p.finished(Outcome(OutcomeKind.DONE), START, 1.0)
    assert p.attempts == 0 and p.retry_at is None and p.pending is None


def test_retries_due_during_sleep_happen_soon_after_waking() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.full_scan("x"))
    for _ in range(8):  # a long outage: the next retry is far away
        p.start(p.pending or RunRequest.full_scan("x"))
        p.finished(Outcome(OutcomeKind.OFFLINE), START, 0.0)
    assert p.retry_at is not None and p.retry_at > 200
    p.decide(START, 1.0)
    assert isinstance(p.decide(START + timedelta(hours=8), 2.0), Wait)  # woke up: short wait
    assert isinstance(p.decide(START + timedelta(hours=8, seconds=6), 8.0), Run)


def test_a_lock_stops_runs_until_a_probe_or_the_person_says_otherwise() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.changes(frozenset({DOCS}), frozenset(), "changes"))
    run = p.decide(START, 0.0)
    assert isinstance(run, Run)
    p.start(run.request)
    p.finished(Outcome(OutcomeKind.LOCKED), START, 0.0)
    assert p.locked
    p.request(RunRequest.changes(frozenset({DOCS / "more"}), frozenset(), "changes"))
    waiting = p.decide(START, 10.0)
    assert isinstance(waiting, Wait)
    assert waiting.seconds is not None and waiting.seconds <= LOCK_PROBE_SECONDS
    assert isinstance(p.decide(START, LOCK_PROBE_SECONDS), ProbeLock)
    p.lock_probed(True, LOCK_PROBE_SECONDS)
    assert isinstance(p.decide(START, LOCK_PROBE_SECONDS + 1), Wait)
    p.lock_probed(False, LOCK_PROBE_SECONDS + 2)
    run = p.decide(START, LOCK_PROBE_SECONDS + 2)
    assert isinstance(run, Run) and DOCS in run.request.dirs and DOCS / "more" in run.request.dirs


def test_back_up_now_tries_once_while_locked() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START, locked=True)
    p.lock_probe_at = 1e9
    assert isinstance(p.decide(START, 0.0), Wait)
    p.manual()
    run = p.decide(START, 0.0)
    assert isinstance(run, Run)
    p.start(run.request)
    p.finished(Outcome(OutcomeKind.LOCKED), START, 0.0)
    assert isinstance(p.decide(START, 1.0), Wait)  # no second try without a reason


def test_settings_change_or_start_up_probes_a_lock_soon() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START, locked=True)
    p.request(RunRequest.full_scan("start-up"))
    p.probe_lock_soon(5.0)
    assert isinstance(p.decide(START, 5.0), ProbeLock)


def test_unreadable_files_are_tried_again_later() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.full_scan("x"))
    run = p.decide(START, 0.0)
    assert isinstance(run, Run)
    p.start(run.request)
    retry = RunRequest.changes(frozenset({DOCS}), frozenset(), "retry unreadable")
    p.finished(Outcome(OutcomeKind.DONE, retry), START, 0.0)
    waiting = p.decide(START, 1.0)
    assert isinstance(waiting, Wait) and waiting.seconds == UNREADABLE_RETRY_SECONDS - 1.0
    again = p.decide(START, UNREADABLE_RETRY_SECONDS)
    assert isinstance(again, Run) and again.request.reasons == {"retry unreadable"}


def test_blocked_uploads_wait_without_losing_the_request() -> None:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=START)
    p.request(RunRequest.full_scan("x"))
    p.blocked = "on battery power"
    assert isinstance(p.decide(START, 0.0), Wait)
    p.blocked = None
    assert isinstance(p.decide(START, 1.0), Run)


def test_full_scan_time_is_the_runs_start() -> None:
    p = Planner(daily=time(12, 0), tz=UTC)
    run = p.decide(START, 0.0)
    assert isinstance(run, Run) and run.request.full  # never scanned: due at once
    p.start(run.request)
    p.finished(Outcome(OutcomeKind.DONE), START, 0.0)
    assert p.last_full_scan == START


def test_where_lost_events_go_unnoticed_a_full_scan_runs_every_hour() -> None:
    sim = Sim()
    sim.planner.rescan_every = 3600.0
    sim.planner.request(RunRequest.full_scan("start-up"))
    assert isinstance(sim.step(), Run)
    sim.advance(600)
    sim.planner.request(RunRequest.changes(frozenset({DOCS}), frozenset(), "watcher"))
    assert isinstance(sim.step(), Run)  # an incremental run does not reset the hour
    waiting = sim.step()
    assert isinstance(waiting, Wait) and waiting.seconds == 3000.0
    sim.advance(3000)
    rescan = sim.step()
    assert isinstance(rescan, Run) and rescan.request.full
    assert rescan.request.reasons == {"safety rescan"}
    assert isinstance(sim.step(), Wait)  # and then not again for an hour
    sim.run_for(5 * 3600 - 60)  # 09:00 to 13:59: 10, 11, 12 (with the daily run) and 13
    assert [r.reasons for r in sim.runs[3:]] == [
        {"safety rescan"},
        {"safety rescan"},
        {"daily", "safety rescan"},
        {"safety rescan"},
    ]


def test_without_rescans_only_the_daily_scan_runs_between_changes() -> None:
    sim = Sim()
    sim.planner.request(RunRequest.full_scan("start-up"))
    sim.run_for(3 * 3600)
    assert len(sim.runs) == 1 and "start-up" in sim.runs[0].reasons


def test_only_watchers_that_hide_their_losses_get_rescans() -> None:
    from watchdog.observers.inotify import InotifyObserver
    from watchdog.observers.polling import PollingObserver

    from app.protect.watcher import silent_losses

    class WindowsApiObserver:  # stands in for the Windows and macOS observers' names
        pass

    assert not silent_losses(InotifyObserver)
    assert not silent_losses(PollingObserver)
    assert silent_losses(WindowsApiObserver)  # type: ignore[arg-type]
