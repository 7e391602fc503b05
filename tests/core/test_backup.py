"""Backup runs: round trips, incremental behaviour, consistency of reads, faults and resumption."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from app.core import backup_files
from app.core import index as ix
from app.core.backup import backup, folder_labels
from app.core.errors import Retryable
from app.core.ports import CommitRequest, PackBytes
from app.core.progress import Cancelled, CancelToken, NoEvents, Progress
from app.core.restore import restore
from app.core.tree import NodeType
from tests.core.enginekit import describe, make_repo, service_of, write

OLD = 1_600_000_000_123_456_789  # an mtime well in the past, with nanoseconds


def make_tree(root: Path) -> Path:
    src = root / "Documents"
    write(src / "a" / "b" / "deep.txt", "deep", mtime=OLD)
    write(src / "a" / "sibling.txt", "sib" * 100, mtime=OLD + 1)
    write(src / "empty.bin", b"", mtime=OLD + 2)
    write(src / "ünïcødé 文件.txt", "unicode name", mtime=OLD + 3)
    write(src / "big.bin", os.urandom(1_500_000), mtime=OLD + 4)
    (src / "empty dir").mkdir()
    os.symlink("a/b/deep.txt", src / "link")
    os.symlink("/nonexistent/target", src / "dangling")
    os.chmod(src / "a" / "sibling.txt", 0o640)
    if sys.platform.startswith("linux"):
        raw = os.fsencode(src) + b"/bad-\xff-name.txt"
        with open(raw, "wb") as f:
            f.write(b"non utf-8 name")
    os.utime(src / "a" / "b", ns=(OLD + 5, OLD + 5))
    return src


def test_backup_then_restore_reproduces_everything(tmp_path: Path, engine: str) -> None:
    src = make_tree(tmp_path)
    expected = describe(src)
    repo = make_repo(tmp_path)

    result = backup(repo, [src])

    assert result.problems == []
    assert result.files_new == len([v for v in expected.values() if v[0] == "file"])
    out = tmp_path / "out"
    restored = restore(repo, repo.resolve(None), [], out)
    assert restored.failures == []
    assert describe(out / "Documents") == expected


def test_second_backup_without_changes_reads_and_uploads_nothing(tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    repo = make_repo(tmp_path)
    first = backup(repo, [src])
    puts = service_of(repo).calls.count("put_pack")

    second = backup(repo, [src])

    assert second.packs_uploaded == 0 and second.bytes_added == 0
    assert second.bytes_read == 0
    assert second.files_unmodified == first.files_new
    assert service_of(repo).calls.count("put_pack") == puts
    assert repo.resolve(None).record.root == repo.resolve(first.snapshot_id).record.root


def test_editing_one_file_uploads_only_its_chunk_and_keeps_other_tree_ids(tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    repo = make_repo(tmp_path)
    first = backup(repo, [src])
    data_blobs_before = _data_blobs(repo)
    write(src / "a" / "b" / "deep.txt", "deeper", mtime=OLD + 10)

    second = backup(repo, [src])

    assert second.files_changed == 1 and second.bytes_read == len("deeper")
    assert len(_data_blobs(repo) - data_blobs_before) == 1
    old, new = repo.resolve(first.snapshot_id), repo.resolve(second.snapshot_id)
    for unchanged in ("Documents/empty dir",):
        assert repo.find(old, unchanged).subtree == repo.find(new, unchanged).subtree
    for changed in ("Documents/a", "Documents/a/b"):
        assert repo.find(old, changed).subtree != repo.find(new, changed).subtree
    assert repo.find(new, "Documents/big.bin").chunks == repo.find(old, "Documents/big.bin").chunks


def _data_blobs(repo) -> set[bytes]:  # type: ignore[no-untyped-def]
    rows = repo.index._query("SELECT id FROM blobs WHERE type = 1")
    return {bytes(r[0]) for r in rows}


@pytest.mark.usefixtures("python_engine")  # reaches inside the Python read path
def test_file_changing_once_while_read_is_read_again_never_mixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    target = write(src / "moving.txt", "A" * 1000, mtime=OLD)
    repo = make_repo(tmp_path)
    real = backup_files.read_chunks
    calls = []

    def changing(f: BinaryIO, size: int) -> Iterator[bytes]:
        calls.append(1)
        first = True
        for chunk in real(f, size):
            if first and len(calls) == 1:
                write(target, "B" * 2000)  # changes under the reader, once
            first = False
            yield chunk

    monkeypatch.setattr(backup_files, "read_chunks", changing)
    result = backup(repo, [src])

    assert result.problems == [] and len(calls) == 2
    node = repo.find(repo.resolve(None), "src/moving.txt")
    assert node.size == 2000
    out = tmp_path / "out"
    restore(repo, repo.resolve(None), ["src/moving.txt"], out)
    assert (out / "moving.txt").read_bytes() == b"B" * 2000


@pytest.mark.usefixtures("python_engine")  # reaches inside the Python read path
def test_file_that_keeps_changing_is_reported_and_previous_version_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    target = write(src / "log.txt", "version one", mtime=OLD)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    write(target, "version two!")
    real = backup_files.read_chunks

    def always_changing(f: BinaryIO, size: int) -> Iterator[bytes]:
        for chunk in real(f, size):
            with open(target, "ab") as g:
                g.write(b"+")
            yield chunk

    monkeypatch.setattr(backup_files, "read_chunks", always_changing)
    result = backup(repo, [src])

    assert [p for p, _ in result.problems] == [str(target)]
    assert "kept the previous version" in result.problems[0][1]
    out = tmp_path / "out"
    restore(repo, repo.resolve(None), ["src/log.txt"], out)
    assert (out / "log.txt").read_bytes() == b"version one"


@pytest.mark.usefixtures("python_engine")  # reaches inside the Python read path
def test_unreadable_file_is_reported_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    secret = write(src / "locked.db", "locked")
    write(src / "fine.txt", "fine")
    repo = make_repo(tmp_path)
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(secret))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(backup_files.os, "open", guarded)
    seen: list[tuple[str, str]] = []

    class Recorder(NoEvents):
        def problem(self, path: str, reason: str) -> None:
            seen.append((path, reason))

    result = backup(repo, [src], events=Recorder())

    assert result.problems == seen and [p for p, _ in seen] == [str(secret)]
    assert "permission denied" in seen[0][1]
    names = [n.name for n in repo.ls(repo.resolve(None), "src")]
    assert names == ["fine.txt"]


def test_excluded_entries_are_listed_and_left_out(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "keep.txt", "k")
    write(src / "cache" / "junk.bin", "j")
    write(src / "x.tmp", "t")

    def exclude(path: Path, st: os.stat_result) -> str | None:
        if path.name == "cache":
            return "cache folder"
        return "temporary file" if path.suffix == ".tmp" else None

    repo = make_repo(tmp_path)
    result = backup(repo, [src], exclude=exclude)

    assert sorted(result.excluded) == [
        (str(src / "cache"), "cache folder"),
        (str(src / "x.tmp"), "temporary file"),
    ]
    assert [n.name for n in repo.ls(repo.resolve(None), "src")] == ["keep.txt"]


def test_missing_protected_folder_keeps_its_previous_version(tmp_path: Path) -> None:
    drive = tmp_path / "usb"
    write(drive / "photo.jpg", "pixels")
    repo = make_repo(tmp_path)
    backup(repo, [drive])
    (drive / "photo.jpg").unlink()
    drive.rmdir()

    result = backup(repo, [drive])

    assert len(result.problems) == 1 and "kept the previous version" in result.problems[0][1]
    node = repo.find(repo.resolve(None), "usb/photo.jpg")
    assert node.type is NodeType.FILE and node.size == len("pixels")


def test_labels_are_basenames_made_unique(tmp_path: Path) -> None:
    labels = folder_labels([tmp_path / "a" / "docs", tmp_path / "b" / "docs", tmp_path / "c"])
    assert [label for label, _ in labels] == ["docs", "docs (2)", "c"]
    assert labels[1][1] == str(tmp_path / "b" / "docs")


def test_progress_reports_phases(tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    phases: list[str] = []

    class Recorder(NoEvents):
        def progress(self, p: Progress) -> None:
            phases.append(p.phase)

    backup(make_repo(tmp_path), [src], events=Recorder())
    assert phases[0] == "scanning" and phases[-1] == "committing"
    assert "uploading" in phases and len(phases) < 50


def test_cancelled_backup_commits_nothing_and_next_run_reuses_its_packs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for i in range(8):
        write(src / f"file{i}.txt", f"content {i}" * 50)
    repo = make_repo(tmp_path)
    repo.pack_target = 1  # one blob per pack, so the run uploads as it goes
    service = service_of(repo)
    token = CancelToken()
    uploaded: list[str] = []
    real_put = service.put_pack

    def put_then_maybe_cancel(pack_id: str, data: PackBytes) -> None:
        real_put(pack_id, data)
        uploaded.append(pack_id)
        if len(uploaded) == 3:
            token.cancel()

    service.put_pack = put_then_maybe_cancel  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        backup(repo, [src], cancel=token)
    assert service.list_snapshots() == []
    leftovers = {p.pack_id for p in repo.index.packs(ix.UPLOADED)}
    assert leftovers and leftovers <= set(uploaded)

    commits: list[CommitRequest] = []
    real_commit = service.commit
    service.commit = lambda req: commits.append(req) or real_commit(req)  # type: ignore[method-assign]
    result = backup(repo, [src])

    assert not leftovers & set(uploaded[len(uploaded) - result.packs_uploaded :])
    assert leftovers <= set(commits[0].added_packs)
    assert repo.index.packs(ix.UPLOADED) == []
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []
    assert describe(out / "src") == describe(src)


def test_failed_commit_leaves_packs_reusable(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "a.txt", "a" * 5000)
    repo = make_repo(tmp_path)
    service = service_of(repo)
    service.fail("commit", Retryable("connection reset"))
    with pytest.raises(Retryable):
        backup(repo, [src])
    puts = service.calls.count("put_pack")
    assert puts > 0 and repo.index.cache_size() == 0

    result = backup(repo, [src])

    assert result.packs_uploaded == 0 and service.calls.count("put_pack") == puts
    assert restore(repo, repo.resolve(None), [], tmp_path / "out").failures == []


def test_deleted_file_pack_leaves_live_set_and_is_not_deduplicated_against(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    write(src / "keep.txt", "keep")
    gone = write(src / "gone.txt", "soon deleted" * 10)
    repo = make_repo(tmp_path)
    repo.pack_target = 1
    service = service_of(repo)
    commits: list[CommitRequest] = []
    real_commit = service.commit
    service.commit = lambda req: commits.append(req) or real_commit(req)  # type: ignore[method-assign]
    backup(repo, [src])
    gone_chunk = repo.find(repo.resolve(None), "src/gone.txt").chunks[0]
    gone_pack = repo.index.lookup(gone_chunk).pack_id  # type: ignore[union-attr]
    gone.unlink()

    backup(repo, [src])
    assert gone_pack in commits[-1].removed_packs
    assert all(p.pack_id != gone_pack or p.expires_at for p in service.pack_states())

    write(gone, "soon deleted" * 10)
    result = backup(repo, [src])
    assert result.packs_uploaded >= 1  # stored again rather than revived from an ageing pack
    assert repo.index.lookup(gone_chunk).pack_id != gone_pack  # type: ignore[union-attr]


def test_an_unchanged_snapshot_takes_the_live_counts_of_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same root tree: same blobs, so the commit reuses the per-pack counts the previous commit
    made instead of counting every staged reference again, and commits no live-set change."""
    src = make_tree(tmp_path)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    before = repo.index.live_pack_counts()
    assert before

    def no_counting() -> tuple[dict[str, int], int]:
        raise AssertionError("an unchanged snapshot counted its references again")

    monkeypatch.setattr(repo.index, "staged_pack_counts", no_counting)
    commits: list[CommitRequest] = []
    real_commit = service_of(repo).commit
    monkeypatch.setattr(
        service_of(repo), "commit", lambda request: commits.append(request) or real_commit(request)
    )
    second = backup(repo, [src])
    assert second.files_unmodified and second.bytes_added == 0
    assert commits[0].added_packs == [] and commits[0].removed_packs == []
    assert repo.index.live_pack_counts() == before
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []
    assert describe(out / "Documents") == describe(src)


