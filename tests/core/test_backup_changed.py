"""Incremental runs from a changed-folder hint must give exactly the snapshot a full scan gives.

Each test backs up real folders, changes them, runs `backup(..., changed_dirs=..., changed_trees=...)`
and compares the snapshot with a full scan of the same disk state (same keys, so the same root
tree id) and with the disk itself; it also checks that the hint was taken, that untouched folders
were not listed, and that every blob the snapshot references stays in the live set.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.backup import BackupResult, backup
from app.core.dirlist import Lister, Listing
from app.core.indexhistory import LIVE_SNAPSHOT
from app.core.repository import Repository
from app.core.tree import NodeType
from tests.core.enginekit import make_repo, referenced, write

OLD = 1_600_000_000_000_000_000
Entry = tuple[object, ...]


# -- helpers -------------------------------------------------------------------------------------


def populate(folder: Path) -> Path:
    """A few levels of folders, files and a link; files get fixed, distinct mtimes."""
    n = 0
    for a in ("alpha", "beta", "gamma"):
        for b in ("one", "two"):
            for c in ("x", "y"):
                for i in range(3):
                    n += 1
                    write(folder / a / b / c / f"f{i}.txt", f"{a}{b}{c}{i}" * n, mtime=OLD + n)
        write(folder / a / "top.txt", a * 10, mtime=OLD + 100 + len(a))
    write(folder / "root.txt", "root", mtime=OLD + 200)
    os.symlink("alpha/top.txt", folder / "link")
    return folder


def touch_file(path: Path, data: str, tick: list[int]) -> None:
    """Write with a new, unique mtime: no files cache may mistake it for the old content."""
    tick[0] += 1
    write(path, data, mtime=OLD + 10_000 + tick[0])


def disk(folder: Path) -> dict[str, Entry]:
    """What a snapshot must hold for `folder`, by relative path."""
    out: dict[str, Entry] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            s = os.lstat(full)
            if stat.S_ISLNK(s.st_mode):
                out[rel] = ("l", os.readlink(full))
            elif stat.S_ISDIR(s.st_mode):
                out[rel] = ("d", stat.S_IMODE(s.st_mode), s.st_mtime_ns)
            else:
                out[rel] = ("f", stat.S_IMODE(s.st_mode), s.st_mtime_ns, s.st_size)
    return out


def snapshot(repo: Repository, label: str) -> dict[str, Entry]:
    """The latest snapshot's entries below `label`, shaped like `disk`."""
    snap = repo.latest()
    assert snap is not None
    out: dict[str, Entry] = {}
    top = repo.find(snap, label)
    assert top.subtree is not None
    stack = [("", top.subtree)]
    while stack:
        prefix, tree_id = stack.pop()
        for node in repo.read_tree(tree_id).nodes:
            rel = f"{prefix}{node.name}"
            if node.type is NodeType.SYMLINK:
                out[rel] = ("l", node.target)
            elif node.type is NodeType.DIR:
                out[rel] = ("d", node.mode, node.mtime_ns)
                assert node.subtree is not None
                stack.append((rel + "/", node.subtree))
            else:
                out[rel] = ("f", node.mode, node.mtime_ns, node.size)
    return out


def root_and_counts(repo: Repository) -> tuple[bytes, dict[str, int]]:
    snap = repo.latest()
    assert snap is not None
    return snap.record.root, dict(snap.record.counts)


def assert_live(repo: Repository) -> None:
    """The commit's promise: every referenced blob sits in a pack the live set keeps."""
    live = {p.pack_id for p in repo.index.packs() if p.live_refs > 0}
    for blob in referenced(repo):
        found = repo.index.blob_pack_state(blob)
        assert found is not None and found[0] in live and found[1] == "committed"


