"""Turns a changed-folder hint into an incremental scan: which folders to list again, which
subtrees of the previous snapshot to reuse as they are.

Why: continuous protection knows which folders changed. Listing only those, and their ancestors
(whose trees must be rebuilt), makes a run cost what changed instead of one lstat per file in
every chosen folder. Every other folder keeps the previous snapshot's subtree id, unless its
mtime moved (entries were added, removed or renamed and the hint missed it): then it is listed
too. A folder named in `changed_trees` is read whole, reusing nothing below it.

Reused subtrees are never read back. The commit recomputes the pack live set from the blobs the
run staged (`backup_commit`), so an incremental run stages every blob of the packs the previous
commit kept live: a superset of what the new snapshot references. An incremental commit thus
never takes a pack out of the live set; the next full scan (at least one a day) does. That only
holds when the live set in the index is the previous snapshot's, which `refusal` checks, along
with the other reasons to scan in full instead. The files and folder caches are carried over
the same way (`IndexHistory.stage_carry_over`). Counts stay those of the whole snapshot: the
previous ones, less what the previous snapshot had where this run looked, plus what it found.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.dirlist import SubDir
from app.core.errors import IntegrityError, NotFound, ObjectMissing
from app.core.index import COMMITTED, UPLOADED
from app.core.indexhistory import LIVE_SNAPSHOT
from app.core.repository import Repository, SnapshotInfo
from app.core.tree import Node, NodeType, Tree
from app.core.treerows import Row, dir_row, node_row

__all__ = [
    "Counts",
    "DirHint",
    "FullScanNeeded",
    "Hint",
    "Marks",
    "mark",
    "refusal",
]

# Reading the previous snapshot failed in a way a full scan does not depend on.
_UNREADABLE = (IntegrityError, NotFound, ObjectMissing)


class FullScanNeeded(Exception):
    """The hint cannot be used safely; the run starts over as a full scan."""


@dataclass(frozen=True)
class Marks:
    """Absolute paths (as `os.path.normcase` gives them): folders to list again (`relist`)
    and folders to read whole (`trees`)."""

    relist: frozenset[str]
    trees: frozenset[str]


@dataclass
class Counts:
    files: int = 0
    dirs: int = 0
    symlinks: int = 0
    size: int = 0

    def add_direct(self, tree: Tree) -> None:
        """A folder's own entries: its files and links (its subfolders count themselves)."""
        for node in tree.nodes:
            if node.type is NodeType.FILE:
                self.files += 1
                self.size += node.size
            elif node.type is NodeType.SYMLINK:
                self.symlinks += 1


def refusal(repo: Repository, previous: SnapshotInfo | None, folders: dict[str, str]) -> str | None:
    """Why this run must scan in full despite a hint, or None when the hint can be used."""
    if previous is None:
        return "no previous snapshot"
    if dict(previous.record.folders) != folders:
        return "the chosen folders changed"
    if repo.index.get_meta(LIVE_SNAPSHOT) != previous.snapshot_id:
        return "the index's live set is not the previous snapshot's"
    live = repo.index.live_packs()
    if not live:
        return "no live packs recorded"
    if any(state not in (COMMITTED, UPLOADED) or p in repo.unusable_packs for p, state in live):
        return "a pack of the previous snapshot can no longer be referenced"
    return None


def mark(
    folders: Sequence[str], changed_dirs: Collection[Path], changed_trees: Collection[Path]
) -> Marks:
    """Which folders to list again: those named, those inside a changed tree, and all their
    ancestors up to the chosen folder. A named path that is not a folder (a file, or a folder
    gone since) marks its parent instead, whose entries did change; paths outside the chosen
    folders are ignored."""
    relist: set[str] = set()
    trees: set[str] = set()
    keys = [os.path.normcase(f) for f in folders]
    for paths, whole in ((changed_dirs, False), (changed_trees, True)):
        for raw in paths:
            path = os.path.normcase(os.path.abspath(os.fspath(raw)))
            for folder in keys:
                if not _inside(path, folder):
                    continue
                target = path if path == folder or _is_dir(path) else os.path.dirname(path)
                if target != path and not _inside(target, folder):
                    continue
                if whole and target == path:
                    trees.add(path)
                relist.update(_lineage(target, folder))
    return Marks(frozenset(relist), frozenset(trees))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder if folder.endswith(os.sep) else folder + os.sep)


