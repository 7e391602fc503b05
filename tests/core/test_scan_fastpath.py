"""The scan's fast paths must give exactly what the plain, validated code gives.

Trees encoded from rows must be byte for byte what `Tree.encode` makes of the same nodes; files-
cache rows must be judged like `CacheEntry.matches` judges entries; a files-cache hit whose chunk
sits in a pack that may no longer be referenced must be read again, never reused.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from app.core.backup import backup
from app.core.filescache import RACY_NS, entry_for, entry_row, row_entry, row_matches
from app.core.tree import Node, NodeType, Tree
from app.core.treerows import dir_row, encode_rows, file_row, link_row, node_row
from tests.core.enginekit import make_repo, write

NAMES = ["a", "B", "z", "é", "ÿ", "文件", "a b", ".hidden", "\udcff-bad", "Z\udc80", "~", "0"]


def _random_nodes(rng: random.Random) -> list[Node]:
    names = rng.sample(NAMES, rng.randint(0, len(NAMES)))
    nodes = []
    for name in names:
        kind = rng.choice("fdl")
        mode, mtime = rng.randrange(0o10000), rng.randrange(-(2**40), 2**62)
        if kind == "f":
            chunks = tuple(os.urandom(32) for _ in range(rng.randint(0, 3)))
            nodes.append(Node(name, NodeType.FILE, mode, mtime, rng.randrange(2**40), chunks))
        elif kind == "d":
            nodes.append(Node(name, NodeType.DIR, mode, mtime, 0, subtree=os.urandom(32)))
        else:
            target = rng.choice(["../x", "/abs/ø", "t\udcfe"])
            nodes.append(Node(name, NodeType.SYMLINK, mode, mtime, len(target), target=target))
    return nodes


def _row(node: Node) -> tuple[object, ...]:
    """The row the scan would build for `node` from a stat (file_row etc. take st_mode)."""
    raw = node.name.encode("utf-8", "surrogateescape")
    if node.type is NodeType.FILE:
        return file_row(raw, node.mode, node.mtime_ns, node.size, node.chunks)
    if node.type is NodeType.DIR:
        assert node.subtree is not None
        return dir_row(raw, node.mode, node.mtime_ns, node.subtree)
    assert node.target is not None
    target = node.target.encode("utf-8", "surrogateescape")
    return link_row(raw, node.mode, node.mtime_ns, node.size, target)


@pytest.mark.parametrize("seed", range(40))
def test_rows_encode_exactly_like_tree_nodes(seed: int) -> None:
    nodes = _random_nodes(random.Random(seed))
    expected = Tree(tuple(nodes)).encode()
    assert encode_rows([_row(n) for n in nodes]) == expected
    assert encode_rows([node_row(n) for n in nodes]) == expected
    assert Tree.decode(expected).nodes == Tree(tuple(nodes)).nodes


def test_cache_rows_are_judged_like_cache_entries(tmp_path: Path) -> None:
    f = write(tmp_path / "f", "x")
    st = os.stat(f)
    for start in (st.st_mtime_ns + RACY_NS + 10**9, st.st_mtime_ns + RACY_NS // 2):
        entry = entry_for(b"k" * 32, st, (b"c" * 32,), start)
        row = entry_row(entry)
        assert row_entry(row) == entry
        assert row_matches(row, st) == entry.matches(st)
    old = entry_for(b"k" * 32, st, (b"c" * 32,), st.st_mtime_ns + RACY_NS + 10**9)
    f.write_bytes(b"xy")
    assert not row_matches(entry_row(old), os.stat(f)) and not old.matches(os.stat(f))
    big_inode = entry_for(b"k" * 32, st, (), st.st_mtime_ns + RACY_NS + 10**9)
    object.__setattr__(big_inode, "inode", 2**63 + 7)
    assert row_entry(entry_row(big_inode)).inode == 2**63 + 7


def test_unchanged_file_whose_pack_is_ageing_out_is_read_and_stored_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    write(src / "one.txt", "one chunk")
    write(src / "several.bin", os.urandom(3_000_000))
    repo = make_repo(tmp_path)
    repo.pack_target = 1  # every blob in a pack of its own
    backup(repo, [src])
    snap = repo.resolve(None)
    ageing = {
        repo.index.lookup(c).pack_id  # type: ignore[union-attr]
        for name in ("one.txt", "several.bin")
        for c in repo.find(snap, f"src/{name}").chunks[:1]
    }
    real_sync = type(repo).sync

    def sync_then_age(self: object) -> None:
        real_sync(repo)
        repo.unusable_packs |= ageing

    monkeypatch.setattr(type(repo), "sync", sync_then_age)
    result = backup(repo, [src])

    assert result.files_unmodified == 2 and result.bytes_read == 9 + 3_000_000
    assert result.packs_uploaded >= 2
    for name in ("one.txt", "several.bin"):
        for c in repo.find(repo.resolve(None), f"src/{name}").chunks:
            assert repo.index.lookup(c).pack_id not in ageing  # type: ignore[union-attr]


def test_second_run_over_overlapping_folders_keeps_one_cache_entry_per_file(
    tmp_path: Path,
) -> None:
    outer = tmp_path / "outer"
    write(outer / "inner" / "f.txt", "shared")
    write(outer / "g.txt", "outer only")
    repo = make_repo(tmp_path)
    first = backup(repo, [outer, outer / "inner"])
    assert first.files_new + first.files_changed + first.files_unmodified == 3
    assert repo.index.cache_size() == 2
    second = backup(repo, [outer, outer / "inner"])
    assert second.bytes_read == 0 and second.files_unmodified == 3
    assert repo.index.cache_size() == 2


def test_deleted_files_leave_the_files_cache(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "keep.txt", "keep")
    gone = write(src / "sub" / "gone.txt", "gone")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    assert repo.index.cache_size() == 2
    gone.unlink()
    backup(repo, [src])
    assert repo.index.cache_size() == 1


def _count_file_judging(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files went through the files cache one by one (not reused with their folder)."""
    from app.core.index import Index

    seen: list[int] = []
    real = Index.cache_rows_located

    def counting(self: Index, keys: list[bytes]) -> dict[bytes, tuple[object, ...]]:
        seen.append(len(keys))
        return real(self, keys)

    monkeypatch.setattr(Index, "cache_rows_located", counting)
    return seen


