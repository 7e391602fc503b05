"""The Protector: keeps the chosen folders backed up without the person doing anything.

Threads: watchdog's (events in), one loop thread (decides and runs backups, one at a time), and
the state model's delivery threads (state out). Every decision is the planner's, every debounce
the debouncer's; this class only wires them to the clock, the watcher, the runner and the state,
and remembers what must survive a restart.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from app.connect import Connection, connect
from app.core.clock import Clock, SystemClock
from app.core.errors import KeepsakeError, SubscriptionLocked
from app.core.progress import CancelToken
from app.profile import Profile
from app.protect import persisted
from app.protect.conditions import PowerAndNetwork, platform_probe, upload_blocker
from app.protect.debounce import DebouncePolicy, Debouncer, Signature
from app.protect.exclude import build_exclude
from app.protect.feed import StateFeed
from app.protect.folders import default_folders
from app.protect.planner import Outcome, OutcomeKind, Planner, ProbeLock, Run, RunRequest, Wait
from app.protect.report import BackupReport, Coverage
from app.protect.runner import HELD, Ran, Runner, hold_back
from app.protect.schedule import describe_until, describe_wait, parse_daily_time
from app.protect.state import Phase, Problem, StateModel
from app.protect.watcher import Watcher, file_signature
from app.storage.throttle import TokenBucket

log = logging.getLogger(__name__)

# Folders that cannot be watched are scanned this often instead (and watching is retried).
POLL_SECONDS = 600.0


class _Sink:
    """What the watcher calls (on watchdog's thread), kept off the Protector's public face."""

    def __init__(self, protector: Protector) -> None:
        self._p = protector

    def changed(
        self, path: Path, *, dirs: set[Path], trees: set[Path], new: bool, sig: Signature
    ) -> None:
        self._p._changed(path, dirs, trees, new, sig)

    def events_lost(self, why: str) -> None:
        self._p._request(RunRequest.full_scan(f"events lost ({why})"))

    def folder_gone(self, folder: Path) -> None:
        self._p._folder_gone(folder)


class Protector:
    def __init__(
        self,
        profile: Profile,
        *,
        clock: Clock | None = None,
        open_connection: Callable[[Profile], Connection] = connect,
        watch: bool = True,
        tick: float = 1.0,
        tz: tzinfo | None = None,
        debounce: DebouncePolicy | None = None,
        power: PowerAndNetwork | None = None,
        observer_factory: Callable[[], BaseObserver] = Observer,
        first_run_defaults: bool = False,
        threads: int = 2,
    ) -> None:
        """`tick` is the longest real-time wait between looks at the clock (tests that move a
        ManualClock use a small one); `tz` is the zone of the daily time (None: the system's);
        `first_run_defaults` protects Documents and Pictures when no folder was ever chosen."""
        self.state = StateModel()
        self._profile = profile
        self._clock: Clock = clock or SystemClock()
        self._tick = tick
        self._threads = threads
        self._power = power or platform_probe()
        self._cond = threading.Condition(threading.RLock())
        self._settings = profile.load()
        self._mem = persisted.load(profile.home)
        if first_run_defaults and not self._settings.folders and not self._mem.defaults_offered:
            self._settings.folders = default_folders()
            profile.save(self._settings)
        self._mem.defaults_offered = True
        self._planner = Planner(
            daily=parse_daily_time(self._settings.daily_time),
            tz=tz,
            last_full_scan=self._mem.last_full_scan,
            locked=self._mem.locked_reason is not None,
            paused=self._mem.paused,
            paused_until=self._mem.paused_until,
        )
        self._tz = tz
        self._debouncer = Debouncer(debounce)
        self._coverage = Coverage()
        self._excluder = build_exclude(self._settings, profile.home)
        self._bucket = TokenBucket(self._settings.upload_limit_kib * 1024 or None)
        self._runner = Runner(profile, open_connection, self._bucket)
        self._watcher = (
            Watcher(_Sink(self), self._ignored, observer_factory=observer_factory)
            if watch
            else None
        )
        self._missing: set[Path] = set()
        self._gone: set[Path] = set()
        self._unwatchable: dict[Path, Problem] = {}
        self._watch_retry_at = 0.0
        self._next_poll: float | None = None
        self._cancel: CancelToken | None = None
        self._last: Ran | None = None
        self._report = BackupReport.empty(self._settings.folders)
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.state.update(
            last_success=self._mem.last_success, last_snapshot_id=self._mem.last_snapshot_id
        )

    # -- the public face ----------------------------------------------------------------------

    def start(self) -> None:
        """Start watching and scheduling; a full scan runs at start-up."""
        with self._cond:
            if self._thread is not None:
                return
            self._planner.request(RunRequest.full_scan("start-up"))
            self._planner.probe_lock_soon(self._clock.monotonic())
            self._publish_waiting()
            self._thread = threading.Thread(target=self._loop, name="keepsake-protect")
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop cleanly: the run in progress is cancelled at its next safe point (the pack being
        uploaded is discarded, uploaded ones are kept for next time, the index stays consistent)."""
        with self._cond:
            self._stopping = True
            if self._cancel is not None:
                self._cancel.cancel()
            self._cond.notify_all()
        if self._watcher is not None:
            self._watcher.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the backup did not stop within %.0f s", timeout)
        self.state.update(phase=Phase.IDLE, current_file=None, message="Stopped")

    def back_up_now(self) -> None:
        """A full scan as soon as possible; merged with one already waiting or running."""
        self._with_wake(self._planner.manual)

    def pause(self, until: datetime | None) -> None:
        """Pause uploads until `until` (None: until resumed); a running backup stops and
        continues where it was after the pause."""
        with self._cond:
            self._planner.pause(until)
            self._mem.paused, self._mem.paused_until = True, until
            self._save()
            if self._cancel is not None:
                self._cancel.cancel()
            self._publish_waiting()
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._planner.resume()
            self._mem.paused, self._mem.paused_until = False, None
            self._save()
            self._publish_waiting()
            self._cond.notify_all()

    def reload_settings(self) -> None:
        """Apply changed folders, exclusions, limits and daily time."""
        settings = self._profile.load()
        with self._cond:
            old = self._settings
            self._settings = settings
            self._excluder = build_exclude(settings, self._profile.home)
            self._bucket.rate = settings.upload_limit_kib * 1024 or None
            self._planner.daily = parse_daily_time(settings.daily_time)
            self._coverage.forget_outside(settings.folders)
            if settings.folders != old.folders or (
                settings.exclude_patterns,
                settings.exclude_presets,
                settings.max_file_size_mb,
            ) != (old.exclude_patterns, old.exclude_presets, old.max_file_size_mb):
                self._planner.request(RunRequest.full_scan("settings changed"))
            self._planner.probe_lock_soon(self._clock.monotonic())
            self._cond.notify_all()

    def report(self) -> BackupReport:
        """The last run and what is not covered and why (excluded, unreadable)."""
        with self._cond:
            return self._report

    def run_once(self) -> BackupReport:
        """One full backup on the calling thread (no watching); raises its error if it fails."""
        with self._cond:
            request = RunRequest.full_scan("once")
            self._planner.start(request)
            cancel = self._cancel = CancelToken()
            if self._stopping:
                cancel.cancel()
        ran = self._execute(request, cancel)
        self._runner.close()
        if ran.error is not None:
            raise ran.error
        if ran.kind is OutcomeKind.CANCELLED:
            raise KeepsakeError(
                "the backup was interrupted; it continues where it stopped next time"
            )
        return self.report()

    # -- the loop ---------------------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while True:
                with self._cond:
                    if self._stopping:
                        return
                    decision = self._decide()
                    if isinstance(decision, Run):
                        self._planner.start(decision.request)
                        cancel = self._cancel = CancelToken()
                    elif isinstance(decision, Wait):
                        self._publish_waiting()
                        self._cond.wait(self._real_wait(decision))
                        continue
                if isinstance(decision, Run):
                    self._execute(decision.request, cancel)
                elif isinstance(decision, ProbeLock):
                    self._probe_lock()
        except Exception:
            log.exception("the protection loop failed")
            self.state.update(phase=Phase.ERROR, message="Protection stopped after an error")
        finally:
            self._runner.close()

    def _decide(self) -> Run | ProbeLock | Wait:
        now, mono = self._clock.now(), self._clock.monotonic()
        self._refresh_folders(mono)
        if self._settings.continuous and self._watcher is not None:
            batch = self._debouncer.take_ready(mono, file_signature)
            if batch:
                self._planner.request(RunRequest.changes(batch.dirs, batch.trees, "changes"))
        if self._next_poll is not None and mono >= self._next_poll:
            self._next_poll = mono + POLL_SECONDS
            self._planner.request(RunRequest.full_scan("periodic scan (watching unavailable)"))
        self._planner.blocked = upload_blocker(self._settings, self._power)
        was_paused = self._planner.paused
        decision = self._planner.decide(now, mono)
        if was_paused and not self._planner.paused:  # the pause ran out
            self._mem.paused, self._mem.paused_until = False, None
            self._save()
        return decision

    def _real_wait(self, decision: Wait) -> float:
        mono = self._clock.monotonic()
        waits = [self._tick]
        if decision.seconds is not None:
            waits.append(decision.seconds)
        deadline = self._debouncer.next_deadline()
        if deadline is not None and self._settings.continuous:
            waits.append(deadline - mono)
        return max(0.005, min(waits))

    def _execute(self, request: RunRequest, cancel: CancelToken) -> Ran:
        with self._cond:
            folders = [Path(f) for f in self._settings.folders]
            exclude = hold_back(self._excluder, self._debouncer.held())
            started = self._clock.now()
        self.state.update(phase=Phase.SCANNING, message="Looking for changes", current_file=None)
        if not folders:
            ran = Ran(OutcomeKind.DONE)
        else:
            feed = StateFeed(self.state, self._clock.monotonic)
            ran = self._runner.run(
                request,
                folders,
                exclude=exclude,
                events=feed,
                cancel=cancel,
                threads=self._threads,
            )
        with self._cond:
            self._cancel = None
            self._finish(request, ran, started)
            self._publish_waiting()
            self._cond.notify_all()
        return ran

    def _finish(self, request: RunRequest, ran: Ran, started: datetime) -> None:
        self._last = ran
        retry: RunRequest | None = None
        result = ran.result
        if result is not None:
            roots = {os.path.normpath(f) for f in self._settings.folders}
            unreadable = [p for p, _ in result.problems if os.path.normpath(p) not in roots]
            if unreadable:
                dirs = {Path(p).parent for p in unreadable} | {Path(p) for p in unreadable}
                retry = RunRequest.changes(frozenset(dirs), frozenset(), "retry unreadable")
        self._planner.finished(Outcome(ran.kind, retry), started, self._clock.monotonic())
        if ran.kind is OutcomeKind.LOCKED and isinstance(ran.error, SubscriptionLocked):
            self._mem.locked_reason = ran.error.reason
            self._mem.locked_since = ran.error.since or started.isoformat()
            self._save()
        if ran.kind is not OutcomeKind.DONE:
            return
        now = self._clock.now()
        self._mem.last_success = now
        self._mem.locked_reason = self._mem.locked_since = None
        if request.full:
            self._mem.last_full_scan = started
        if result is None:
            self._save()
            return
        self._mem.last_snapshot_id = result.snapshot_id
        self._save()
        self._coverage.fold(
            looked_at=request.dirs if ran.incremental else None,
            trees=request.trees if ran.incremental else (),
            excluded=[(p, r) for p, r in result.excluded if r != HELD],
            unreadable=result.problems,
            now=now,
        )
        self._report = BackupReport(
            finished=now,
            snapshot_id=result.snapshot_id,
            full_scan=not ran.incremental,
            folders=tuple(self._settings.folders),
            missing_folders=tuple(sorted(os.fspath(f) for f in self._missing)),
            files_new=result.files_new,
            files_changed=result.files_changed,
            files_unmodified=result.files_unmodified,
            bytes_added=result.bytes_added,
            excluded=self._coverage.excluded_list(),
            unreadable=self._coverage.unreadable_list(),
        )

    def _probe_lock(self) -> None:
        try:
            still = self._runner.account_state() != "active"
        except KeepsakeError as exc:
            log.info("could not ask the service about the subscription: %s", exc)
            still = True
        with self._cond:
            self._planner.lock_probed(still, self._clock.monotonic())
            if not still:
                self._mem.locked_reason = self._mem.locked_since = None
                self._save()

    # -- folders and the watcher ----------------------------------------------------------------

    def _refresh_folders(self, mono: float) -> None:
        folders = [Path(f) for f in self._settings.folders]
        missing = {f for f in folders if not f.is_dir()}
        back = self._missing - missing
        if back & set(folders):
            self._planner.request(RunRequest.full_scan("a folder is available again"))
        self._missing = missing
        if self._watcher is None:
            return
        if not self._settings.continuous:
            if self._watcher.watched():
                self._watcher.stop()
            return
        for folder in self._gone | missing:
            self._watcher.forget(folder)
        self._gone.clear()
        wanted = [f for f in folders if f not in missing]
        known = self._watcher.watched() | set(self._unwatchable)
        retry = bool(self._unwatchable) and mono >= self._watch_retry_at
        if set(wanted) == known and not retry:
            return
        failed = self._watcher.watch(wanted)
        now = self._clock.now()
        self._unwatchable = {
            f: self._unwatchable.get(f) or Problem(os.fspath(f), self._poll_note(why), now)
            for f, why in failed.items()
        }
        if self._unwatchable:
            self._watch_retry_at = mono + POLL_SECONDS
            if self._next_poll is None:
                self._next_poll = mono + POLL_SECONDS
        else:
            self._next_poll = None

    @staticmethod
    def _poll_note(why: str) -> str:
        minutes = round(POLL_SECONDS / 60)
        return f"{why}; changes here are picked up by a scan every {minutes} minutes"

    def _ignored(self, path: Path, is_dir: bool) -> bool:
        return self._excluder.by_path(path, is_dir=is_dir) is not None

    def _changed(
        self, path: Path, dirs: set[Path], trees: set[Path], new: bool, sig: Signature
    ) -> None:
        with self._cond:
            if not self._settings.continuous:
                return
            mono = self._clock.monotonic()
            self._debouncer.note(path, mono, dirs=dirs, trees=trees, new=new, sig=sig)
            self._cond.notify_all()

    def _request(self, request: RunRequest) -> None:
        with self._cond:
            self._planner.request(request)
            self._cond.notify_all()

    def _folder_gone(self, folder: Path) -> None:
        with self._cond:
            self._gone.add(folder)
            self._cond.notify_all()

    def _with_wake(self, action: Callable[[], None]) -> None:
        with self._cond:
            action()
            self._cond.notify_all()

    # -- state ------------------------------------------------------------------------------------

    def _save(self) -> None:
        try:
            persisted.save(self._profile.home, self._mem)
        except OSError as exc:
            log.warning("could not remember the protection state: %s", exc)

    def _publish_waiting(self) -> None:
        """The state between runs, from the planner and the last outcome."""
        now, mono = self._clock.now(), self._clock.monotonic()
        p = self._planner
        phase, message = Phase.IDLE, "Up to date"
        error = self._last.error if self._last is not None else None
        if p.paused:
            phase = Phase.PAUSED
            message = (
                f"Paused until {describe_until(p.paused_until, now, self._tz)}"
                if p.paused_until is not None
                else "Paused until you resume"
            )
        elif p.blocked is not None:
            phase, message = Phase.PAUSED, f"Waiting to upload: {p.blocked}"
        elif p.locked:
            phase = Phase.LOCKED
            message = (
                str(error)
                if isinstance(error, SubscriptionLocked)
                else ("Backups are locked by the subscription")
            )
        elif p.retry_at is not None and self._last is not None:
            wait = describe_wait(max(0.0, p.retry_at - mono))
            if self._last.kind is OutcomeKind.OFFLINE:
                phase, message = Phase.OFFLINE, f"Offline — will retry in {wait}"
            elif self._last.kind is OutcomeKind.FAILED:
                phase, message = Phase.ERROR, f"{error} — will retry in {wait}"
        elif not self._settings.folders:
            message = "No folders are chosen yet"
        elif len(self._debouncer):
            message = "Waiting for changes to settle"
        problems = tuple(self._coverage.unreadable_list()) + tuple(self._unwatchable.values())
        self.state.update(
            phase=phase,
            current_file=None,
            files_done=0,
            files_total=0,
            bytes_done=0,
            bytes_total=0,
            eta_seconds=None,
            last_success=self._mem.last_success,
            last_snapshot_id=self._mem.last_snapshot_id,
            paused_until=p.paused_until if p.paused else None,
            locked_reason=self._mem.locked_reason if p.locked else None,
            locked_since=self._mem.locked_since if p.locked else None,
            problems=problems,
            excluded_count=len(self._coverage.excluded),
            message=message,
        )
