"""The repository view: snapshot chain checks, resolving, versions, index rebuild and sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.backup import backup
from app.core.errors import IntegrityError, NotFound, SnapshotChainError
from app.core.restore import restore
from app.core.snapshot import new_snapshot_id
from tests.core.enginekit import describe, make_repo, service_of, write

OLD = 1_500_000_000_000_000_000


def three_snapshots(tmp_path: Path):  # type: ignore[no-untyped-def]
    src = tmp_path / "docs"
    repo = make_repo(tmp_path)
    ids = []
    for i in range(3):
        write(src / "f.txt", f"version {i}", mtime=OLD + i)
        ids.append(backup(repo, [src]).snapshot_id)
    return repo, src, ids


def test_hidden_newest_snapshot_is_detected(tmp_path: Path) -> None:
    repo, _, ids = three_snapshots(tmp_path)
    service_of(repo).drop_snapshot(ids[-1])
    with pytest.raises(SnapshotChainError, match="no longer lists"):
        repo.snapshots()


def test_snapshot_hidden_in_the_middle_is_detected(tmp_path: Path) -> None:
    repo, _, ids = three_snapshots(tmp_path)
    service_of(repo).drop_snapshot(ids[1])
    with pytest.raises(SnapshotChainError):
        repo.snapshots()


def test_replayed_snapshot_is_detected(tmp_path: Path) -> None:
    repo, _, ids = three_snapshots(tmp_path)
    service_of(repo).replay_snapshot(ids[0])
    with pytest.raises(SnapshotChainError):
        repo.snapshots()


def test_rollback_is_detected_and_backup_refuses_to_build_on_it(tmp_path: Path) -> None:
    repo, src, _ = three_snapshots(tmp_path)
    service_of(repo).rollback(1)
    with pytest.raises(SnapshotChainError):
        backup(repo, [src])


def test_forged_snapshot_is_detected(tmp_path: Path) -> None:
    repo, _, ids = three_snapshots(tmp_path)
    service = service_of(repo)
    service.inject_snapshot(new_snapshot_id(), service.get_snapshot(ids[0]))
    with pytest.raises(IntegrityError):
        repo.snapshots()


def test_resolve_by_latest_prefix_and_time(tmp_path: Path) -> None:
    repo, _, ids = three_snapshots(tmp_path)
    snaps = repo.snapshots()
    assert [s.snapshot_id for s in snaps] == ids
    assert repo.resolve(None).snapshot_id == ids[-1]
    assert repo.resolve(ids[1][:6]).snapshot_id == ids[1]
    assert repo.resolve(snaps[1].time.isoformat()).snapshot_id == ids[1]
    assert repo.resolve(snaps[-1].time.date().isoformat()).snapshot_id == ids[-1]
    with pytest.raises(NotFound):
        repo.resolve("1999-01-01")
    with pytest.raises(NotFound):
        repo.resolve("not a date")


def test_ls_and_find(tmp_path: Path) -> None:
    repo, _, _ = three_snapshots(tmp_path)
    snap = repo.resolve(None)
    assert [n.name for n in repo.ls(snap, "")] == ["docs"]
    assert [n.name for n in repo.ls(snap, "docs")] == ["f.txt"]
    assert repo.find(snap, "/docs/f.txt/").size == len("version 2")
    with pytest.raises(NotFound):
        repo.find(snap, "docs/missing")
    with pytest.raises(NotFound):
        repo.find(snap, "docs/f.txt/below")


def test_versions_lists_each_distinct_content_once(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    repo = make_repo(tmp_path)
    contents = ["A", "B", "B", "A"]
    for i, text in enumerate(contents):
        write(src / "f.txt", text, mtime=OLD + i)  # the third run only touches the file
        write(src / "other.txt", f"other {i}", mtime=OLD + i)
        backup(repo, [src])

    versions = repo.versions("docs/f.txt")

    assert [node.size for _, node in versions] == [1, 1, 1]
    assert [s.seq for s, _ in versions] == [1, 2, 4]

    fresh = make_repo(tmp_path, service=service_of(repo), subkeys=repo.subkeys, index_name="new")
    fresh.rebuild_index()
    walked = fresh.versions("docs/f.txt")
    assert [(s.seq, n.chunks) for s, n in walked] == [(s.seq, n.chunks) for s, n in versions]


def test_rebuild_index_on_a_new_pc_restores_everything(tmp_path: Path) -> None:
    repo, src, _ = three_snapshots(tmp_path)
    repo.full_index_every = 2
    write(src / "sub" / "more.txt", "more")
    backup(repo, [src])
    backup(repo, [src])
    kinds = [i.kind for i in service_of(repo).list_indexes()]
    assert kinds[0] == "full" and len(kinds) < 5

    fresh = make_repo(tmp_path, service=service_of(repo), subkeys=repo.subkeys, index_name="pc2")
    fresh.rebuild_index()

    assert [s.snapshot_id for s in fresh.snapshots()] == [s.snapshot_id for s in repo.snapshots()]
    out = tmp_path / "out"
    assert restore(fresh, fresh.resolve(None), [], out).failures == []
    assert describe(out / "docs") == describe(src)
    old = restore(fresh, fresh.resolve(repo.snapshots()[0].snapshot_id), ["docs/f.txt"], out)
    assert old.failures == [] and (out / "f.txt").read_text() == "version 0"


def test_new_pc_can_continue_the_backup_without_reuploading(tmp_path: Path) -> None:
    repo, src, _ = three_snapshots(tmp_path)
    fresh = make_repo(tmp_path, service=service_of(repo), subkeys=repo.subkeys, index_name="pc2")
    fresh.rebuild_index()

    result = backup(fresh, [src])

    assert result.packs_uploaded == 0 and result.files_new == 1
    # The first PC sees that history moved on elsewhere: it re-reads (its cache no longer
    # describes the state) but uploads nothing, and chains onto the other PC's snapshot.
    again = backup(repo, [src])
    assert again.packs_uploaded == 0 and again.bytes_read > 0
    assert [s.seq for s in fresh.snapshots()] == [1, 2, 3, 4, 5]


def test_sync_picks_up_commits_made_elsewhere(tmp_path: Path) -> None:
    repo, src, _ = three_snapshots(tmp_path)
    other = make_repo(tmp_path, service=service_of(repo), subkeys=repo.subkeys, index_name="pc2")
    other.rebuild_index()
    write(src / "new.txt", "made on the first pc")
    backup(repo, [src])

    other.sync()

    snap = other.resolve(None)
    assert snap.snapshot_id == repo.resolve(None).snapshot_id
    out = tmp_path / "out"
    assert restore(other, snap, ["docs/new.txt"], out).failures == []
    assert (out / "new.txt").read_text() == "made on the first pc"


def test_a_snapshot_committed_after_the_last_sync_can_be_read_at_once(tmp_path: Path) -> None:
    """A new PC restoring while the old one still backs up: the listing may show a snapshot
    whose index this PC has not learned yet; it learns it instead of failing on its trees."""
    repo, src, _ = three_snapshots(tmp_path)
    other = make_repo(tmp_path, service=service_of(repo), subkeys=repo.subkeys, index_name="pc2")
    other.rebuild_index()
    (src / "later").mkdir()
    write(src / "later" / "new.txt", "committed after the other pc synced")
    backup(repo, [src])

    snap = other.resolve(None)  # no sync in between
    assert snap.snapshot_id == repo.resolve(None).snapshot_id
    assert [n.name for n in other.ls(snap, "docs/later")] == ["new.txt"]
    out = tmp_path / "out"
    assert restore(other, snap, ["docs/later/new.txt"], out).failures == []
    assert (out / "new.txt").read_text() == "committed after the other pc synced"


def test_tampered_index_object_is_refused_on_rebuild(tmp_path: Path) -> None:
    repo, _, _ = three_snapshots(tmp_path)
    service = service_of(repo)
    service.tamper_index(service.list_indexes()[0].index_id, 40)
    fresh = make_repo(tmp_path, service=service, subkeys=repo.subkeys, index_name="pc2")
    with pytest.raises(IntegrityError):
        fresh.rebuild_index()
