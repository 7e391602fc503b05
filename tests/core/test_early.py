"""The early lane: a first backup's large files are read alongside the walk, never differently."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import pytest

from app.core import early as early_mod
from app.core.backup import backup
from app.core.backup_files import WHOLE_READ, FileFailed, FileRead
from app.core.early import EarlyReads
from app.core.progress import Cancelled, CancelToken
from app.core.restore import restore
from tests.core.enginekit import describe, make_repo, write

OLD = 1_600_000_000_000_000_000


class _Recorder:
    """A read function that notes what it was asked for, in order."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, path: str) -> FileRead | FileFailed:
        with self.lock:
            self.paths.append(path)
        return FileFailed(f"read {os.path.basename(path)}")

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.paths) < count:
            assert time.monotonic() < deadline, f"only {self.paths} were read"
            time.sleep(0.01)


def _tree(root: Path) -> Path:
    top = root / "top"
    write(top / "b.bin", b"x" * 300)
    write(top / "a.bin", b"x" * 200)
    write(top / "small.txt", b"x" * 50)
    write(top / "sub" / "c.bin", b"x" * 400)
    write(top / "skip" / "d.bin", b"x" * 500)
    write(top / "sub" / "secret.bin", b"x" * 600)
    os.symlink(top / "a.bin", top / "link.bin")  # a link to a large file is never read
    return top


def _excluding(*names: str):  # type: ignore[no-untyped-def]
    def exclude(path: Path, st: os.stat_result) -> str | None:
        return "excluded" if path.name in names else None

    return exclude


def test_finds_large_files_in_walk_order_with_the_walks_exclusions(
    tmp_path: Path, engine: str
) -> None:
    top = _tree(tmp_path)
    read = _Recorder()
    lane = EarlyReads(
        [str(top)],
        read,
        exclude=_excluding("skip", "secret.bin"),
        cancel=CancelToken(),
        min_size=100,
    )
    read.wait_for(3)
    # The walk takes each file when it gets there; the lane's read is what it gets back.
    futures = {
        name: lane.take(str(top / name), size)
        for name, size in [("a.bin", 200), ("b.bin", 300), ("sub/c.bin", 400)]
    }
    assert lane.take(str(top / "small.txt"), 50) is None, "a small file is never the lane's"
    for name, future in futures.items():
        assert future is not None
        outcome = future.result(timeout=10)
        assert isinstance(outcome, FileFailed) and outcome.reason == f"read {Path(name).name}"
    lane.close()
    # A folder's files before its subfolders, names sorted: the order the walk meets them.
    assert read.paths == [str(top / "a.bin"), str(top / "b.bin"), str(top / "sub" / "c.bin")]


def test_a_file_the_walk_reaches_first_is_not_read_by_the_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = _tree(tmp_path)
    read = _Recorder()
    listing_sub = threading.Event()
    release = threading.Event()
    real_list = EarlyReads._list

    def slow_list(self: EarlyReads, folder: str):  # type: ignore[no-untyped-def]
        if folder.endswith("sub"):
            listing_sub.set()
            assert release.wait(10)
        return real_list(self, folder)

    monkeypatch.setattr(EarlyReads, "_list", slow_list)
    lane = EarlyReads([str(top)], read, exclude=None, cancel=CancelToken(), min_size=100)
    assert listing_sub.wait(10)
    assert lane.take(str(top / "sub" / "c.bin"), 400) is None  # the walk got there first
    release.set()
    read.wait_for(4)  # a.bin, b.bin, skip/d.bin, sub/secret.bin: sub/c.bin is the walk's
    secret = lane.take(str(top / "sub" / "secret.bin"), 600)
    assert secret is not None and isinstance(secret.result(timeout=10), FileFailed)
    lane.close()
    assert str(top / "sub" / "c.bin") not in read.paths
    assert str(top / "sub" / "secret.bin") in read.paths


