"""Loads the folder listings (trees) a restore walks, many per request instead of one each.

Reading one tree per request made a restore of many small folders wait on thousands of round
trips. Whenever a tree is loaded, its subfolders' trees join a waiting list; when the walk asks
for a tree that is not loaded, that tree and the waiting ones are read together, grouped by
pack in coalesced ranges, so a small snapshot's trees arrive in one round per folder level. A
budget of plaintext bytes loaded ahead of the walk bounds memory on huge snapshots; the waiting
trees the walk (depth first, in name order) reaches soonest go first. Tree packs hold nothing
but trees, so the fetcher reads through gaps and keeps recent ranges, and later rounds mostly
come from bytes already here.

Every tree is authenticated and re-hashed against its id (`open_blob`) like any other blob; a
tree that cannot be read fails only its folder, named by its snapshot path.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Executor

from app.core.errors import IntegrityError, KeepsakeError
from app.core.index import BlobLocation
from app.core.repository import Repository, decode_tree
from app.core.restore_fetch import ChunkFetcher
from app.core.sealing import BlobType
from app.core.tree import Node, NodeType, Tree

AHEAD_BYTES = 8 * 1024 * 1024  # plaintext of trees loaded ahead of the walk, at most
KEEP_BYTES = 16 * 1024 * 1024  # raw tree-pack bytes kept for the next levels
TREE_GAP = 4 * 1024 * 1024  # tree packs are all trees: read through the ones not yet asked for
LOCATE_BATCH = 512


class TreeLoader:
    """The trees of one restore walk. Used from one thread (the walk)."""

    def __init__(self, repo: Repository, pool: Executor) -> None:
        self._repo = repo
        self._fetcher = ChunkFetcher(
            repo, pool, blob_type=BlobType.TREE, max_gap=TREE_GAP, keep_bytes=KEEP_BYTES
        )
        self._ready: dict[bytes, tuple[Tree | KeepsakeError, int]] = {}  # -> (tree, raw size)
        self._ready_bytes = 0
        self._waiting: dict[bytes, tuple[str, ...]] = {}  # seen, not loaded: id -> path parts
        self._refs: Counter[bytes] = Counter()  # folders seen but not walked, per tree id

    def children(self, node: Node, snap_path: str) -> list[Node]:
        """The entries of folder `node` (at `snap_path`). Raises the error that keeps this
        folder from being read."""
        tree_id = node.subtree
        if tree_id is None:
            return []
        found = self._ready.get(tree_id)
        if found is None:
            cached = self._repo.cached_tree(tree_id)
            if cached is not None:  # read before (e.g. while finding the selection)
                self._waiting.pop(tree_id, None)
                self._add(tree_id, cached, tuple(snap_path.split("/")), None)
                found = self._ready[tree_id]
            else:
                found = self._load(tree_id, snap_path)
        if self._refs[tree_id] > 1:
            self._refs[tree_id] -= 1
        else:
            self._refs.pop(tree_id, None)
            if self._ready.pop(tree_id, None) is not None:
                self._ready_bytes -= found[1]
        tree = found[0]
        if isinstance(tree, KeepsakeError):
            raise tree
        return list(tree.nodes)

    def _load(self, tree_id: bytes, snap_path: str) -> tuple[Tree | KeepsakeError, int]:
        """Read `tree_id` and the waiting trees the budget allows, in one round."""
        self._waiting.pop(tree_id, None)
        paths = {tree_id: tuple(snap_path.split("/"))}
        located, errors = self._fetcher.locate([tree_id])
        budget = AHEAD_BYTES - self._ready_bytes - sum(x.raw_length for x in located.values())
        waiting = sorted(self._waiting.items(), key=lambda item: item[1])
        for i in range(0, len(waiting) if budget > 0 else 0, LOCATE_BATCH):
            part = waiting[i : i + LOCATE_BATCH]
            more, more_errors = self._fetcher.locate(tid for tid, _ in part)
            for tid, parts in part:
                loc = more.get(tid)
                if loc is not None and loc.raw_length > budget:
                    budget = 0
                    break
                del self._waiting[tid]
                paths[tid] = parts
                if loc is None:
                    errors[tid] = more_errors[tid]
                else:
                    located[tid] = loc
                    budget -= loc.raw_length
            if budget <= 0:
                break
        fetched = self._fetcher.start_located(located.values(), errors).result()
        for tid, plain in fetched.items():
            name = f"folder {'/'.join(paths[tid])!r}"
            self._add(tid, _as_tree(plain, name), paths[tid], located.get(tid))
        return self._ready[tree_id]

    def _add(
        self,
        tree_id: bytes,
        tree: Tree | KeepsakeError,
        parts: tuple[str, ...],
        loc: BlobLocation | None,
    ) -> None:
        """A tree is ready for the walk; its subfolders' trees wait to be loaded."""
        size = loc.raw_length if loc is not None else 0
        self._ready[tree_id] = (tree, size)
        self._ready_bytes += size
        if isinstance(tree, KeepsakeError):
            return
        self._repo.remember_tree(tree_id, tree)
        for child in tree.nodes:
            if child.type is NodeType.DIR and child.subtree is not None:
                self._refs[child.subtree] += 1
                if child.subtree not in self._ready:
                    self._waiting.setdefault(child.subtree, (*parts, child.name))


def _as_tree(plain: bytes | KeepsakeError, name: str) -> Tree | KeepsakeError:
    """A fetched tree, or its error reworded to name the folder."""
    if isinstance(plain, IntegrityError):
        where = "" if plain.path == "tree" else f" ({plain.path})"
        return IntegrityError(name, f"{plain.detail}{where}")
    if isinstance(plain, KeepsakeError):
        return plain
    try:
        return decode_tree(plain, name)
    except IntegrityError as exc:
        return exc
