"""`keepsake-server admin set-release`: publish the client release that `GET /v1/updates`
announces (operator data, in the database, so every service process serves the same)."""

from __future__ import annotations

import argparse
from typing import Any

from server.clock import iso
from server.domain import releases

from .commands import Admin


def add_commands(commands: Any, clock: argparse.ArgumentParser) -> None:
    release = commands.add_parser(
        "set-release",
        parents=[clock],
        help="publish the current client release (served by GET /v1/updates)",
    )
    release.add_argument("version")
    release.add_argument("--url", required=True, help="https:// download page or installer")
    release.add_argument("--notes", help="a short summary of what changed")
    release.add_argument(
        "--platform", help="only for this platform (windows, macos, linux...); default: every one"
    )
    release.set_defaults(handler=set_release)


def set_release(admin: Admin, args: argparse.Namespace) -> int:
    with admin.db.write() as session:
        release = releases.publish(
            session, args.version, args.url, args.notes, args.platform, admin.now
        )
        where = f"platform {release.platform}" if release.platform else "every platform"
        print(f"published {release.version} for {where} at {iso(release.published_at)}")
    return 0
