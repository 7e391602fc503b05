"""The `jobs` table: taking a job's lease before a run and recording how the run went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.db.engine import Database
from server.db.models import Job
from server.policy.schedule import JobSpec, JobState, is_due


def claim(db: Database, spec: JobSpec, now: datetime) -> bool:
    """Take the job's lease when it is due; False when it is not due or another process has it."""
    try:
        with db.write() as session:
            job = session.get(Job, spec.name, with_for_update=True)
            if job is None:
                job = Job(name=spec.name)
                session.add(job)
            state = JobState(job.running_until, job.last_started_at, job.last_ok)
            if not is_due(spec, state, now):
                return False
            job.running_until, job.last_started_at, job.last_ok = now + spec.lease, now, None
            return True
    except IntegrityError:  # two processes inserted the first row at once: the other one won
        return False


def finish(db: Database, spec: JobSpec, now: datetime, ok: bool, summary: str) -> None:
    with db.write() as session:
        job = session.get(Job, spec.name, with_for_update=True)
        if job is None:
            job = Job(name=spec.name, last_started_at=now)
            session.add(job)
        job.running_until = None
        job.last_finished_at, job.last_ok, job.last_summary = now, ok, summary[:500]


def record(db: Database, spec: JobSpec, started: datetime, ok: bool, summary: str) -> None:
    """A run made outside the scheduler (an admin command at the real time)."""
    with db.write() as session:
        job = session.get(Job, spec.name, with_for_update=True)
        if job is None:
            job = Job(name=spec.name)
            session.add(job)
        if job.running_until is None:
            job.last_started_at = started
        job.last_finished_at, job.last_ok, job.last_summary = started, ok, summary[:500]


def states(db: Database) -> dict[str, Job]:
    with db.read() as session:
        return {job.name: job for job in session.scalars(select(Job))}