def _is_dir(path: str) -> bool:
    """A real folder (a link to one is stored as a link and never entered)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _lineage(path: str, folder: str) -> list[str]:
    out = [path]
    while path != folder:
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
        out.append(path)
    return out


@dataclass(eq=False)
class DirHint:
    """A folder listed again, and what the previous snapshot had at its place."""

    path: str
    node: Node | None  # the previous node there, when it was a folder
    tree: Tree | None = None
    loaded: bool = False
    reused: set[str] = field(default_factory=set)  # subfolders whose subtree was reused
    children: list[tuple[str, DirHint]] = field(default_factory=list)  # listed again
    ok: bool = False  # set by the walker once it was listed


class Hint:
    """Decides, folder by folder, what to list and what to reuse; counts what it replaced."""

    def __init__(self, repo: Repository, previous: SnapshotInfo, marks: Marks) -> None:
        self._repo = repo
        self._marks = marks
        self._live = {p for p, _ in repo.index.live_packs()} - repo.unusable_packs
        self.root = DirHint("", repo.root_node(previous), ok=True)

    # -- decisions ---------------------------------------------------------------------------

    def top(self, sub: SubDir) -> Row | DirHint | None:
        """For a chosen folder (`sub.name` is its label): a reused row, a folder to list again,
        or None to read it whole."""
        _, hints, reused = self._split(self.root, [sub])
        return reused[0] if reused else hints.get(sub.path)

    def carry(self, label: str) -> Row | None:
        """A chosen folder that cannot be opened keeps its previous node, as in a full scan."""
        old = self._old(self.root, label)
        if old is None or old.type is not NodeType.DIR or old.subtree is None:
            return None
        self._require_live([old.subtree], label)
        self.root.reused.add(label)
        return node_row(old)

    def split(
        self, hint: DirHint, subdirs: list[SubDir]
    ) -> tuple[list[SubDir], dict[str, DirHint], list[Row]]:
        """A listed folder's subfolders: those to open (with their hints, when not read whole)
        and the rows of those reused."""
        hint.ok = True
        return self._split(hint, subdirs)

    def _split(
        self, parent: DirHint, subdirs: list[SubDir]
    ) -> tuple[list[SubDir], dict[str, DirHint], list[Row]]:
        to_open: list[SubDir] = []
        hints: dict[str, DirHint] = {}
        keep: list[tuple[SubDir, bytes]] = []
        for sub in subdirs:
            decision = self._decide(parent, sub)
            if isinstance(decision, bytes):
                keep.append((sub, decision))
                continue
            to_open.append(sub)
            if decision is not None:
                hints[sub.path] = decision
        self._require_live([tree_id for _, tree_id in keep], parent.path)
        parent.reused.update(sub.name for sub, _ in keep)
        reused = [dir_row(s.raw, s.st.st_mode, s.st.st_mtime_ns, t) for s, t in keep]
        return to_open, hints, reused

    def _decide(self, parent: DirHint, sub: SubDir) -> bytes | DirHint | None:
        """The previous subtree id to reuse, a hint to list the folder again, or None to read
        it whole."""
        key = os.path.normcase(sub.path)
        if key in self._marks.trees:
            return None
        old = self._old(parent, sub.name)
        if old is None or old.type is not NodeType.DIR or old.subtree is None:
            return None  # new here: nothing to reuse below
        # A folder whose mtime moved had entries added, removed or renamed: list it even when
        # the hint missed it.
        if key in self._marks.relist or old.mtime_ns != sub.st.st_mtime_ns:
            child = DirHint(sub.path, old)
            parent.children.append((sub.name, child))
            return child
        return old.subtree

    def _require_live(self, tree_ids: list[bytes], where: str) -> None:
        """Reused subtrees must sit in packs the run keeps live (see the module docstring)."""
        if not tree_ids:
            return
        found = self._repo.index.blob_pack_states(tree_ids)
        for tree_id in tree_ids:
            pack = found.get(tree_id)
            if pack is None or pack[0] not in self._live or pack[1] not in (COMMITTED, UPLOADED):
                raise FullScanNeeded(f"a previous subtree in {where!r} is not in a live pack")

    def _old(self, parent: DirHint, name: str) -> Node | None:
        tree = self._tree(parent)
        return None if tree is None else tree.get(name)

    def _tree(self, hint: DirHint) -> Tree | None:
        if not hint.loaded:
            hint.loaded = True
            if hint.node is not None and hint.node.subtree is not None:
                hint.tree = self._read(hint.node.subtree, hint.path)
        return hint.tree

    def _read(self, tree_id: bytes, where: str) -> Tree:
        try:
            return self._repo.read_tree(tree_id, where)
        except _UNREADABLE as exc:
            raise FullScanNeeded(f"the previous tree of {where} cannot be read: {exc}") from exc

    # -- counts ------------------------------------------------------------------------------

    def replaced(self) -> Counts:
        """What the previous snapshot counted in everything this run did not reuse: the
        entries of the folders listed again, and whole subtrees dropped or read whole. The new
        snapshot's counts are the previous ones minus these plus what the walk counted."""
        out = Counts()
        stack = [self.root]
        while stack:
            hint = stack.pop()
            tree = self._tree(hint)
            if tree is None:
                continue
            if hint is not self.root:
                out.dirs += 1
                out.add_direct(tree)
            listed = {name for name, child in hint.children if child.ok}
            stack.extend(child for _, child in hint.children if child.ok)
            for node in tree.nodes:
                if node.type is NodeType.DIR and not (
                    node.name in hint.reused or node.name in listed
                ):
                    self._count_whole(node, f"{hint.path}/{node.name}", out)
        return out

    def _count_whole(self, node: Node, where: str, out: Counts) -> None:
        stack = [(node, where)]
        while stack:
            current, path = stack.pop()
            out.dirs += 1
            if current.subtree is None:
                continue
            tree = self._read(current.subtree, path)
            out.add_direct(tree)
            stack.extend((n, f"{path}/{n.name}") for n in tree.nodes if n.type is NodeType.DIR)
