"""What a backup keeps from the previous snapshot when it cannot read something now.

An unreadable folder, a missing protected folder (an unplugged drive) or a file that could not be
read consistently keeps its previous version instead of vanishing from the new snapshot (which
would start its retention clock). Only versions whose blobs are all still safely stored are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.errors import KeepsakeError
from app.core.repository import Repository, SnapshotInfo
from app.core.tree import Node, NodeType


class Previous:
    """Lazy access to the previous snapshot's nodes by snapshot path."""

    def __init__(
        self, repo: Repository, snapshot: SnapshotInfo | None, usable: Callable[[bytes], bool]
    ) -> None:
        self._repo = repo
        self._snapshot = snapshot
        self._usable = usable

    def keep(self, snap_path: str, name: str) -> tuple[Node, list[bytes]] | None:
        """The previous node at `snap_path` (renamed to `name`) and every blob it references,
        or None when there is none or it can no longer be referenced safely."""
        if self._snapshot is None:
            return None
        try:
            node = self._repo.find(self._snapshot, snap_path)
            refs = self._refs(node, snap_path)
        except KeepsakeError:
            return None
        if refs is None:
            return None
        return _renamed(node, name), refs

    def _refs(self, node: Node, path: str) -> list[bytes] | None:
        refs: list[bytes] = []
        stack = [(node, path)]
        while stack:
            current, where = stack.pop()
            if current.type is NodeType.FILE:
                refs.extend(current.chunks)
            elif current.type is NodeType.DIR and current.subtree is not None:
                refs.append(current.subtree)
                tree = self._repo.read_tree(current.subtree, where)
                stack.extend((child, f"{where}/{child.name}") for child in tree.nodes)
        if not all(self._usable(r) for r in refs):
            return None
        return refs


def _renamed(node: Node, name: str) -> Node:
    if node.name == name:
        return node
    return Node(
        name=name,
        type=node.type,
        mode=node.mode,
        mtime_ns=node.mtime_ns,
        size=node.size,
        chunks=node.chunks,
        subtree=node.subtree,
        target=node.target,
    )