def test_unchanged_folders_are_reused_whole_with_the_same_trees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    for i in range(5):
        write(src / f"d{i}" / f"f{i}.txt", f"file {i}")
        write(src / f"d{i}" / "deeper" / "g.bin", os.urandom(2_000_000))
    os.symlink("d0/f0.txt", src / "link")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    first_root = repo.resolve(None).record.root
    judged = _count_file_judging(monkeypatch)

    result = backup(repo, [src])

    assert judged == [] and result.bytes_read == 0 and result.files_unmodified == 10
    assert repo.resolve(None).record.root == first_root


def test_content_changed_behind_a_restored_mtime_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    victim = write(src / "sub" / "doc.txt", "version one")
    write(src / "sub" / "other.txt", "other")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    st = os.stat(victim)
    victim.write_text("version two")  # same size
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime put back; ctime moves on
    repo.clock = type(repo.clock)(ahead=20.0)  # type: ignore[call-arg]
    judged = _count_file_judging(monkeypatch)

    result = backup(repo, [src])

    assert judged and result.files_changed == 1
    out = tmp_path / "out"
    from app.core.restore import restore

    restore(repo, repo.resolve(None), ["src/sub/doc.txt"], out)
    assert (out / "doc.txt").read_text() == "version two"


def test_added_removed_and_renamed_files_change_the_folder_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    write(src / "a.txt", "a")
    b = write(src / "b.txt", "b")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    backup(repo, [src])
    b.rename(src / "c.txt")
    write(src / "d.txt", "d")
    judged = _count_file_judging(monkeypatch)

    result = backup(repo, [src])

    assert judged == [3] and result.files_new == 2 and result.files_unmodified == 1
    names = [n.name for n in repo.ls(repo.resolve(None), "src")]
    assert names == ["a.txt", "c.txt", "d.txt"]


def test_folder_with_a_recently_changed_file_is_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.enginekit import AheadClock

    src = tmp_path / "src"
    write(src / "fresh.txt", "just written")
    repo = make_repo(tmp_path, clock=AheadClock(ahead=0.0))  # the file is within the racy window
    backup(repo, [src])
    judged = _count_file_judging(monkeypatch)
    backup(repo, [src])
    assert judged == [1]


def test_folder_record_naming_an_ageing_pack_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    write(src / "one.txt", "one chunk")
    repo = make_repo(tmp_path)
    repo.pack_target = 1
    backup(repo, [src])
    chunk = repo.find(repo.resolve(None), "src/one.txt").chunks[0]
    ageing = {repo.index.lookup(chunk).pack_id}  # type: ignore[union-attr]
    real_sync = type(repo).sync

    def sync_then_age(self: object) -> None:
        real_sync(repo)
        repo.unusable_packs |= ageing

    monkeypatch.setattr(type(repo), "sync", sync_then_age)
    result = backup(repo, [src])
    assert result.bytes_read == len("one chunk") and result.packs_uploaded >= 1
