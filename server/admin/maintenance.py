"""Admin commands that keep storage honest: `gc`, `scrub` and `stats`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from typing import Any

from server.clock import SystemClock
from server.domain.gc import collect
from server.domain.scrub import scrub
from server.domain.stats import service_stats

from .commands import Admin

FILE_AGE = timedelta(days=1)  # unreferenced files younger than this may be uploads in flight


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
        help="re-read every pack against its checksum; remove unreferenced leftovers",
    )
    check.set_defaults(handler=run_scrub)
    stats = commands.add_parser("stats", parents=[clock], help="service statistics (JSON)")
    stats.set_defaults(handler=run_stats)


def run_gc(admin: Admin, _args: argparse.Namespace) -> int:
    report = collect(admin.db, admin.store, admin.now)
    print(
        f"gc at {admin.now.isoformat()}: {report.packs_collected} pack(s) collected "
        f"({report.bytes_collected} bytes), {report.objects_deleted} object(s) deleted, "
        f"{report.snapshots_dropped} snapshot(s) and {report.indexes_dropped} index object(s) "
        f"dropped, {len(report.accounts_deleted)} account(s) deleted"
    )
    for account_id in report.accounts_deleted:
        print(f"deleted the data of account {account_id}")
    return 0


def run_scrub(admin: Admin, _args: argparse.Namespace) -> int:
    wall = SystemClock().now()
    report = scrub(admin.db, admin.store, admin.now, min(admin.now, wall) - FILE_AGE)
    print(
        f"scrub at {admin.now.isoformat()}: {report.packs_checked} pack(s), "
        f"{report.bytes_checked} bytes verified, {len(report.damaged)} damaged, "
        f"{report.orphans_deleted} unreferenced object(s) and {report.temporary_deleted} "
        "temporary file(s) removed"
    )
    for problem in report.damaged:
        print(f"damaged: {problem}", file=sys.stderr)
    return 1 if report.damaged else 0


def run_stats(admin: Admin, _args: argparse.Namespace) -> int:
    with admin.db.read() as session:
        print(json.dumps(service_stats(session, admin.now), indent=2))
    return 0