def assert_same_as_full_scan(repo: Repository, folders: list[Path]) -> None:
    """The latest (incremental) snapshot equals a full scan of the same disk, which finds
    every untouched file in the files cache."""
    incremental = root_and_counts(repo)
    for folder in folders:
        assert snapshot(repo, folder.name) == disk(folder)
    assert_live(repo)
    full = backup(repo, folders)
    assert not full.incremental
    assert root_and_counts(repo) == incremental
    assert full.bytes_read == 0


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders each run lists."""
    seen: list[str] = []
    original = Lister.list_dir

    def spy(self: Lister, path: str) -> Listing:
        seen.append(path)
        return original(self, path)

    monkeypatch.setattr(Lister, "list_dir", spy)
    yield seen


def incremental(
    repo: Repository,
    folders: list[Path],
    dirs: list[Path],
    trees: list[Path] = [],  # noqa: B006 - never mutated
) -> BackupResult:
    result = backup(repo, folders, changed_dirs=dirs, changed_trees=trees)
    assert result.incremental
    return result


# -- the hint, case by case ---------------------------------------------------------------------


def test_file_modified_deep_in_the_tree_lists_only_its_folder_and_ancestors(
    tmp_path: Path, listed: list[str]
) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    touch_file(docs / "beta" / "two" / "x" / "f1.txt", "edited", [0])
    listed.clear()

    result = incremental(repo, [docs], [docs / "beta" / "two" / "x"])

    assert sorted(listed) == sorted(
        str(p) for p in (docs, docs / "beta", docs / "beta" / "two", docs / "beta" / "two" / "x")
    )
    assert (result.files_changed, result.files_new) == (1, 0)
    assert result.files_unmodified == 3 * 2 * 2 * 3 + 3 + 1 - 1  # the whole snapshot
    assert_same_as_full_scan(repo, [docs])


def test_untouched_folders_keep_their_tree_ids_and_the_caches(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    before = {n.name: n.subtree for n in repo.ls(repo.resolve(None), "Docs")}
    touch_file(docs / "alpha" / "one" / "y" / "f0.txt", "new content", [0])

    incremental(repo, [docs], [docs / "alpha" / "one" / "y"])

    after = {n.name: n.subtree for n in repo.ls(repo.resolve(None), "Docs")}
    assert after["beta"] == before["beta"] and after["gamma"] == before["gamma"]
    assert after["alpha"] != before["alpha"]
    assert_same_as_full_scan(repo, [docs])  # which reads no file: the files cache was kept


def test_new_folder_is_read_whole(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    tick = [0]
    for i in range(3):
        touch_file(docs / "gamma" / "fresh" / "deeper" / f"n{i}.txt", f"new {i}", tick)

    result = incremental(repo, [docs], [docs / "gamma"], [docs / "gamma" / "fresh"])

    assert result.files_new == 3
    assert_same_as_full_scan(repo, [docs])


def test_new_folder_named_only_through_its_parent_is_read_whole(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    touch_file(docs / "beta" / "fresh" / "a" / "b.txt", "nested new", [0])

    result = incremental(repo, [docs], [docs / "beta"])

    assert result.files_new == 1
    assert_same_as_full_scan(repo, [docs])


def test_deleted_folder_disappears(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    shutil.rmtree(docs / "alpha" / "two")

    result = incremental(repo, [docs], [docs / "alpha", docs / "alpha" / "two"])

    assert "alpha/two" not in snapshot(repo, "Docs")
    assert result.files_unmodified == 3 * 2 * 2 * 3 + 3 + 1 - 2 * 3
    assert_same_as_full_scan(repo, [docs])


def test_deleted_folder_named_alone_relists_its_parent(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    shutil.rmtree(docs / "beta" / "one" / "y")

    incremental(repo, [docs], [docs / "beta" / "one" / "y"])

    assert "beta/one/y" not in snapshot(repo, "Docs")
    assert_same_as_full_scan(repo, [docs])


def _look_alike(docs: Path) -> None:
    """Give alpha/... and gamma/... the same folder mtimes, so only the hint tells them apart."""
    for top in ("alpha", "gamma"):
        for sub in sorted((docs / top).rglob("*"), reverse=True):
            if sub.is_dir():
                rel = str(sub.relative_to(docs / top))
                os.utime(sub, ns=(OLD + len(rel), OLD + len(rel)))
        os.utime(docs / top, ns=(OLD, OLD))


def test_swapped_folders_never_reuse_the_old_subtree_of_the_name(tmp_path: Path) -> None:
    """`mv A B; mv C A`: the new A is read whole, not taken from the old A."""
    docs = populate(tmp_path / "Docs")
    _look_alike(docs)
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    a, b, c = docs / "alpha", docs / "delta", docs / "gamma"
    os.rename(a, b)
    os.rename(c, a)
    os.utime(a, ns=(OLD, OLD))  # as the old A: nothing but the hint says it is new

    incremental(repo, [docs], [docs], [a, b])

    assert snapshot(repo, "Docs")["alpha/top.txt"][3] == len("gamma" * 10)
    assert_same_as_full_scan(repo, [docs])


def test_moved_folder_deep_inside_keeps_its_content(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    os.rename(docs / "alpha" / "one", docs / "gamma" / "two" / "moved")

    incremental(
        repo,
        [docs],
        [docs / "alpha", docs / "gamma" / "two"],
        [docs / "gamma" / "two" / "moved"],
    )

    assert snapshot(repo, "Docs")["gamma/two/moved/x/f0.txt"][0] == "f"
    assert_same_as_full_scan(repo, [docs])


def test_hint_outside_the_folders_or_naming_a_file_is_harmless(
    tmp_path: Path, listed: list[str]
) -> None:
    docs = populate(tmp_path / "Docs")
    other = tmp_path / "Other"
    write(other / "x.txt", "not chosen")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    edited = docs / "gamma" / "one" / "x" / "f2.txt"
    touch_file(edited, "edited through a file hint", [0])
    listed.clear()

    # A file (its folder is listed), a folder outside, a relative path, a missing path.
    incremental(repo, [docs], [edited, other, Path("relative/elsewhere"), docs / "nope"])

    assert str(other) not in listed
    assert str(edited.parent) in listed
    assert_same_as_full_scan(repo, [docs])


def test_hint_naming_nothing_keeps_the_previous_snapshot(tmp_path: Path, listed: list[str]) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    root = root_and_counts(repo)
    listed.clear()

    incremental(repo, [docs], [])

    assert listed == []
    assert root_and_counts(repo) == root


def test_folder_whose_mtime_moved_is_listed_even_if_the_hint_missed_it(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    touch_file(docs / "beta" / "unannounced.txt", "created", [0])

    incremental(repo, [docs], [docs])  # names only the top: beta's mtime moved

    assert "beta/unannounced.txt" in snapshot(repo, "Docs")
    assert_same_as_full_scan(repo, [docs])


def test_several_folders_and_a_missing_one(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    pics = populate(tmp_path / "Pics")
    repo = make_repo(tmp_path)
    backup(repo, [docs, pics])
    touch_file(pics / "alpha" / "top.txt", "edited", [0])
    incremental(repo, [docs, pics], [pics / "alpha"])
    assert_same_as_full_scan(repo, [docs, pics])

    shutil.move(docs, tmp_path / "unplugged")
    result = incremental(repo, [docs, pics], [pics])

    assert any("kept the previous version" in why for _, why in result.problems)
    shutil.move(tmp_path / "unplugged", docs)
    assert snapshot(repo, "Docs") == disk(docs)
    assert_same_as_full_scan(repo, [docs, pics])


def test_chain_of_incremental_runs_keeps_every_pack_live_until_a_full_scan(
    tmp_path: Path,
) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    big = write(docs / "alpha" / "big.bin", os.urandom(300_000), mtime=OLD)
    incremental(repo, [docs], [docs / "alpha"])
    big_packs = {p.pack_id for p in repo.index.packs("committed")}
    tick = [0]
    for i in range(4):
        touch_file(docs / "beta" / "one" / "x" / "f0.txt", f"edit {i}" * (i + 1), tick)
        incremental(repo, [docs], [docs / "beta" / "one" / "x"])
        assert_live(repo)
    big.unlink()
    incremental(repo, [docs], [docs / "alpha"])
    assert_live(repo)
    assert repo.index.packs("removed") == []  # an incremental commit never shrinks the live set

    backup(repo, [docs])  # full: the live set is exact again

    assert_live(repo)
    removed = {p.pack_id for p in repo.index.packs("removed")}
    assert removed  # the superseded edits' packs
    big_only = big_packs - {p for p, _ in repo.index.live_packs()}
    assert big_only and big_only <= removed  # the pack that held only the deleted big file


def test_overlapping_folders_and_a_whole_chosen_folder(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    inner = docs / "alpha"
    repo = make_repo(tmp_path)
    backup(repo, [docs, inner])
    tick = [0]
    touch_file(inner / "one" / "x" / "f1.txt", "seen from both folders", tick)
    incremental(repo, [docs, inner], [inner / "one" / "x"])
    assert snapshot(repo, "alpha") == disk(inner)
    assert_same_as_full_scan(repo, [docs, inner])

    touch_file(inner / "two" / "new.txt", "whole", tick)
    incremental(repo, [docs, inner], [], [inner])
    assert_same_as_full_scan(repo, [docs, inner])


def test_hint_through_a_link_to_a_folder_is_harmless(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    outside = tmp_path / "Outside"
    write(outside / "sub" / "o.txt", "outside")
    os.symlink(outside, docs / "to-outside")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    touch_file(outside / "sub" / "o.txt", "changed outside", [0])

    incremental(repo, [docs], [docs / "to-outside" / "sub", docs / "to-outside"])

    assert snapshot(repo, "Docs")["to-outside"] == ("l", str(outside))
    assert_same_as_full_scan(repo, [docs])


# -- falling back to a full scan ---------------------------------------------------------------


def test_no_previous_snapshot_scans_in_full(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)

    result = backup(repo, [docs], changed_dirs=[docs / "alpha"])

    assert not result.incremental
    assert snapshot(repo, "Docs") == disk(docs)


def test_other_folders_than_last_time_scan_in_full(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    pics = populate(tmp_path / "Pics")
    repo = make_repo(tmp_path)
    backup(repo, [docs])

    result = backup(repo, [docs, pics], changed_dirs=[docs / "alpha"])

    assert not result.incremental
    assert snapshot(repo, "Pics") == disk(pics)


def test_live_set_of_another_snapshot_scans_in_full(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    repo.index.set_meta(LIVE_SNAPSHOT, None)  # as after an index rebuild, or a foreign commit

    assert not backup(repo, [docs], changed_dirs=[docs]).incremental
    assert backup(repo, [docs], changed_dirs=[docs]).incremental


def _forget_blob(repo: Repository, blob_id: bytes) -> None:
    with repo.index.transaction() as conn:
        conn.execute("DELETE FROM blobs WHERE id = ?", (blob_id,))


def test_reused_subtree_in_an_unknown_pack_scans_in_full(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    gamma = {n.name: n for n in repo.ls(repo.resolve(None), "Docs")}["gamma"]
    assert gamma.subtree is not None
    _forget_blob(repo, gamma.subtree)
    touch_file(docs / "alpha" / "top.txt", "edited", [0])

    result = backup(repo, [docs], changed_dirs=[docs / "alpha"])

    assert not result.incremental
    assert snapshot(repo, "Docs") == disk(docs)
    assert repo.index.blob_pack_state(gamma.subtree) is not None  # stored again
    assert_live(repo)


def test_unreadable_previous_tree_of_a_listed_folder_scans_in_full(tmp_path: Path) -> None:
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    beta = {n.name: n for n in repo.ls(repo.resolve(None), "Docs")}["beta"]
    assert beta.subtree is not None
    repo._trees.clear()  # forget the trees read so far
    _forget_blob(repo, beta.subtree)
    touch_file(docs / "beta" / "two" / "y" / "f1.txt", "edited", [0])

    result = backup(repo, [docs], changed_dirs=[docs / "beta" / "two" / "y"])

    assert not result.incremental
    assert snapshot(repo, "Docs") == disk(docs)
    assert_live(repo)


# -- random edit sequences ---------------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["write", "rm", "mkdir", "rmtree", "mvdir", "chmod", "link"]),
        st.integers(0, 1000),
        st.integers(0, 1000),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=4,
)


def _apply(
    docs: Path, op: tuple[str, int, int, int], tick: list[int], dirs: set[Path], trees: set[Path]
) -> None:
    """One edit, and the hint a watcher would give for it."""
    kind, i, j, k = op
    folders = sorted([docs, *(p for p in docs.rglob("*") if p.is_dir() and not p.is_symlink())])
    files = sorted(p for p in docs.rglob("*") if p.is_file() and not p.is_symlink())
    where = folders[i % len(folders)]
    if kind == "write":
        target = where / f"w{k}.txt" if j % 2 or not files else files[j % len(files)]
        touch_file(target, "x" * (j % 97), tick)
        dirs.add(target.parent)
    elif kind == "rm" and files:
        victim = files[j % len(files)]
        victim.unlink()
        dirs.add(victim.parent)
    elif kind == "mkdir":
        new = where / f"n{k}"
        if not new.exists():
            new.mkdir()
            touch_file(new / "inside.txt", "fresh", tick)
            dirs.add(where)
            trees.add(new)
    elif kind == "rmtree" and where != docs:
        shutil.rmtree(where)
        dirs.update({where.parent, where})
    elif kind == "mvdir" and where != docs:
        dest_parent = folders[j % len(folders)]
        dest = dest_parent / f"m{k}"
        if not dest.exists() and where not in dest.parents and dest_parent != where:
            os.rename(where, dest)
            dirs.update({where.parent, dest_parent})
            trees.add(dest)
    elif kind == "chmod" and files:
        target = files[j % len(files)]
        os.chmod(target, 0o600 if k % 2 else 0o644)
        dirs.add(target.parent)
    elif kind == "link":
        target = where / f"l{k}"
        if not os.path.lexists(target):
            os.symlink(f"t{j}", target)
            dirs.add(where)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batches=st.lists(OPS, min_size=1, max_size=3))
def test_random_edits_incremental_equals_full_scan(
    batches: list[list[tuple[str, int, int, int]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        docs = populate(base / "Docs")
        repo = make_repo(base)
        # A second repository with the same keys: its full scans give the reference root ids.
        reference = make_repo(base, subkeys=repo.subkeys, index_name="reference.sqlite")
        backup(repo, [docs])
        tick = [0]
        for ops in batches:
            dirs: set[Path] = set()
            trees: set[Path] = set()
            for op in ops:
                _apply(docs, op, tick, dirs, trees)
            incremental(repo, [docs], sorted(dirs), sorted(trees))
            backup(reference, [docs])
            assert root_and_counts(repo) == root_and_counts(reference)
            assert snapshot(repo, "Docs") == disk(docs)
            assert_live(repo)


def test_a_full_scan_after_incremental_runs_counts_again_even_when_nothing_changed(
    tmp_path: Path,
) -> None:
    """Incremental runs carry the live set over as a superset; the next full scan must make it
    exact, even when it finds the same tree and could otherwise reuse the last counts."""
    docs = populate(tmp_path / "Docs")
    repo = make_repo(tmp_path)
    backup(repo, [docs])
    before = {p.pack_id for p in repo.index.packs("committed")}
    big = write(docs / "alpha" / "big.bin", os.urandom(300_000), mtime=OLD)
    incremental(repo, [docs], [docs / "alpha"])
    big_packs = {p.pack_id for p in repo.index.packs("committed")} - before
    assert big_packs
    big.unlink()
    incremental(repo, [docs], [docs / "alpha"])
    assert repo.index.packs("removed") == []
    backup(repo, [docs])  # the same tree as the incremental run's
    assert_live(repo)
    assert big_packs & {p.pack_id for p in repo.index.packs("removed")}
