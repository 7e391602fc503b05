"""Admin commands that keep storage honest and people informed: `gc`, `scrub`, `notify`, `stats`.

They run the same functions as the service's scheduler. A run at the real time (no `--now`) is
recorded in the jobs table, which `/healthz` shows; a run at another moment is a what-if and is
not recorded.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from server import maintenance
from server.domain import jobs
from server.domain.stats import service_stats
from server.policy import schedule
from server.policy.schedule import JobSpec

from .commands import Admin


def add_commands(commands: Any, clock: argparse.ArgumentParser) -> None:
    gc = commands.add_parser(
        "gc",
        parents=[clock],
        help="apply retention: delete expired packs, trimmed history and ended accounts' data",
    )
    gc.set_defaults(handler=run_gc)
    check = commands.add_parser(
        "scrub",
        parents=[clock],
        help="re-read every pack against its checksum, update and repair from the safety copy "
        "(--copy-storage-url), remove unreferenced leftovers",
    )
    check.set_defaults(handler=run_scrub)
    notify = commands.add_parser(
        "notify",
        parents=[clock],
        help="e-mail every dated warning not yet sent (SMTP from the config file or environment)",
    )
    notify.set_defaults(handler=run_notify)
    stats = commands.add_parser("stats", parents=[clock], help="service statistics (JSON)")
    stats.set_defaults(handler=run_stats)


def _record(admin: Admin, spec: JobSpec, ok: bool, summary: str) -> None:
    """A run that finished is a success for the schedule, whatever it found (damage is in the
    report and in `stats`)."""
    if not admin.now_given:
        jobs.record(admin.db, spec, admin.now, ok, summary)


def run_gc(admin: Admin, _args: argparse.Namespace) -> int:
    report = maintenance.run_gc(admin.context(), admin.now)
    print(f"gc at {admin.now.isoformat()}: {report.summary()}")
    for account_id in report.accounts_deleted:
        print(f"deleted the data of account {account_id}")
    _record(admin, schedule.GC, True, report.summary())
    return 0


def run_scrub(admin: Admin, _args: argparse.Namespace) -> int:
    report = maintenance.run_scrub(admin.context(), admin.now)
    print(f"scrub at {admin.now.isoformat()}: {report.summary()}")
    for repaired in report.repaired:
        print(f"repaired: {repaired}")
    for problem in report.damaged:
        print(f"damaged: {problem}", file=sys.stderr)
    _record(admin, schedule.SCRUB, True, report.summary())
    return 1 if report.damaged else 0


def run_notify(admin: Admin, _args: argparse.Namespace) -> int:
    report = maintenance.run_notify(admin.context(), admin.now)
    print(f"notify at {admin.now.isoformat()}: {report.summary()}")
    for problem in report.errors:
        print(f"not sent: {problem}", file=sys.stderr)
    _record(admin, schedule.NOTIFY, True, report.summary())
    return 1 if report.failed else 0


def run_stats(admin: Admin, _args: argparse.Namespace) -> int:
    with admin.db.read() as session:
        print(json.dumps(service_stats(session, admin.now), indent=2))
    return 0
