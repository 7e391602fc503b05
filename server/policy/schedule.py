"""When the service's maintenance jobs run: GC daily, warning e-mails hourly, scrub weekly.

Several service processes may share one database; each job has a lease in the `jobs` table so
only one of them runs it at a time, and a process that died mid-run gives the job back when its
lease runs out. Runs are spaced from when the previous one started, so the rhythm does not drift
by how long a run takes; a failed run is retried sooner than its full period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

RETRY_AFTER_FAILURE = timedelta(hours=1)


@dataclass(frozen=True)
class JobSpec:
    name: str
    every: timedelta
    lease: timedelta  # longer than a run can take: after it another process may take over


GC = JobSpec("gc", every=timedelta(days=1), lease=timedelta(hours=6))
NOTIFY = JobSpec("notify", every=timedelta(hours=1), lease=timedelta(hours=1))
SCRUB = JobSpec("scrub", every=timedelta(days=7), lease=timedelta(days=1))
JOBS = (GC, NOTIFY, SCRUB)


@dataclass(frozen=True)
class JobState:
    """What the `jobs` table says about one job (all None before its first run)."""

    running_until: datetime | None = None
    last_started_at: datetime | None = None
    last_ok: bool | None = None


def is_due(spec: JobSpec, state: JobState, now: datetime) -> bool:
    if state.running_until is not None and now < state.running_until:
        return False  # another process holds the lease
    if state.last_started_at is None:
        return True
    wait = spec.every if state.last_ok else min(spec.every, RETRY_AFTER_FAILURE)
    return now >= state.last_started_at + wait


def next_run(spec: JobSpec, state: JobState) -> datetime | None:
    """When the job becomes due (None: due now or never ran)."""
    if state.last_started_at is None:
        return None
    wait = spec.every if state.last_ok else min(spec.every, RETRY_AFTER_FAILURE)
    due = state.last_started_at + wait
    if state.running_until is not None and state.running_until > due:
        return state.running_until
    return due
