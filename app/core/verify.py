"""Checks that every snapshot can be restored, and (with read_data) that the stored bytes are right.

The structure check loads every listed snapshot, decodes every tree reachable from them, and checks
that every chunk they reference is in the index and that its pack is on the service and long
enough. `read_data` then downloads packs (all, or a random sample), authenticates their headers and
every blob in them, and compares them with the index. Each problem is one sentence naming the pack
and, where known, the files affected.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from app.core import index as ix
from app.core.errors import IntegrityError, KeepsakeError
from app.core.packfile import parse_pack
from app.core.progress import Cancelled, CancelToken, Events, NoEvents, Progress
from app.core.repository import Repository, SnapshotInfo
from app.core.sealing import BlobType, open_blob
from app.core.tree import NodeType

TAIL = 4  # a pack ends with its 4-byte header length after the last blob
MAX_NAMED = 3  # files named per damaged blob


@dataclass
class VerifyReport:
    errors: list[str] = field(default_factory=list)
    packs_checked: int = 0
    blobs_checked: int = 0
    snapshots_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def verify(
    repo: Repository,
    *,
    read_data: bool = False,
    sample_pct: float | None = None,
    events: Events | None = None,
    cancel: CancelToken | None = None,
    threads: int = 2,
) -> VerifyReport:
    events = events or NoEvents()
    report = VerifyReport()
    snaps = _snapshots(repo, report)
    needed = _structure(repo, snaps, report, events, cancel)
    stored = repo.packs.list_packs()
    for pack_id, (end, where) in sorted(needed.items()):
        size = stored.get(pack_id)
        if size is None:
            report.errors.append(f"pack {pack_id} is missing on the service (needed by {where})")
        elif size < end + TAIL:
            report.errors.append(f"pack {pack_id} is truncated (needed by {where})")
    report.packs_checked = len(needed)
    if read_data:
        candidates = sorted(
            {r.pack_id for r in repo.index.packs(ix.COMMITTED, ix.REMOVED)} | set(needed)
        )
        candidates = [p for p in candidates if p in stored]
        if sample_pct is not None and candidates:
            k = max(1, math.ceil(len(candidates) * max(0.0, min(sample_pct, 100.0)) / 100))
            candidates = sorted(random.sample(candidates, k))
        _read_packs(repo, snaps, candidates, report, events, cancel, threads)
    return report


def _snapshots(repo: Repository, report: VerifyReport) -> list[SnapshotInfo]:
    try:
        return repo.snapshots()
    except KeepsakeError as exc:
        report.errors.append(str(exc))
    try:
        return repo.snapshots(check_chain=False)
    except KeepsakeError as exc:
        report.errors.append(str(exc))
        return []


def _structure(
    repo: Repository,
    snaps: list[SnapshotInfo],
    report: VerifyReport,
    events: Events,
    cancel: CancelToken | None,
) -> dict[str, tuple[int, str]]:
    """Walk every tree once; returns pack -> (end of the last referenced blob, a user of it)."""
    needed: dict[str, tuple[int, str]] = {}
    seen: set[bytes] = set()
    checked = 0

    def need(blob_id: bytes, where: str, blob_type: BlobType) -> bool:
        loc = repo.index.lookup(blob_id)
        if loc is None or loc.blob_type != blob_type:
            report.errors.append(f"{where}: a {blob_type.name.lower()} blob is not in the index")
            return False
        end = loc.offset + loc.length
        if end > needed.get(loc.pack_id, (0, ""))[0]:
            needed[loc.pack_id] = (end, where)
        return True

    for snap in snaps:
        report.snapshots_checked += 1
        stack = [(snap.record.root, f"snapshot #{snap.seq}")]
        while stack:
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            tree_id, where = stack.pop()
            if tree_id in seen:
                continue
            seen.add(tree_id)
            if not need(tree_id, where, BlobType.TREE):
                continue
            try:
                tree = repo.read_tree(tree_id, where)
            except KeepsakeError as exc:
                report.errors.append(str(exc))
                continue
            for node in tree.nodes:
                path = f"{where}/{node.name}" if not where.startswith("snapshot #") else node.name
                if node.type is NodeType.DIR and node.subtree is not None:
                    stack.append((node.subtree, path))
                elif node.type is NodeType.FILE:
                    for chunk in node.chunks:
                        checked += need(chunk, path, BlobType.DATA)
            events.progress(
                Progress("verifying", report.snapshots_checked, len(snaps), 0, 0, where)
            )
    report.blobs_checked = checked + len(seen)
    return needed


def _read_packs(
    repo: Repository,
    snaps: list[SnapshotInfo],
    packs: list[str],
    report: VerifyReport,
    events: Events,
    cancel: CancelToken | None,
    threads: int,
) -> None:
    bad: dict[bytes, str] = {}

    def check(pack_id: str) -> tuple[list[str], int, dict[bytes, str]]:
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        errors: list[str] = []
        damaged: dict[bytes, str] = {}
        try:
            data = repo.packs.get_pack(pack_id)
            entries = parse_pack(repo.subkeys, pack_id, data)
        except KeepsakeError as exc:
            for blob in repo.index.pack_blobs(pack_id):
                damaged[blob.blob_id] = f"pack {pack_id}: {exc}"
            return [str(exc)], 0, damaged
        view = memoryview(data)
        in_pack = {e.blob_id: e for e in entries}
        for e in entries:
            try:
                open_blob(
                    repo.subkeys,
                    e.blob_type,
                    e.blob_id,
                    view[e.offset : e.offset + e.length],
                    what=f"pack {pack_id}",
                )
            except IntegrityError as exc:
                damaged[e.blob_id] = str(exc)
        for blob in repo.index.pack_blobs(pack_id):
            found = in_pack.get(blob.blob_id)
            if found is None or (found.offset, found.length) != (blob.offset, blob.length):
                damaged[blob.blob_id] = (
                    f"pack {pack_id} does not hold a blob where the index says it is"
                )
        return errors, len(entries), damaged

    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="keepsake-verify") as pool:
        for n, (errors, count, damaged) in enumerate(pool.map(check, packs), start=1):
            report.errors.extend(errors)
            report.blobs_checked += count
            bad.update(damaged)
            events.progress(Progress("verifying", n, len(packs), 0, 0, None))
    report.packs_checked = max(report.packs_checked, len(packs))
    users = _users(repo, snaps, set(bad))
    for blob_id, message in sorted(bad.items(), key=lambda kv: kv[1]):
        names = users.get(blob_id)
        suffix = f" (used by {', '.join(names)})" if names else ""
        report.errors.append(f"{message}{suffix}")


def _users(
    repo: Repository, snaps: Iterable[SnapshotInfo], bad: set[bytes]
) -> dict[bytes, list[str]]:
    """Which files (or folders, for trees) use the damaged blobs: a few names each."""
    users: dict[bytes, list[str]] = {}
    if not bad:
        return users
    seen: set[bytes] = set()
    for snap in snaps:
        stack = [(snap.record.root, "")]
        while stack:
            tree_id, where = stack.pop()
            if tree_id in seen:
                continue
            seen.add(tree_id)
            if tree_id in bad:
                users.setdefault(tree_id, []).append(where or f"snapshot #{snap.seq}")
                continue
            try:
                tree = repo.read_tree(tree_id, where)
            except KeepsakeError:
                continue
            for node in tree.nodes:
                path = f"{where}/{node.name}" if where else node.name
                if node.type is NodeType.DIR and node.subtree is not None:
                    stack.append((node.subtree, path))
                for chunk in node.chunks:
                    names = users.setdefault(chunk, []) if chunk in bad else None
                    if names is not None and len(names) < MAX_NAMED and path not in names:
                        names.append(path)
    return users
