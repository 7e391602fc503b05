"""Runs the maintenance jobs inside the service on their schedule (GC daily, warning e-mails
hourly, scrub weekly), one thread per job so a long scrub never delays an e-mail.

Each thread wakes every `check_every` seconds, asks the database whether its job is due and takes
its lease (`domain.jobs.claim`), so with several service processes each job still runs once. The
time comes from the service's clock, so tests that move the clock move the schedule too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from server import maintenance
from server.context import Context
from server.domain import jobs
from server.policy import schedule
from server.policy.schedule import JobSpec

log = logging.getLogger("keepsake.server.jobs")


class Report(Protocol):
    def summary(self) -> str: ...


Runner = Callable[[Context, datetime], Report]
RUNNERS: dict[str, Runner] = {
    schedule.GC.name: maintenance.run_gc,
    schedule.NOTIFY.name: maintenance.run_notify,
    schedule.SCRUB.name: maintenance.run_scrub,
}


def run_once(context: Context, spec: JobSpec, runner: Runner) -> bool | None:
    """Run the job if it is due and ours to run: True/False for how it went, None if not run."""
    now = context.clock.now()
    if not jobs.claim(context.db, spec, now):
        return None
    started = time.monotonic()
    try:
        summary = runner(context, now).summary()
    except Exception as exc:
        jobs.finish(context.db, spec, context.clock.now(), False, f"failed: {type(exc).__name__}")
        log.error("job failed", extra={"job": spec.name, "error": type(exc).__name__}, exc_info=exc)
        return False
    jobs.finish(context.db, spec, context.clock.now(), True, summary)
    log.info(
        "job finished",
        extra={
            "job": spec.name,
            "summary": summary,
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )
    return True


class Scheduler:
    def __init__(self, context: Context, check_every: float = 60.0) -> None:
        self._context = context
        self._check_every = check_every
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def specs(self) -> list[JobSpec]:
        """E-mail is a job only when it is configured; the others always run."""
        wanted = [schedule.GC, schedule.SCRUB]
        if self._context.mailer_factory is not None or self._context.smtp is not None:
            wanted.insert(1, schedule.NOTIFY)
        return wanted

    def start(self) -> None:
        for spec in self.specs():
            thread = threading.Thread(
                target=self._loop, args=(spec,), name=f"job-{spec.name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the threads to stop; a job in the middle of a run finishes it (threads are daemons,
        so a very long scrub does not hold up the process's exit)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self, spec: JobSpec) -> None:
        runner = RUNNERS[spec.name]
        while not self._stop.is_set():
            try:
                run_once(self._context, spec, runner)
            except Exception as exc:  # the database was unreachable: try again next time
                log.error("job check failed", extra={"job": spec.name, "error": type(exc).__name__})
            self._stop.wait(self._check_every)