def test_counts_are_made_again_when_the_stored_ones_are_not_the_previous_snapshots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    before = repo.index.live_pack_counts()
    repo.index.set_meta(ix.LIVE_SNAPSHOT, None)  # as after a crash between commit and marking
    counted: list[int] = []
    real = repo.index.staged_pack_counts

    def counting() -> tuple[dict[str, int], int]:
        counted.append(1)
        return real()

    monkeypatch.setattr(repo.index, "staged_pack_counts", counting)
    backup(repo, [src])
    assert counted == [1]
    assert repo.index.live_pack_counts() == before
    write(src / "a" / "new.txt", "something new")
    backup(repo, [src])  # a changed tree is always counted
    assert counted == [1, 1]


def test_changed_large_files_stream_side_by_side_and_new_ones_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New large files are sealed almost whole, so they stream one at a time (memory); large
    files with a stored earlier version are mostly only hashed, so two stream at once."""
    monkeypatch.setattr(backup_files, "WHOLE_READ", 256 * 1024)
    src = tmp_path / "Documents"
    for i in range(4):
        write(src / f"disk{i}.img", os.urandom(700_000))
    active = [0]
    most = [0]
    lock = threading.Lock()
    real = backup_files.read_chunks

    def watched(f: BinaryIO, expected: int) -> Iterator[bytes | memoryview]:
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        try:
            time.sleep(0.2)  # long enough for a second reader to start
            yield from real(f, expected)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(backup_files, "read_chunks", watched)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    assert most[0] == 1
    for i in range(4):
        with open(src / f"disk{i}.img", "r+b") as f:
            f.seek(350_000)
            f.write(b"edited")
    most[0] = 0
    result = backup(repo, [src])
    assert result.files_changed == 4 and result.problems == []
    assert most[0] == 2
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []
    assert describe(out / "Documents") == describe(src)


def test_every_pack_goes_out_with_the_checksum_of_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import blake3

    from app.core.ports import HashedParts
    from app.core.spool import Spool
    from app.storage.memory_service import MemoryService

    sent: list[tuple[str, str]] = []
    real_put = MemoryService.put_pack

    def put_pack(self: MemoryService, pack_id: str, data: PackBytes) -> None:
        # Built in a temporary file beside the index (or, failing that, in memory), and hashed
        # by the thread that finished it.
        assert isinstance(data, Spool | HashedParts)
        whole = data.read_all() if isinstance(data, Spool) else b"".join(data)
        sent.append((type(data).__name__, blake3.blake3(whole).hexdigest(), data.checksum))
        real_put(self, pack_id, data)

    monkeypatch.setattr(MemoryService, "put_pack", put_pack)
    src = make_tree(tmp_path)
    backup(make_repo(tmp_path), [src])
    assert sent and all(real == told for _, real, told in sent)
    assert {kind for kind, _, _ in sent} == {"Spool"}
