"""Browsing and restoring snapshots for the restore wizard: one open connection per session,
folders listed one at a time (a 20,000-file snapshot is never loaded whole), versions of a path,
name search, and restoring a mixed selection grouped by snapshot."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.connect import Connection
from app.core.errors import NotFound
from app.core.progress import Cancelled, CancelToken, Events, NoEvents
from app.core.restore import Conflict, restore
from app.core.tree import Node, NodeType


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    seq: int
    time: datetime
    device: str
    folders: dict[str, str]  # label -> original absolute path


@dataclass(frozen=True)
class Entry:
    """One row of the restore tree: `path` is the snapshot path ("Documents/taxes/2024.pdf")."""

    path: str
    name: str
    kind: str  # "file", "dir", "symlink"
    size: int
    mtime: datetime | None
    deleted: bool = False  # not in the chosen snapshot; `snapshot_id` is where it was last seen
    snapshot_id: str = ""

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"


@dataclass(frozen=True)
class Version:
    snapshot_id: str
    time: datetime
    size: int
    mtime: datetime | None


@dataclass(frozen=True)
class RestoreItem:
    snapshot_id: str
    path: str


@dataclass(frozen=True)
class RestoreOutcome:
    files_restored: int
    bytes_written: int
    skipped: tuple[tuple[str, str], ...]  # (snapshot path, why it was left alone)
    failures: tuple[tuple[str, str], ...]  # (snapshot path, why)
    cancelled: bool


class RestoreSession:
    """One open connection for the restore wizard. Calls are serialised (one index connection);
    folders are listed one at a time, so a 20,000-file snapshot is never loaded whole."""

    def __init__(self, open_connection: Callable[[], Connection]) -> None:
        self._open = open_connection
        self._conn: Connection | None = None
        self._lock = threading.RLock()
        self._snapshots: dict[str, Any] = {}

    def _repo(self) -> Any:
        if self._conn is None:
            self._conn = self._open()
        return self._conn.repo

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def snapshots(self) -> list[Snapshot]:
        with self._lock:
            infos = self._repo().snapshots()
            self._snapshots = {s.snapshot_id: s for s in infos}
            return [_snapshot(s) for s in infos]

    def _info(self, snapshot_id: str) -> Any:
        if snapshot_id not in self._snapshots:
            self.snapshots()
        try:
            return self._snapshots[snapshot_id]
        except KeyError:
            raise NotFound(f"snapshot {snapshot_id[:8]} is not on the service") from None

    def ls(self, snapshot_id: str, path: str, *, include_deleted: bool = False) -> list[Entry]:
        """One folder of one snapshot; with `include_deleted`, also what older snapshots had
        there and this one does not (newest such version first wins)."""
        with self._lock:
            info = self._info(snapshot_id)
            rows = [_entry(path, n, snapshot_id) for n in self._repo().ls(info, path)]
            if not include_deleted:
                return rows
            present = {e.name for e in rows}
            older = [s for s in self._snapshots.values() if s.seq < info.seq]
            for other in sorted(older, key=lambda s: s.seq, reverse=True):
                try:
                    nodes = self._repo().ls(other, path)
                except NotFound:
                    continue
                for node in nodes:
                    if node.name not in present:
                        present.add(node.name)
                        rows.append(_entry(path, node, other.snapshot_id, deleted=True))
            return sorted(rows, key=lambda e: (not e.is_dir, e.name.lower()))

    def versions(self, path: str) -> list[Version]:
        with self._lock:
            found = self._repo().versions(path)
            return [
                Version(s.snapshot_id, _parse_time(s.time), n.size, _ns_time(n.mtime_ns))
                for s, n in found
            ]

    def search(
        self, snapshot_id: str, text: str, *, limit: int = 500, cancel: CancelToken | None = None
    ) -> list[Entry]:
        """Names containing `text` (case-insensitive), walking the snapshot on this worker."""
        needle = text.casefold()
        found: list[Entry] = []
        with self._lock:
            info = self._info(snapshot_id)
            stack = [""]
            while stack and len(found) < limit:
                if cancel is not None and cancel.cancelled:
                    break
                folder = stack.pop()
                for node in self._repo().ls(info, folder):
                    entry = _entry(folder, node, snapshot_id)
                    if needle in node.name.casefold():
                        found.append(entry)
                    if entry.is_dir:
                        stack.append(entry.path)
        return found[:limit]

    def restore(
        self,
        items: list[RestoreItem],
        target: Path | None,
        conflict: str,
        *,
        events: Events | None = None,
        cancel: CancelToken | None = None,
    ) -> RestoreOutcome:
        """Restore the items (grouped by snapshot) to their original place (target None) or into
        `target`; `conflict` is "overwrite", "keep-both" or "skip"."""
        files = written = 0
        skipped: list[tuple[str, str]] = []
        failures: list[tuple[str, str]] = []
        cancelled = False
        by_snapshot: dict[str, list[str]] = {}
        for item in items:
            by_snapshot.setdefault(item.snapshot_id, []).append(item.path)
        if target is not None:
            target.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for snapshot_id, paths in by_snapshot.items():
                info = self._info(snapshot_id)
                try:
                    result = restore(
                        self._repo(),
                        info,
                        paths,
                        target,
                        conflict=Conflict(conflict),
                        events=events or NoEvents(),
                        cancel=cancel or CancelToken(),
                    )
                except Cancelled:
                    cancelled = True
                    break
                files += result.files_restored
                written += result.bytes_written
                skipped.extend(_pairs(result.skipped))
                failures.extend(_pairs(result.failures))
        return RestoreOutcome(files, written, tuple(skipped), tuple(failures), cancelled)


def _pairs(rows: Any) -> list[tuple[str, str]]:
    """(path, reason) rows; a bare path gets an empty reason."""
    return [(row, "") if isinstance(row, str) else (str(row[0]), str(row[1])) for row in rows]


def _snapshot(info: Any) -> Snapshot:
    return Snapshot(
        info.snapshot_id,
        info.seq,
        _parse_time(info.time),
        str(info.record.device),
        dict(info.record.folders),
    )


def _entry(folder: str, node: Node, snapshot_id: str, *, deleted: bool = False) -> Entry:
    kind = {NodeType.FILE: "file", NodeType.DIR: "dir", NodeType.SYMLINK: "symlink"}[node.type]
    path = f"{folder}/{node.name}" if folder else node.name
    return Entry(
        path, node.name, kind, node.size or 0, _ns_time(node.mtime_ns), deleted, snapshot_id
    )


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _ns_time(ns: int | None) -> datetime | None:
    return datetime.fromtimestamp(ns / 1e9, UTC) if ns else None
