"""Restores: verified data only, never outside the target, conflicts, older snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core import restore as restore_mod
from app.core.backup import backup
from app.core.repository import Repository
from app.core.restore import Conflict, keep_both_name, restore
from app.core.safepath import TEMP_PREFIX
from app.core.tree import Node, NodeType, Tree
from tests.core.enginekit import (
    commit_trees,
    describe,
    dir_node,
    file_chunk,
    make_repo,
    service_of,
    write,
)

OLD = 1_500_000_000_000_000_000


def backed_up(tmp_path: Path, files: dict[str, bytes]) -> tuple[Repository, Path]:
    src = tmp_path / "docs"
    for rel, data in files.items():
        write(src / rel, data, mtime=OLD)
    repo = make_repo(tmp_path)
    assert backup(repo, [src]).problems == []
    return repo, src


def pack_of(repo: Repository, path: str) -> str:
    chunk = repo.find(repo.resolve(None), path).chunks[0]
    loc = repo.index.lookup(chunk)
    assert loc is not None
    return loc.pack_id


def no_temp_files(root: Path) -> bool:
    return not any(p.name.startswith(TEMP_PREFIX) for p in root.rglob("*"))


def test_tampered_chunk_fails_only_its_file_naming_it(tmp_path: Path, engine: str) -> None:
    repo, _ = backed_up(tmp_path, {"good.txt": b"good" * 100, "bad.txt": b"bad" * 100})
    repo.pack_target = 1
    # Put the two files in different packs: back up a copy with the bad file only.
    service = service_of(repo)
    bad_chunk = repo.find(repo.resolve(None), "docs/bad.txt").chunks[0]
    loc = repo.index.lookup(bad_chunk)
    assert loc is not None
    service.tamper_pack(loc.pack_id, loc.offset + loc.length // 2)

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert [p for p, _ in result.failures] == ["docs/bad.txt"]
    reason = result.failures[0][1]
    assert "integrity error in docs/bad.txt" in reason and loc.pack_id in reason
    assert (tmp_path / "out" / "docs" / "good.txt").read_bytes() == b"good" * 100
    assert not (tmp_path / "out" / "docs" / "bad.txt").exists()
    assert no_temp_files(tmp_path / "out")


def test_tampered_data_never_replaces_the_existing_file(tmp_path: Path) -> None:
    repo, src = backed_up(tmp_path, {"report.txt": b"v1" * 300})
    pack = pack_of(repo, "docs/report.txt")
    service_of(repo).tamper_pack(pack, 40)
    write(src / "report.txt", "current work")

    result = restore(repo, repo.resolve(None), ["docs/report.txt"], None)

    assert len(result.failures) == 1
    assert (src / "report.txt").read_text() == "current work"
    assert no_temp_files(src)


def test_large_file_is_streamed_and_a_bad_chunk_aborts_it_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = os.urandom(3 * 1024 * 1024)
    repo, _ = backed_up(tmp_path, {"big.bin": big})
    monkeypatch.setattr(restore_mod, "BATCH_BYTES", 1024)
    monkeypatch.setattr(restore_mod, "STREAM_WINDOW", 1)
    node = repo.find(repo.resolve(None), "docs/big.bin")
    assert len(node.chunks) >= 2

    ok = restore(repo, repo.resolve(None), ["docs/big.bin"], tmp_path / "ok")
    assert ok.failures == [] and (tmp_path / "ok" / "big.bin").read_bytes() == big

    last = repo.index.lookup(node.chunks[-1])
    assert last is not None
    service_of(repo).tamper_pack(last.pack_id, last.offset + 100)
    write(tmp_path / "bad" / "big.bin", "previous")
    bad = restore(repo, repo.resolve(None), ["docs/big.bin"], tmp_path / "bad")
    assert [p for p, _ in bad.failures] == ["docs/big.bin"]
    assert (tmp_path / "bad" / "big.bin").read_text() == "previous"
    assert no_temp_files(tmp_path / "bad")


def test_missing_pack_is_a_clear_failure(tmp_path: Path) -> None:
    repo, _ = backed_up(tmp_path, {"a.txt": b"aaa"})
    pack = pack_of(repo, "docs/a.txt")
    service_of(repo).lose_pack(pack)

    result = restore(repo, repo.resolve(None), ["docs/a.txt"], tmp_path / "out")

    assert result.failures == [("docs/a.txt", f"object pack {pack} is missing on the service")]


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a/../../b", "nul\0name", "C:x", "..", "."])
def test_hostile_names_are_refused_and_nothing_leaves_the_target(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path)
    cid, data = file_chunk(repo, b"payload")
    evil = Node(name, NodeType.FILE, 0o644, 0, len(data), (cid,))
    fine = Node("fine.txt", NodeType.FILE, 0o644, 0, len(data), (cid,))
    docs = Tree((evil, fine))
    evil_dir = Tree((Node("inner", NodeType.FILE, 0o644, 0, len(data), (cid,)),))
    root = Tree((dir_node(repo, "docs", docs), dir_node(repo, name, evil_dir)))
    commit_trees(repo, root, [docs, evil_dir], {cid: data})
    target = tmp_path / "sandbox" / "target"
    target.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    result = restore(repo, repo.resolve(None), [], target)

    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    created = set(after) - set(before)
    assert created == {
        Path("sandbox/target/docs"),
        Path("sandbox/target/docs/fine.txt"),
    }
    assert len(result.failures) == 2
    assert all("unsafe path" in reason for _, reason in result.failures)


def test_planted_symlink_in_target_is_never_followed(tmp_path: Path, engine: str) -> None:
    repo, _ = backed_up(tmp_path, {"sub/secret.txt": b"s", "top.txt": b"t"})
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    os.symlink(outside, target / "docs")  # the label folder is a link out of the target

    result = restore(repo, repo.resolve(None), [], target)

    assert list(outside.iterdir()) == []
    assert result.failures and "symlink" in result.failures[0][1]

    os.unlink(target / "docs")
    (target / "docs").mkdir()
    os.symlink(outside, target / "docs" / "sub")  # a deeper planted parent
    os.symlink(outside / "top-target.txt", target / "docs" / "top.txt")  # a planted leaf
    result = restore(repo, repo.resolve(None), [], target)

    assert list(outside.iterdir()) == []
    assert [p for p, _ in result.failures] == ["docs/sub"]
    assert (target / "docs" / "top.txt").read_bytes() == b"t"
    assert not (target / "docs" / "top.txt").is_symlink()


def test_conflict_policies(tmp_path: Path) -> None:
    repo, _ = backed_up(tmp_path, {"note.txt": b"from backup", ".bashrc": b"rc"})
    snap = repo.resolve(None)

    def fresh(name: str) -> Path:
        target = tmp_path / name
        write(target / "note.txt", "local edit")
        write(target / ".bashrc", "local rc")
        return target

    skip = fresh("skip")
    result = restore(repo, snap, ["docs/note.txt", "docs/.bashrc"], skip, conflict=Conflict.SKIP)
    assert sorted(p for p, _ in result.skipped) == ["docs/.bashrc", "docs/note.txt"]
    assert (skip / "note.txt").read_text() == "local edit"

    over = fresh("over")
    restore(repo, snap, ["docs/note.txt"], over, conflict=Conflict.OVERWRITE)
    assert (over / "note.txt").read_text() == "from backup"

    both = fresh("both")
    for _ in range(2):
        restore(repo, snap, ["docs/note.txt", "docs/.bashrc"], both, conflict=Conflict.KEEP_BOTH)
    names = sorted(p.name for p in both.iterdir())
    assert (both / "note.txt").read_text() == "local edit"
    copies = [n for n in names if n.startswith("note (restored ")]
    assert len(copies) == 2 and all(n.endswith(".txt") for n in copies)
    assert all((both / n).read_text() == "from backup" for n in copies)
    assert len([n for n in names if n.startswith(".bashrc (restored ")]) == 2


def test_keep_both_names() -> None:
    assert keep_both_name("a.tar.gz", "2026-11-23 1030") == "a.tar (restored 2026-11-23 1030).gz"
    assert keep_both_name("README", "2026-11-23 1030", 2) == "README (restored 2026-11-23 1030 2)"
    assert keep_both_name(".bashrc", "X") == ".bashrc (restored X)"


def test_restore_older_snapshot_and_original_location(tmp_path: Path) -> None:
    repo, src = backed_up(tmp_path, {"a/file.txt": b"old"})
    first = repo.resolve(None)
    write(src / "a" / "file.txt", "new", mtime=OLD + 10**9)
    write(src / "added.txt", "added")
    backup(repo, [src])

    at = repo.resolve(first.snapshot_id[:8])
    assert at.snapshot_id == first.snapshot_id
    assert repo.resolve(first.time.isoformat()).snapshot_id == first.snapshot_id
    restore(repo, at, ["docs/a"], tmp_path / "out")
    assert (tmp_path / "out" / "a" / "file.txt").read_bytes() == b"old"

    (src / "a" / "file.txt").unlink()
    (src / "a").rmdir()
    result = restore(repo, at, ["docs/a/file.txt"], None)
    assert result.failures == []
    assert (src / "a" / "file.txt").read_bytes() == b"old"
    assert (src / "a" / "file.txt").stat().st_mtime_ns == OLD


def test_restore_everything_to_original_location(tmp_path: Path) -> None:
    repo, src = backed_up(tmp_path, {"x/y.txt": b"y", "z.txt": b"z"})
    expected = describe(src)
    for p in sorted(src.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()

    result = restore(repo, repo.resolve(None), [], None)

    assert result.failures == [] and result.files_restored == 2
    assert {k: v for k, v in describe(src).items() if v[0] == "file"} == {
        k: v for k, v in expected.items() if v[0] == "file"
    }


def test_unknown_path_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    repo, _ = backed_up(tmp_path, {"a.txt": b"a"})
    result = restore(repo, repo.resolve(None), ["docs/nope.txt"], tmp_path / "out")
    assert [p for p, _ in result.failures] == ["docs/nope.txt"]