def test_close_drops_queued_reads_and_a_cancelled_run_stops_finding(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    started, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def blocking_read(path: str) -> FileRead | FileFailed:
        seen.append(path)
        started.set()
        assert release.wait(10)
        return FileFailed("done")

    cancel = CancelToken()
    lane = EarlyReads([str(top)], blocking_read, exclude=None, cancel=cancel, min_size=100)
    assert started.wait(10)
    queued = lane.take(str(top / "sub" / "c.bin"), 400)
    cancel.cancel()
    release.set()
    lane.close()
    assert seen == [str(top / "a.bin")], "only the read under way ran"
    assert queued is None or queued.cancelled() or isinstance(queued.exception(), Cancelled)


def test_a_failing_exclusion_rule_stops_the_lane_quietly(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    read = _Recorder()

    def broken(path: Path, st: os.stat_result) -> str | None:
        raise RuntimeError("a rule that cannot be evaluated")

    lane = EarlyReads([str(top)], read, exclude=broken, cancel=CancelToken(), min_size=100)
    lane._finder.join(10)
    assert not lane._finder.is_alive()
    assert lane.take(str(top / "a.bin"), 200) is None, "the walk reads it (and meets the rule)"
    lane.close()
    assert read.paths == []


def test_first_backup_streams_large_files_on_the_lane_and_restores_them(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "Videos"
    big = WHOLE_READ + 123_457
    write(src / "a" / "holiday.mp4", os.urandom(big), mtime=OLD)
    write(src / "z" / "film.mkv", os.urandom(big), mtime=OLD + 1)
    for n in range(40):
        write(src / "m" / f"note {n}.txt", f"note {n} " * 50, mtime=OLD + 2)
    expected = describe(src)
    taken: list[str] = []
    real_take = EarlyReads.take

    def spy(self: EarlyReads, path: str, size: int):  # type: ignore[no-untyped-def]
        got = real_take(self, path, size)
        if got is not None:
            taken.append(os.path.basename(path))
        return got

    monkeypatch.setattr(EarlyReads, "take", spy)
    made: list[int] = []
    real_init = early_mod.EarlyReads.__init__

    def counting_init(self: EarlyReads, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        made.append(1)
        real_init(self, *args, **kwargs)
        self._finder.join(10)  # the lane has found both before the walk (fast) reaches them

    monkeypatch.setattr(EarlyReads, "__init__", counting_init)
    repo = make_repo(tmp_path)

    first = backup(repo, [src])

    assert first.problems == [] and first.files_new == 42
    assert made == [1], "a first backup starts the lane"
    assert sorted(taken) == ["film.mkv", "holiday.mp4"], "both large files came from the lane"
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []
    assert describe(out / "Videos") == expected

    write(src / "z" / "film.mkv", os.urandom(big), mtime=OLD + 5)
    second = backup(repo, [src])
    assert made == [1], "later backups (the files cache vouches for most files) do not"
    assert second.files_changed == 1


def test_large_files_chunks_and_small_files_never_share_a_pack(tmp_path: Path, engine: str) -> None:
    # Read side by side in a first backup, they would interleave in packs; a restore of the
    # small files then could not read through short gaps (see `Packer`).
    from app.core.chunker import chunk_bytes
    from app.core.keys import chunk_id

    src = tmp_path / "Home"
    video = os.urandom(WHOLE_READ + 3_000_000)
    photo = os.urandom(3_000_000)  # more than one chunk, read whole by the walk
    write(src / "a" / "video.mp4", video, mtime=OLD)
    write(src / "b" / "photo.jpg", photo, mtime=OLD)
    notes = [f"note {n} ".encode() * 40 for n in range(60)]
    for n, text in enumerate(notes):
        write(src / "a" / f"note {n}.txt", text, mtime=OLD)
    repo = make_repo(tmp_path)
    backup(repo, [src])

    def packs_of(blobs: list[bytes]) -> set[str]:
        ids = [chunk_id(repo.subkeys, blob) for blob in blobs]
        found = repo.index.blob_pack_states(ids)
        assert len(found) == len(set(ids)), "every blob is stored"
        return {pack for pack, _ in found.values()}

    bulk = packs_of(chunk_bytes(video) + chunk_bytes(photo))
    small = packs_of(notes)
    assert bulk and small and not bulk & small
    # Each large file's chunks lie together, in order: one range to fetch on restore.
    for content in (video, photo):
        ids = [chunk_id(repo.subkeys, c) for c in chunk_bytes(content)]
        where = repo.index.lookup_many(ids)
        spots = [(where[i].pack_id, where[i].offset, where[i].length) for i in ids]
        assert len({pack for pack, _, _ in spots}) == 1
        assert all(a[1] + a[2] == b[1] for a, b in itertools.pairwise(spots))
