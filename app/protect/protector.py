"""The Protector: keeps the chosen folders backed up without the person doing anything.

Threads: watchdog's (changes in, through the intake), one loop thread (decides and runs backups,
one at a time), and the state model's delivery threads (state out). Decisions are the planner's,
debouncing the intake's; this class wires them to the clock, the runner and the state, and
remembers what must survive a restart. The loop sleeps on an event anyone may set without
blocking, so no watchdog thread ever waits for the protector's lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from app.connect import Connection, connect
from app.core.clock import Clock, SystemClock
from app.core.errors import KeepsakeError, SubscriptionLocked
from app.core.progress import CancelToken
from app.core.runlock import FileLock
from app.profile import Profile
from app.protect import persisted
from app.protect.conditions import PowerAndNetwork, platform_probe, upload_blocker
from app.protect.debounce import DebouncePolicy
from app.protect.exclude import build_exclude
from app.protect.feed import StateFeed
from app.protect.folders import default_folders
from app.protect.intake import ChangeIntake
from app.protect.planner import Outcome, OutcomeKind, Planner, ProbeLock, Run, RunRequest, Wait
from app.protect.report import BackupReport, Coverage
from app.protect.runner import HELD, Ran, Runner, hold_back, retry_unreadable
from app.protect.schedule import parse_daily_time
from app.protect.state import Phase, StateModel
from app.protect.status import between_runs
from app.protect.watcher import SAFETY_RESCAN_SECONDS, silent_losses
from app.storage.throttle import TokenBucket

log = logging.getLogger(__name__)


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
        self._tz = tz
        self._threads = threads
        self._power = power or platform_probe()
        self._lock = threading.RLock()
        self._poke = threading.Event()
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
            rescan_every=SAFETY_RESCAN_SECONDS if silent_losses(observer_factory) else None,
        )
        self._coverage = Coverage()
        self._excluder = build_exclude(self._settings, profile.home)
        self._bucket = TokenBucket(self._settings.upload_limit_kib * 1024 or None)
        self._runner = Runner(profile, open_connection, self._bucket)
        self._intake = ChangeIntake(
            watch=watch,
            ignore=lambda path, is_dir: self._excluder.by_path(path, is_dir=is_dir) is not None,
            observer_factory=observer_factory,
            debounce=debounce,
            monotonic=self._clock.monotonic,
            wake=self._poke.set,
        )
        self._intake.continuous = self._settings.continuous
        self._cancel: CancelToken | None = None
        self._last: Ran | None = None
        self._report = BackupReport.empty(self._settings.folders)
        self._thread: threading.Thread | None = None
        self._stopping = False
        # One protector per profile on this PC: the app and `keepsake agent` would otherwise
        # both watch and back up the same folders into the same index.
        self._one_protector = FileLock(
            profile.home / "protect.lock",
            "Keepsake is already protecting these folders in another program on this PC "
            "(the Keepsake app or `keepsake agent`); quit it first",
        )
        self.state.update(
            last_success=self._mem.last_success, last_snapshot_id=self._mem.last_snapshot_id
        )

    # -- the public face ----------------------------------------------------------------------

    def start(self) -> None:
        """Start watching and scheduling; a full scan runs at start-up."""
        with self._lock:
            if self._thread is not None:
                return
            self._one_protector.acquire()  # AlreadyRunning: another program protects them
            try:
                self._planner.request(RunRequest.full_scan("start-up"))
                self._planner.probe_lock_soon(self._clock.monotonic())
                self._publish_waiting()
                self._thread = threading.Thread(target=self._loop, name="keepsake-protect")
                self._thread.start()
            except BaseException:
                self._one_protector.release()
                raise

    def stop(self, timeout: float = 30.0) -> None:
        """Stop cleanly: the run in progress is cancelled at its next safe point (the pack being
        uploaded is discarded, uploaded ones are kept for next time, the index stays consistent)."""
        with self._lock:
            self._stopping = True
            if self._cancel is not None:
                self._cancel.cancel()
        self._poke.set()
        self._intake.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the backup did not stop within %.0f s", timeout)
        self.state.update(phase=Phase.IDLE, current_file=None, message="Stopped")

    def back_up_now(self) -> None:
        """A full scan as soon as possible; merged with one already waiting or running."""
        with self._lock:
            self._planner.manual()
        self._poke.set()

    def pause(self, until: datetime | None) -> None:
        """Pause uploads until `until` (None: until resumed); a running backup stops and
        continues where it was after the pause."""
        with self._lock:
            self._planner.pause(until)
            self._mem.paused, self._mem.paused_until = True, until
            self._save()
            if self._cancel is not None:
                self._cancel.cancel()
            self._publish_waiting()
        self._poke.set()

    def resume(self) -> None:
        with self._lock:
            self._planner.resume()
            self._mem.paused, self._mem.paused_until = False, None
            self._save()
            self._publish_waiting()
        self._poke.set()

    def reload_settings(self) -> None:
        """Apply changed folders, exclusions, limits, daily time and continuous protection."""
        settings = self._profile.load()
        with self._lock:
            old, self._settings = self._settings, settings
            self._excluder = build_exclude(settings, self._profile.home)
            self._bucket.rate = settings.upload_limit_kib * 1024 or None
            self._planner.daily = parse_daily_time(settings.daily_time)
            self._intake.continuous = settings.continuous
            self._coverage.forget_outside(settings.folders)
            what = ("folders", "exclude_patterns", "exclude_presets", "max_file_size_mb")
            if any(getattr(settings, k) != getattr(old, k) for k in what) or (
                settings.continuous and not old.continuous  # changes went unwatched meanwhile
            ):
                self._planner.request(RunRequest.full_scan("settings changed"))
            self._planner.probe_lock_soon(self._clock.monotonic())
        self._poke.set()

    def report(self) -> BackupReport:
        """The last run and what is not covered and why (excluded, unreadable)."""
        with self._lock:
            return self._report

    def run_once(self) -> BackupReport:
        """One full backup on the calling thread (no watching); raises its error if it fails."""
        with self._lock:
            self._one_protector.acquire()
            request = RunRequest.full_scan("once")
            self._planner.start(request)
            cancel = self._cancel = CancelToken()
            if self._stopping:
                cancel.cancel()
        try:
            ran = self._execute(request, cancel)
        finally:
            self._runner.close()
            self._one_protector.release()
        if ran.error is not None:
            raise ran.error
        if ran.kind is OutcomeKind.CANCELLED:
            raise KeepsakeError("the backup was interrupted; it continues where it stopped")
        return self.report()

    # -- the loop ---------------------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while True:
                self._poke.clear()
                decision = self._decide()
                with self._lock:
                    if self._stopping:
                        return
                    if isinstance(decision, Run):
                        self._planner.start(decision.request)
                        cancel = self._cancel = CancelToken()
                    elif isinstance(decision, Wait):
                        self._publish_waiting()
                if isinstance(decision, Run):
                    self._execute(decision.request, cancel)
                elif isinstance(decision, ProbeLock):
                    self._probe_lock()
                else:
                    self._poke.wait(self._real_wait(decision))
        except Exception:
            log.exception("the protection loop failed")
            self.state.update(
                phase=Phase.ERROR,
                message="Protection stopped after an error",
                error=None,
                retry_at=None,
            )
        finally:
            self._runner.close()
            self._one_protector.release()

    def _decide(self) -> Run | ProbeLock | Wait:
        now, mono = self._clock.now(), self._clock.monotonic()
        with self._lock:
            folders = [Path(f) for f in self._settings.folders]
        due = self._intake.collect(folders, now, mono)  # outside the lock: see intake
        blocked = upload_blocker(self._settings, self._power)
        with self._lock:
            for request in due:
                self._planner.request(request)
            self._planner.blocked = blocked
            was_paused = self._planner.paused
            decision = self._planner.decide(now, mono)
            if was_paused and not self._planner.paused:  # the pause ran out
                self._mem.paused, self._mem.paused_until = False, None
                self._save()
            return decision

    def _real_wait(self, decision: Wait) -> float:
        waits = [self._tick]
        if decision.seconds is not None:
            waits.append(decision.seconds)
        deadline = self._intake.next_deadline()
        if deadline is not None:
            waits.append(deadline - self._clock.monotonic())
        return max(0.005, min(waits))

    def _execute(self, request: RunRequest, cancel: CancelToken) -> Ran:
        with self._lock:
            folders = [Path(f) for f in self._settings.folders]
            exclude = hold_back(self._excluder, self._intake.held())
            started = self._clock.now()
        self.state.update(
            phase=Phase.SCANNING,
            message="Looking for changes",
            current_file=None,
            error=None,
            retry_at=None,
        )
        if not folders:
            ran = Ran(OutcomeKind.DONE)
        else:
            feed = StateFeed(self.state, self._clock.monotonic)
            ran = self._runner.run(
                request, folders, exclude=exclude, events=feed, cancel=cancel, threads=self._threads
            )
        with self._lock:
            self._cancel = None
            self._finish(request, ran, started)
            self._publish_waiting()
        self._poke.set()
        return ran

    def _finish(self, request: RunRequest, ran: Ran, started: datetime) -> None:
        self._last = ran
        result = ran.result
        retry = retry_unreadable(result.problems, self._settings.folders) if result else None
        self._planner.finished(Outcome(ran.kind, retry), started, self._clock.monotonic())
        if ran.kind is OutcomeKind.LOCKED and isinstance(ran.error, SubscriptionLocked):
            self._mem.locked_reason = ran.error.reason
            self._mem.locked_since = ran.error.since or started.isoformat()
        elif ran.kind is OutcomeKind.DONE:
            self._mem.last_success = self._clock.now()
            self._mem.locked_reason = self._mem.locked_since = None
            if request.full:
                self._mem.last_full_scan = started
            if result is not None:
                self._mem.last_snapshot_id = result.snapshot_id
                self._report = self._coverage.record(
                    result,
                    looked_at=(request.dirs, request.trees) if ran.incremental else None,
                    hidden=HELD,
                    now=self._clock.now(),
                    folders=self._settings.folders,
                    missing=[str(f) for f in self._intake.missing()],
                )
        self._save()

    def _probe_lock(self) -> None:
        try:
            still = self._runner.account_state() != "active"
        except KeepsakeError as exc:
            log.info("could not ask the service about the subscription: %s", exc)
            still = True
        with self._lock:
            self._planner.lock_probed(still, self._clock.monotonic())
            if not still:
                self._mem.locked_reason = self._mem.locked_since = None
                self._save()

    # -- state ------------------------------------------------------------------------------------

    def _save(self) -> None:
        try:
            persisted.save(self._profile.home, self._mem)
        except OSError as exc:
            log.warning("could not remember the protection state: %s", exc)

    def _publish_waiting(self) -> None:
        """The state between runs, from the planner and the last outcome."""
        p = self._planner
        now, mono = self._clock.now(), self._clock.monotonic()
        last_error = self._last.error if self._last is not None else None
        phase, message = between_runs(
            p,
            self._last.kind if self._last is not None else None,
            last_error,
            has_folders=bool(self._settings.folders),
            settling=self._intake.settling(),
            now=now,
            mono=mono,
            tz=self._tz,
        )
        retry_at = None
        if phase in (Phase.ERROR, Phase.OFFLINE) and p.retry_at is not None:
            # Whole seconds: recomputed at every publish, it must not make an unchanged state
            # look new to the listeners each time.
            retry_at = (now + timedelta(seconds=max(0.0, p.retry_at - mono))).replace(microsecond=0)
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
            problems=self._coverage.unreadable_list() + self._intake.problems(),
            excluded_count=len(self._coverage.excluded),
            message=message,
            error=last_error if phase is Phase.ERROR else None,
            retry_at=retry_at,
        )
