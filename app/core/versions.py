"""A file's history across snapshots: each distinct content once, with the first snapshot holding it.

Backups record in the index where a path got new content; from the first snapshot made with an
empty files cache on (`versions_base_seq`) that history is complete, and each recorded version is
confirmed in the oldest listed snapshot that holds it. Older snapshots (before the base, e.g. after
an index rebuild on a new PC) are walked instead; unchanged folders share tree ids, so the walk
reads each distinct folder once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.errors import IntegrityError, NotFound
from app.core.safepath import split_path
from app.core.tree import Node, NodeType

if TYPE_CHECKING:
    from app.core.repository import Repository, SnapshotInfo


def file_versions(repo: Repository, path: str) -> list[tuple[SnapshotInfo, Node]]:
    parts = split_path(path)
    if not parts:
        raise NotFound("versions are kept for files, not for the whole backup")
    snaps = repo.snapshots()
    base_text = repo.index.get_meta("versions_base_seq")
    base = int(base_text) if base_text is not None else None
    memo: dict[tuple[bytes, int], Node | None] = {}

    def lookup(snapshot: SnapshotInfo) -> Node | None:
        return _find(repo, snapshot.record.root, parts, 0, memo)

    found: list[tuple[SnapshotInfo, Node]] = []
    walked = [s for s in snaps if base is None or s.seq < base]
    for snap in walked:
        _consider(found, snap, lookup(snap))
    if base is not None:
        recorded = [seq for _, seq in repo.index.versions_of("/".join(parts))]
        later = [s for s in snaps if s.seq >= base]
        for i, start in enumerate(recorded):
            end = recorded[i + 1] if i + 1 < len(recorded) else None
            holder = next(
                (s for s in later if s.seq >= start and (end is None or s.seq < end)), None
            )
            if holder is not None:
                _consider(found, holder, lookup(holder))
    return found


def _consider(
    found: list[tuple[SnapshotInfo, Node]], snap: SnapshotInfo, node: Node | None
) -> None:
    if node is None or node.type is NodeType.DIR:
        return
    if found and _same(found[-1][1], node):
        return
    found.append((snap, node))


def _same(a: Node, b: Node) -> bool:
    return (a.type, a.size, a.chunks, a.target) == (b.type, b.size, b.chunks, b.target)


def _find(
    repo: Repository,
    tree: bytes,
    parts: list[str],
    depth: int,
    memo: dict[tuple[bytes, int], Node | None],
) -> Node | None:
    key = (tree, depth)
    if key in memo:
        return memo[key]
    try:
        node = repo.read_tree(tree, "/".join(parts[:depth])).get(parts[depth])
    except (IntegrityError, NotFound):
        node = None
    if node is not None and depth + 1 < len(parts):
        sub = node.subtree if node.type is NodeType.DIR else None
        node = _find(repo, sub, parts, depth + 1, memo) if sub is not None else None
    memo[key] = node
    return node
