"""Folders, backup, snapshots, ls, versions, restore and verify: the verbs that touch the backup."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.commands.io import emit_json, human_bytes, say, table
from app.core.errors import KeepsakeError, NotFound
from app.core.progress import NoEvents, Progress
from app.core.tree import Node, NodeType
from app.profile import Profile

if TYPE_CHECKING:
    from app.connect import Connection

ExcludeFn = Callable[[Path, os.stat_result], str | None]

# The engine and the service client are imported by the verbs that use them, not here: `folders`
# needs neither, and `backup` should not pay for loading restore and verify (start-up time).


class TerminalEvents(NoEvents):
    """Progress on one rewritten stderr line when a person is watching; problems always."""

    def __init__(self) -> None:
        self._live = sys.stderr.isatty()

    def progress(self, p: Progress) -> None:
        if self._live:
            line = (
                f"{p.phase}: {p.files_done}/{p.files_total} files, "
                f"{human_bytes(p.bytes_done)}/{human_bytes(p.bytes_total)}"
            )
            sys.stderr.write("\r" + line[:100].ljust(100))
            sys.stderr.flush()

    def problem(self, path: str, reason: str) -> None:
        if self._live:
            sys.stderr.write("\r" + " " * 100 + "\r")
        sys.stderr.write(f"warning: {path}: {reason}\n")

    def done(self) -> None:
        if self._live:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def cmd_folders(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    if args.action == "list":
        if args.json:
            emit_json(settings.folders)
        else:
            for folder in settings.folders:
                say(folder)
        return 0
    folder = str(Path(args.path).expanduser().resolve())
    if args.action == "add":
        if not os.path.isdir(folder):
            raise KeepsakeError(f"{folder} is not a folder")
        if Path(folder) == profile.home or Path(folder).is_relative_to(profile.home):
            raise KeepsakeError("Keepsake's own data folder cannot be backed up")
        if folder in settings.folders:
            say(f"{folder} is already protected.")
            return 0
        settings.folders.append(folder)
        profile.save(settings)
        say(f"Protecting {folder}.")
    else:
        if folder not in settings.folders:
            raise KeepsakeError(f"{folder} is not a protected folder")
        settings.folders.remove(folder)
        profile.save(settings)
        say(
            f"No longer protecting {folder}; its versions stay restorable for the retention period."
        )
    return 0


def _open(profile: Profile) -> Connection:
    from app.connect import connect

    return connect(profile)


def _own_data_exclude(home: Path, folders: list[str]) -> ExcludeFn | None:
    """Leaves Keepsake's own data folder out of the backup. The walker names entries by joining
    the protected folder's absolute path and the names below it, so only a folder that contains
    the data folder (or lies inside it) can produce such an entry; for the others (the usual
    case) there is nothing to check per entry at all."""
    if not any(home.is_relative_to(f) or Path(f).is_relative_to(home) for f in folders):
        return None
    own = os.path.normcase(os.fspath(home))
    inside = own.rstrip(os.sep) + os.sep

    def exclude(path: Path, st: os.stat_result) -> str | None:
        entry = os.path.normcase(os.fspath(path))
        if entry == own or entry.startswith(inside):
            return "Keepsake's own data folder"
        return None

    return exclude


def cmd_backup(profile: Profile, args: argparse.Namespace) -> int:
    from app.core.backup import backup

    conn = _open(profile)
    try:
        if not conn.settings.folders:
            raise KeepsakeError("no folders are protected yet: add one with `keepsake folders add`")
        folders = [os.path.abspath(f) for f in conn.settings.folders]
        events = TerminalEvents()
        result = backup(
            conn.repo,
            [Path(f) for f in folders],
            events=events,
            exclude=_own_data_exclude(profile.home, folders),
        )
        events.done()
    finally:
        conn.close()
    if args.json:
        emit_json(_plain(result))
        return 0
    say(
        f"Snapshot {result.snapshot_id[:8]} saved: {result.files_new} new, "
        f"{result.files_changed} changed, {result.files_unmodified} unchanged files; "
        f"{human_bytes(result.bytes_added)} uploaded in {result.duration:.1f} s."
    )
    if result.problems:
        say(f"{len(result.problems)} item(s) could not be backed up:")
        for path, reason in result.problems:
            say(f"  {path}: {reason}")
    return 0


def cmd_snapshots(profile: Profile, args: argparse.Namespace) -> int:
    conn = _open(profile)
    try:
        snaps = conn.repo.snapshots()
    finally:
        conn.close()
    rows = [
        {
            "id": s.snapshot_id,
            "seq": s.seq,
            "time": s.time,
            "device": s.record.device,
            "folders": s.record.folders,
            "counts": s.record.counts,
        }
        for s in snaps
    ]
    if args.json:
        emit_json(rows)
        return 0
    table(
        [
            (s.snapshot_id[:8], s.seq, s.time, s.record.device, ", ".join(s.record.folders))
            for s in snaps
        ],
        ["ID", "SEQ", "TIME", "DEVICE", "FOLDERS"],
    )
    return 0


def _snapshot_path(conn: Connection, folders: dict[str, str], path: str) -> str:
    """Accept an original absolute path or a snapshot path ("Documents/a.txt")."""
    if os.path.isabs(path):
        target = os.path.normpath(path)
        for label, original in folders.items():
            if target == original or target.startswith(original.rstrip(os.sep) + os.sep):
                rel = os.path.relpath(target, original)
                return label if rel == "." else f"{label}/{rel.replace(os.sep, '/')}"
        raise NotFound(f"{path} is not inside a folder of this snapshot")
    return path.strip("/")


def _node_row(path: str, node: Node) -> dict[str, Any]:
    return {
        "name": node.name,
        "path": path,
        "type": {NodeType.FILE: "file", NodeType.DIR: "dir", NodeType.SYMLINK: "symlink"}[
            node.type
        ],
        "size": node.size,
        "mtime_ns": node.mtime_ns,
        "mode": node.mode,
        "target": node.target,
    }


def cmd_ls(profile: Profile, args: argparse.Namespace) -> int:
    conn = _open(profile)
    try:
        snap = conn.repo.resolve(args.at)
        path = _snapshot_path(conn, snap.record.folders, args.path) if args.path else ""
        nodes = conn.repo.ls(snap, path)
    finally:
        conn.close()
    rows = [_node_row(f"{path}/{n.name}" if path else n.name, n) for n in nodes]
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        suffix = "/" if r["type"] == "dir" else (f" -> {r['target']}" if r["target"] else "")
        say(f"{r['type'][0]} {human_bytes(r['size']):>10}  {r['path']}{suffix}")
    return 0


def cmd_versions(profile: Profile, args: argparse.Namespace) -> int:
    conn = _open(profile)
    try:
        latest = conn.repo.resolve(None)
        path = _snapshot_path(conn, latest.record.folders, args.path)
        versions = conn.repo.versions(path)
    finally:
        conn.close()
    rows = [
        {
            "snapshot": s.snapshot_id,
            "time": s.time,
            "size": n.size,
            "mtime_ns": n.mtime_ns,
        }
        for s, n in versions
    ]
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        raise NotFound(f"no versions of {args.path} were found")
    table(
        [(s.snapshot_id[:8], s.time, human_bytes(n.size)) for s, n in versions],
        ["SNAPSHOT", "TIME", "SIZE"],
    )
    return 0


def cmd_restore(profile: Profile, args: argparse.Namespace) -> int:
    from app.core.restore import Conflict, restore

    conn = _open(profile)
    try:
        snap = conn.repo.resolve(args.at)
        paths = [_snapshot_path(conn, snap.record.folders, p) for p in args.paths]
        target = Path(args.to).expanduser().resolve() if args.to else None
        if target is not None:
            target.mkdir(parents=True, exist_ok=True)
        events = TerminalEvents()
        result = restore(
            conn.repo,
            snap,
            paths,
            target,
            conflict=Conflict(args.conflict),
            events=events,
        )
        events.done()
    finally:
        conn.close()
    if args.json:
        emit_json(_plain(result))
    else:
        say(
            f"Restored {result.files_restored} file(s), {human_bytes(result.bytes_written)} "
            f"from snapshot {snap.snapshot_id[:8]} ({snap.time})."
        )
        for path, reason in result.skipped:
            say(f"  skipped {path}: {reason}")
        for path, reason in result.failures:
            say(f"  FAILED {path}: {reason}")
    return 1 if result.failures else 0


def cmd_verify(profile: Profile, args: argparse.Namespace) -> int:
    from app.core.verify import verify

    conn = _open(profile)
    try:
        report = verify(
            conn.repo, read_data=args.read_data or args.sample is not None, sample_pct=args.sample
        )
    finally:
        conn.close()
    if args.json:
        emit_json(_plain(report))
    else:
        say(
            f"Checked {report.snapshots_checked} snapshot(s), {report.packs_checked} pack(s), "
            f"{report.blobs_checked} blob(s)."
        )
        for error in report.errors:
            say(f"  ERROR {error}")
        say("No problems found." if not report.errors else f"{len(report.errors)} problem(s).")
    return 1 if report.errors else 0
