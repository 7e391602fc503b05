"""Helpers for the engine tests: a repository on an in-memory service, folders, tree comparison."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.core.backup_commit import commit_snapshot
from app.core.backupstate import RunState
from app.core.clock import SystemClock
from app.core.index import BlobLocation, Index
from app.core.keys import Subkeys, chunk_id, derive_subkeys, generate_master_key
from app.core.packfile import PackWriter
from app.core.repository import Repository
from app.core.sealing import BlobType, Sealer
from app.core.tree import Node, NodeType, Tree, tree_id
from app.storage.memory_service import MemoryService

SET_ID = "5e" * 16


class AheadClock(SystemClock):
    """Real time plus a few seconds, so files a test just wrote are old enough for the files
    cache to trust (it distrusts anything changed within 3 s of a scan)."""

    def __init__(self, ahead: float = 10.0) -> None:
        self.ahead = timedelta(seconds=ahead)

    def now(self) -> datetime:
        return super().now() + self.ahead


def new_subkeys() -> Subkeys:
    return derive_subkeys(generate_master_key(), SET_ID)


def make_repo(
    tmp: Path,
    *,
    service: MemoryService | None = None,
    subkeys: Subkeys | None = None,
    index_name: str = "index.sqlite",
    clock: SystemClock | None = None,
) -> Repository:
    service = service or MemoryService()
    return Repository(
        subkeys or new_subkeys(),
        service,
        service,
        Index(tmp / index_name),
        "test-pc",
        clock=clock or AheadClock(),
    )


def service_of(repo: Repository) -> MemoryService:
    assert isinstance(repo.log, MemoryService)
    return repo.log


def write(path: Path, data: bytes | str, *, mtime: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))
    return path


def describe(root: Path) -> dict[str, tuple[object, ...]]:
    """Everything a restore must reproduce, by relative path (names as OS bytes)."""
    out: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, os.fsencode(root)).decode("utf-8", "surrogateescape")
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(full))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode), st.st_mtime_ns)
            else:
                with open(full, "rb") as f:
                    content = f.read()
                out[rel] = ("file", stat.S_IMODE(st.st_mode), st.st_mtime_ns, content)
    return out


def dir_node(repo: Repository, name: str, tree: Tree) -> Node:
    return Node(name, NodeType.DIR, 0o755, 0, 0, subtree=tree_id(repo.subkeys, tree.encode()))


def file_chunk(repo: Repository, data: bytes) -> tuple[bytes, bytes]:
    return chunk_id(repo.subkeys, data), data


def commit_trees(
    repo: Repository, root: Tree, subtrees: list[Tree], files: dict[bytes, bytes]
) -> None:
    """Commit a hand-made snapshot (e.g. with hostile names): trees and chunks in one pack."""
    sealer = Sealer(repo.subkeys)
    writer = PackWriter(sealer)
    refs: list[bytes] = []
    for cid, data in files.items():
        writer.add(cid, BlobType.DATA, sealer.seal(BlobType.DATA, cid, data), len(data))
        refs.append(cid)
    for tree in [*subtrees, root]:
        encoded = tree.encode()
        tid = tree_id(repo.subkeys, encoded)
        writer.add(tid, BlobType.TREE, sealer.seal(BlobType.TREE, tid, encoded), len(encoded))
        refs.append(tid)
    pack_id, data, entries = writer.finish()
    repo.packs.put_pack(pack_id, data)
    locations = [
        BlobLocation(e.blob_id, e.blob_type, pack_id, e.offset, e.length, e.raw_length)
        for e in entries
    ]
    repo.index.record_uploaded(pack_id, len(data), locations, "2999-01-01T00:00:00Z")
    repo.sync()
    repo.index.begin_stage()
    repo.index.stage([], refs, [])
    root_id = tree_id(repo.subkeys, root.encode())
    folders = {n.name: f"/nonexistent/{n.name}" for n in root.nodes if "/" not in n.name}
    commit_snapshot(repo, sealer, root_id, folders, {}, versions_base=False)


def subtree_tree(repo: Repository, node: Node) -> Tree:
    assert node.type is NodeType.DIR and node.subtree is not None
    return repo.read_tree(node.subtree)


def referenced(repo: Repository) -> set[bytes]:
    """Every blob id the latest snapshot references."""
    snap = repo.latest()
    assert snap is not None
    refs: set[bytes] = set()
    stack = [snap.record.root]
    while stack:
        tree_id = stack.pop()
        refs.add(tree_id)
        for node in repo.read_tree(tree_id).nodes:
            refs.update(node.chunks)
            if node.subtree is not None:
                stack.append(node.subtree)
    return refs


def records_reused_whole(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Collects the keys of folder records backups reuse whole (tree and all) from now on."""
    kept: list[bytes] = []
    real = RunState.keep_record

    def spy(self: RunState, dir_key: bytes) -> None:
        kept.append(dir_key)
        real(self, dir_key)

    monkeypatch.setattr(RunState, "keep_record", spy)
    return kept
