"""Decides what the protector does next: run a backup (and which), probe a lock, or wait.

A pure state machine over times passed in (wall clock for the daily slot and pauses, monotonic
clock for waits and back-off), so tests drive weeks of scheduling in milliseconds. Runs never
overlap: requests that arrive while one runs are merged into a single pending request that runs
after it. An interrupted run (pause, stop, offline, lock) goes back into the pending request, so
it continues later; the engine skips packs that were already uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, tzinfo
from enum import StrEnum
from pathlib import Path

from app.protect.schedule import backoff_delay, daily_due, next_daily_slot, slept

# A locked subscription is asked about again this often (a cheap account-status call), besides
# at start-up, on "Back up now" and when settings change: the times its state may have changed.
LOCK_PROBE_SECONDS = 3600.0
# Files that could not be read are tried again after this long.
UNREADABLE_RETRY_SECONDS = 300.0
# After waking from sleep the network needs a moment; retries due during sleep wait this long.
WAKE_SETTLE_SECONDS = 5.0
OFFLINE_CAP = 900.0
ERROR_CAP = 3600.0


@dataclass(frozen=True)
class RunRequest:
    """A full scan, or only the folders that changed (`dirs`) and new/moved folders (`trees`)."""

    full: bool
    dirs: frozenset[Path] = frozenset()
    trees: frozenset[Path] = frozenset()
    reasons: frozenset[str] = frozenset()

    @classmethod
    def full_scan(cls, reason: str) -> RunRequest:
        return cls(full=True, reasons=frozenset({reason}))

    @classmethod
    def changes(cls, dirs: frozenset[Path], trees: frozenset[Path], reason: str) -> RunRequest:
        return cls(full=False, dirs=dirs, trees=trees, reasons=frozenset({reason}))

    def merge(self, other: RunRequest | None) -> RunRequest:
        if other is None:
            return self
        full = self.full or other.full
        return RunRequest(
            full=full,
            dirs=frozenset() if full else self.dirs | other.dirs,
            trees=frozenset() if full else self.trees | other.trees,
            reasons=self.reasons | other.reasons,
        )


class OutcomeKind(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"  # paused or stopping: continue later
    OFFLINE = "offline"  # the service could not be reached: back off
    LOCKED = "locked"  # HTTP 402: wait until the subscription may have changed
    FAILED = "failed"  # anything else: back off longer


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    retry_later: RunRequest | None = None  # unreadable files, tried again after a while


@dataclass(frozen=True)
class Run:
    request: RunRequest


@dataclass(frozen=True)
class ProbeLock:
    pass


@dataclass(frozen=True)
class Wait:
    seconds: float | None  # None: until something happens


Decision = Run | ProbeLock | Wait


@dataclass
class Planner:
    daily: time
    tz: tzinfo | None = None
    last_full_scan: datetime | None = None
    locked: bool = False
    paused: bool = False
    paused_until: datetime | None = None
    blocked: str | None = None  # "on battery power", "on a metered connection"
    pending: RunRequest | None = None
    running: RunRequest | None = None
    attempts: int = 0
    retry_at: float | None = None
    lock_probe_at: float | None = None
    override: bool = False  # the person asked: one attempt despite back-off or a lock
    later: list[tuple[float, RunRequest]] = field(default_factory=list)
    # Where the watcher cannot tell when it lost events (see `watcher.silent_losses`), a full
    # scan this often bounds how long a missed change can go unprotected (None: daily only).
    rescan_every: float | None = None
    last_full_mono: float | None = None
    _prev: tuple[datetime, float] | None = None

    # Inputs ------------------------------------------------------------------------------

    def request(self, req: RunRequest) -> None:
        self.pending = req.merge(self.pending)

    def manual(self) -> None:
        """ "Back up now": a full scan, tried at once even when backing off or locked."""
        self.request(RunRequest.full_scan("back up now"))
        self.override = True

    def pause(self, until: datetime | None) -> None:
        self.paused, self.paused_until = True, until

    def resume(self) -> None:
        self.paused, self.paused_until = False, None

    def probe_lock_soon(self, mono: float) -> None:
        """Something happened that may have changed the subscription (settings, start-up)."""
        if self.locked:
            self.lock_probe_at = mono

    def lock_probed(self, still_locked: bool, mono: float) -> None:
        if still_locked:
            self.lock_probe_at = mono + LOCK_PROBE_SECONDS
        else:
            self.locked, self.lock_probe_at = False, None

    def start(self, req: RunRequest) -> None:
        self.running, self.pending, self.override = req, None, False

    def finished(self, outcome: Outcome, started: datetime, mono: float) -> None:
        """Record how the run that `start` began ended; `started` is its wall-clock start."""
        req, self.running = self.running, None
        if outcome.retry_later is not None:
            self.later.append((mono + UNREADABLE_RETRY_SECONDS, outcome.retry_later))
        if outcome.kind is OutcomeKind.DONE:
            self.attempts, self.retry_at = 0, None
            self.locked, self.lock_probe_at = False, None
            if req is not None and req.full:
                self.last_full_scan, self.last_full_mono = started, mono
            return
        if req is not None:
            self.request(req)
        if outcome.kind is OutcomeKind.OFFLINE:
            self.attempts += 1
            self.retry_at = mono + backoff_delay(self.attempts, cap=OFFLINE_CAP)
        elif outcome.kind is OutcomeKind.FAILED:
            self.attempts += 1
            self.retry_at = mono + backoff_delay(self.attempts, base=30.0, cap=ERROR_CAP)
        elif outcome.kind is OutcomeKind.LOCKED:
            self.locked = True
            self.lock_probe_at = mono + LOCK_PROBE_SECONDS

    # Decision ----------------------------------------------------------------------------

    def decide(self, now: datetime, mono: float) -> Decision:
        """What to do now. Call only while no run is in progress."""
        self._notice_sleep(now, mono)
        if self.paused and self.paused_until is not None and now >= self.paused_until:
            self.resume()
        due_later = [req for at, req in self.later if at <= mono]
        if due_later:
            self.later = [(at, req) for at, req in self.later if at > mono]
            for req in due_later:
                self.request(req)
        if daily_due(now, self.daily, self.tz, self.last_full_scan):
            self.request(RunRequest.full_scan("daily"))

        waits = [(next_daily_slot(now, self.daily, self.tz) - now).total_seconds()]
        waits += [at - mono for at, _ in self.later]
        if self.rescan_every is not None and self.last_full_mono is not None:
            rescan_at = self.last_full_mono + self.rescan_every
            if mono >= rescan_at:
                self.request(RunRequest.full_scan("safety rescan"))
            else:
                waits.append(rescan_at - mono)
        if self.paused:
            if self.paused_until is not None:
                waits.append((self.paused_until - now).total_seconds())
            return Wait(max(0.0, min(waits)))
        if self.blocked is not None:
            return Wait(max(0.0, min(waits)))
        if self.pending is None:
            return Wait(max(0.0, min(waits)))
        if self.locked and not self.override:
            if self.lock_probe_at is not None and mono >= self.lock_probe_at:
                return ProbeLock()
            if self.lock_probe_at is not None:
                waits.append(self.lock_probe_at - mono)
            return Wait(max(0.0, min(waits)))
        if self.retry_at is not None and mono < self.retry_at and not self.override:
            waits.append(self.retry_at - mono)
            return Wait(max(0.0, min(waits)))
        return Run(self.pending)

    def _notice_sleep(self, now: datetime, mono: float) -> None:
        # The daily rule catches a missed run by itself; retries due during sleep go soon.
        woke = self._prev is not None and slept(self._prev[0], self._prev[1], now, mono)
        if woke and self.retry_at is not None:
            self.retry_at = min(self.retry_at, mono + WAKE_SETTLE_SECONDS)
        self._prev = (now, mono)
