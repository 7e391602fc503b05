"""Restores that read in bulk still fail only what is damaged, and never name a half-written file.

Folder trees are loaded many per request and neighbouring chunks share one ranged read, so these
tests damage data inside such shared reads and check that exactly the affected files fail; they
also check the batched flush that replaced an fsync per small file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.core import native, restore_flush, restore_trees
from app.core import restore as restore_mod
from app.core.backup import backup
from app.core.errors import Permanent, Retryable
from app.core.index import BlobLocation
from app.core.ports import PackBytes
from app.core.progress import Cancelled, CancelToken
from app.core.repository import Repository
from app.core.restore import restore
from app.core.restore_fetch import ChunkFetcher, _KeptRanges, bundle, coalesce
from app.core.safepath import TEMP_PREFIX
from app.core.sealing import BlobType
from app.storage.memory_service import MemoryService
from tests.conftest import native_module
from tests.core.enginekit import make_repo, service_of, write

OLD = 1_500_000_000_000_000_000


class CountingPacks:
    """The service's packs, counting reads (`reads`, one per range) and requests (`requests`,
    how many ranges each asked for); `cut` drops that many bytes off every data read."""

    def __init__(self, service: MemoryService, cut: int = 0) -> None:
        self.service = service
        self.reads: list[tuple[str, int, int | None]] = []
        self.requests: list[int] = []
        self.cut = cut
        self._lock = threading.Lock()

    def get_pack(self, pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        with self._lock:
            self.requests.append(1)
        return self._read(pack_id, start, length)

    def get_pack_ranges(self, ranges: Sequence[tuple[str, int, int]]) -> bytes:
        with self._lock:
            self.requests.append(len(ranges))
        return b"".join(self._read(pack, start, length) for pack, start, length in ranges)

    def _read(self, pack_id: str, start: int, length: int | None) -> bytes:
        with self._lock:
            self.reads.append((pack_id, start, length))
        data = self.service.get_pack(pack_id, start, length)
        return data[: len(data) - self.cut] if self.cut and len(data) > 4096 else data

    def put_pack(self, pack_id: str, data: PackBytes) -> None:
        self.service.put_pack(pack_id, data)

    def pack_size(self, pack_id: str) -> int | None:
        return self.service.pack_size(pack_id)

    def list_packs(self) -> dict[str, int]:
        return self.service.list_packs()


def files_in(count: int, size: int = 3000) -> dict[str, bytes]:
    return {f"f{i:03}.bin": os.urandom(size) for i in range(count)}


def backed_up(tmp_path: Path, files: dict[str, bytes]) -> tuple[Repository, Path]:
    src = tmp_path / "docs"
    for rel, data in files.items():
        write(src / rel, data, mtime=OLD)
    repo = make_repo(tmp_path)
    assert backup(repo, [src]).problems == []
    return repo, src


def fresh_view(repo: Repository, cut: int = 0) -> tuple[Repository, CountingPacks]:
    """The same set as a newly opened repository (nothing cached), reads counted."""
    packs = CountingPacks(service_of(repo), cut)
    view = Repository(repo.subkeys, packs, repo.log, repo.index, "test-pc", clock=repo.clock)
    return view, packs


def location(repo: Repository, path: str) -> BlobLocation:
    node = repo.find(repo.resolve(None), path)
    loc = repo.index.lookup(node.chunks[0] if node.chunks else node.subtree or b"")
    assert loc is not None
    return loc


def restored(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def no_temp_files(root: Path) -> bool:
    return not any(p.name.startswith(TEMP_PREFIX) for p in root.rglob("*"))


def test_neighbours_share_one_read_and_a_tampered_one_fails_alone(tmp_path: Path) -> None:
    files = files_in(30)
    repo, _ = backed_up(tmp_path, files)
    bad = location(repo, "docs/f015.bin")
    service_of(repo).tamper_pack(bad.pack_id, bad.offset + bad.length // 2)
    view, packs = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert [p for p, _ in result.failures] == ["docs/f015.bin"]
    assert "integrity error in docs/f015.bin" in result.failures[0][1]
    expected = {f"docs/{k}": v for k, v in files.items() if k != "f015.bin"}
    assert restored(tmp_path / "out") == expected
    data_reads = [r for r in packs.reads if r[0] == bad.pack_id]
    assert len(data_reads) == 1, "the 30 neighbouring chunks were not read together"
    assert no_temp_files(tmp_path / "out")


def test_a_short_answer_fails_only_the_files_it_cut_off(tmp_path: Path) -> None:
    files = files_in(40)
    repo, _ = backed_up(tmp_path, files)
    view, _ = fresh_view(repo, cut=7)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    got = restored(tmp_path / "out")
    failed = {p for p, _ in result.failures}
    assert failed, "a truncated read must fail the blob it cut"
    assert len(failed) < len(files)
    for name, data in files.items():  # everything is either exact or reported, never wrong
        path = f"docs/{name}"
        assert (path in failed) != (got.get(path) == data)


def test_missing_pack_fails_only_its_files(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    first = files_in(5)
    for rel, data in first.items():
        write(src / "old" / rel, data, mtime=OLD)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    second = files_in(5)
    for rel, data in second.items():
        write(src / "new" / rel, data, mtime=OLD)
    backup(repo, [src])
    lost = location(repo, "docs/old/f000.bin").pack_id
    assert lost != location(repo, "docs/new/f000.bin").pack_id
    view, packs = fresh_view(repo)
    assert restore(view, view.resolve(None), [], tmp_path / "all").failures == []
    # One batch, two packs: one request for both (and one for the folders).
    assert sorted(packs.requests)[-1] == 2 and len(packs.requests) < len(packs.reads)
    service_of(repo).lose_pack(lost)
    view, packs = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert sorted(p for p, _ in result.failures) == [f"docs/old/{n}" for n in sorted(first)]
    assert all(f"pack {lost} is missing" in reason for _, reason in result.failures)
    assert restored(tmp_path / "out") == {f"docs/new/{k}": v for k, v in second.items()}
    assert 2 in packs.requests, "the batch was first asked for in one request"


def test_a_dead_service_fails_a_batch_at_once_not_range_by_range(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    repo = make_repo(tmp_path)
    for part in ("old", "new"):  # two backups, two packs
        write(src / part / "a.bin", os.urandom(3000), mtime=OLD)
        backup(repo, [src])
    wanted = [location(repo, f"docs/{part}/a.bin") for part in ("old", "new")]
    assert wanted[0].pack_id != wanted[1].pack_id
    view, packs = fresh_view(repo)

    def unreachable(ranges: Sequence[tuple[str, int, int]]) -> bytes:
        packs.requests.append(len(ranges))
        raise Retryable("the service cannot be reached")

    packs.get_pack_ranges = unreachable  # type: ignore[method-assign]
    with ThreadPoolExecutor(2) as pool:
        fetched = ChunkFetcher(view, pool).fetch(loc.blob_id for loc in wanted)

    assert all(isinstance(fetched[loc.blob_id], Retryable) for loc in wanted)
    assert packs.requests == [2] and packs.reads == []  # not tried again range by range


def test_many_folders_are_loaded_with_few_requests(tmp_path: Path) -> None:
    files = {
        f"d{a}/e{b}/f{c}/x.txt": os.urandom(50)
        for a in range(4)
        for b in range(4)
        for c in range(4)
    }
    repo, _ = backed_up(tmp_path, files)
    view, packs = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert result.failures == [] and result.dirs_restored == 1 + 4 + 16 + 64
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}
    assert len(packs.reads) <= 12, f"{len(packs.reads)} reads for 85 folders"


def test_a_small_tree_budget_still_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"d{a}/e{b}/x{c}.txt": os.urandom(20) for a in range(3) for b in range(3) for c in range(2)
    }
    repo, _ = backed_up(tmp_path, files)
    monkeypatch.setattr(restore_trees, "AHEAD_BYTES", 1)
    monkeypatch.setattr(restore_trees, "KEEP_BYTES", 0)
    view, _ = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert result.failures == []
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}


def test_identical_and_empty_folders_are_each_restored(tmp_path: Path) -> None:
    same = os.urandom(100)
    files = {"a/x.txt": same, "b/x.txt": same, "c/d/x.txt": same}
    repo, src = backed_up(tmp_path, files)
    for name in ("e1", "e2", "a/e3"):
        (src / name).mkdir()
    backup(repo, [src])
    view, _ = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert result.failures == []
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}
    for name in ("e1", "e2", "a/e3"):
        assert (tmp_path / "out" / "docs" / name).is_dir()


def test_a_tampered_folder_tree_fails_only_that_folder(tmp_path: Path) -> None:
    files = {"keep/a.txt": b"a" * 100, "lose/b.txt": b"b" * 100, "lose/deeper/c.txt": b"c"}
    repo, _ = backed_up(tmp_path, files)
    tree = location(repo, "docs/lose")
    assert tree.blob_type == BlobType.TREE
    service_of(repo).tamper_pack(tree.pack_id, tree.offset + tree.length // 2)
    view, _ = fresh_view(repo)

    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert [p for p, _ in result.failures] == ["docs/lose"]
    assert "folder 'docs/lose'" in result.failures[0][1]
    assert restored(tmp_path / "out") == {"docs/keep/a.txt": b"a" * 100}


def test_small_files_are_on_disk_before_they_get_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not restore_flush.batch_flush_available():
        pytest.skip("no file-system flush here: each file is fsynced instead")
    files = files_in(50)
    repo, _ = backed_up(tmp_path, files)
    out = tmp_path / "out"
    flushes: list[tuple[int, int]] = []
    real = restore_flush.flush_filesystems

    def flush(fds: set[int]) -> bool:
        named = [p for p in out.rglob("*.bin")]
        temps = [p for p in out.rglob(TEMP_PREFIX + "*")]
        flushes.append((len(named), len(temps)))
        return real(fds)

    monkeypatch.setattr(restore_flush, "flush_filesystems", flush)
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])

    result = restore(repo, repo.resolve(None), [], out)

    assert result.failures == [] and result.files_restored == 50
    assert flushes and all(named == 0 for named, _ in flushes[:1])
    assert sum(temps for _, temps in flushes) == 50, "every file was flushed under a temp name"
    assert fsyncs == [], "small files are flushed together, not one fsync each"
    assert no_temp_files(out)


@pytest.mark.usefixtures("python_engine")  # counts the Python path's fsync calls
def test_without_a_file_system_flush_each_file_is_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = files_in(12)
    repo, _ = backed_up(tmp_path, files)
    monkeypatch.setattr(restore_flush, "_SYNCFS", None)
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert result.failures == [] and len(fsyncs) == 12
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}


def test_without_a_file_system_flush_the_native_writer_fsyncs_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kn = native_module()
    files = files_in(12)
    repo, _ = backed_up(tmp_path, files)
    calls: list[tuple[int, bool]] = []

    class Spy:
        def __getattr__(self, name: str) -> object:
            return getattr(kn, name)

        def write_files(self, jobs: list[tuple[object, ...]], sync: bool) -> list[int]:
            calls.append((len(jobs), sync))
            written: list[int] = kn.write_files(jobs, sync)
            return written

    monkeypatch.setattr(native, "module", Spy())
    for flush in (None, restore_flush._load_syncfs()):
        calls.clear()
        monkeypatch.setattr(restore_flush, "_SYNCFS", flush)
        out = tmp_path / f"out-{flush is None}"

        result = restore(repo, repo.resolve(None), [], out)

        assert result.failures == []
        assert restored(out) == {f"docs/{k}": v for k, v in files.items()}
        assert sum(n for n, _ in calls) == 12
        assert all(sync is (flush is None) for _, sync in calls)


def test_a_failed_flush_falls_back_to_an_fsync_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = files_in(8)
    repo, _ = backed_up(tmp_path, files)
    monkeypatch.setattr(restore_flush, "_SYNCFS", lambda fd: -1)
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert result.failures == [] and len(fsyncs) == 8
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}
    assert no_temp_files(tmp_path / "out")


def test_cancel_leaves_complete_files_only_and_no_open_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"d{i % 7}/f{i:03}.bin": os.urandom(2000) for i in range(300)}
    repo, _ = backed_up(tmp_path, files)
    monkeypatch.setattr(restore_mod, "BATCH_FILES", 10)
    view, packs = fresh_view(repo)
    token = CancelToken()
    real = packs.get_pack

    def cancel_soon(pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        if len(packs.reads) > 8:
            token.cancel()
        return real(pack_id, start, length)

    packs.get_pack = cancel_soon  # type: ignore[method-assign]
    fds_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    with pytest.raises(Cancelled):
        restore(view, view.resolve(None), [], tmp_path / "out", cancel=token)

    got = restored(tmp_path / "out")
    assert len(got) < len(files)
    assert all(files[k.removeprefix("docs/")] == v for k, v in got.items())
    assert no_temp_files(tmp_path / "out")
    if fds_before:
        assert len(os.listdir("/proc/self/fd")) <= fds_before


def test_a_cancel_after_the_walk_still_says_cancelled(tmp_path: Path) -> None:
    files = files_in(20)
    repo, _ = backed_up(tmp_path, files)
    view, packs = fresh_view(repo)
    token = CancelToken()
    data_pack = location(repo, "docs/f000.bin").pack_id
    real = packs.get_pack

    def cancel_on_data(pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        if pack_id == data_pack:
            token.cancel()  # the walk is done by now: only the writer can notice
        return real(pack_id, start, length)

    packs.get_pack = cancel_on_data  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        restore(view, view.resolve(None), [], tmp_path / "out", cancel=token)
    assert no_temp_files(tmp_path / "out")


def test_coalesce_reads_through_small_gaps_and_caps_reads() -> None:
    def loc(offset: int, length: int) -> BlobLocation:
        return BlobLocation(offset.to_bytes(32, "big"), BlobType.DATA, "p", offset, length, length)

    locs = [loc(0, 100), loc(100, 100), loc(250, 50), loc(10_000, 100), loc(10_100, 5000)]
    groups = coalesce(list(reversed(locs)), max_gap=100, max_range=3000)
    assert [[g.offset for g in group] for group in groups] == [[0, 100, 250], [10_000], [10_100]]
    assert coalesce([loc(0, 9000)], max_gap=0, max_range=10) == [[loc(0, 9000)]]


def test_ranges_travel_together_in_order_up_to_the_request_size() -> None:
    def group(pack: str, offset: int, length: int) -> list[BlobLocation]:
        return [BlobLocation(b"x" * 32, BlobType.DATA, pack, offset, length, length)]

    a, b, c, d = group("p", 0, 40), group("q", 500, 50), group("p", 900, 200), group("r", 0, 10)
    packed = bundle([a, b, c, d], max_request=100)
    assert packed == [[a, b], [c], [d]]  # the large one alone; none reordered
    assert bundle([a, b, c, d], max_request=0) == [[a], [b], [c], [d]]
    assert bundle([], max_request=100) == []


def test_a_kept_slice_of_a_larger_answer_is_copied_out_of_it() -> None:
    kept = _KeptRanges(budget=100)
    answer = bytes(range(200))
    kept.add("p", 0, memoryview(answer)[20:60])
    hit = kept.find(BlobLocation(b"x" * 32, BlobType.TREE, "p", 5, 10, 10))
    assert hit is not None and bytes(hit) == answer[25:35]
    assert hit.obj is not answer  # holding it must not hold the whole answer


def test_kept_ranges_serve_covered_blobs_and_forget_the_oldest() -> None:
    kept = _KeptRanges(budget=100)
    kept.add("p", 0, memoryview(bytes(range(60))))
    hit = kept.find(BlobLocation(b"x" * 32, BlobType.TREE, "p", 10, 5, 5))
    assert hit is not None and bytes(hit) == bytes(range(10, 15))
    assert kept.find(BlobLocation(b"x" * 32, BlobType.TREE, "p", 55, 10, 10)) is None
    kept.add("q", 0, memoryview(b"\0" * 60))  # over budget: the first range goes
    assert kept.find(BlobLocation(b"x" * 32, BlobType.TREE, "p", 10, 5, 5)) is None


def test_a_broken_connection_fails_the_files_of_that_read_only(tmp_path: Path) -> None:
    files = files_in(6)
    repo, _ = backed_up(tmp_path, files)
    view, packs = fresh_view(repo)
    data_pack = location(repo, "docs/f000.bin").pack_id
    real = packs.get_pack

    def flaky(pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        if pack_id == data_pack:
            raise Permanent("the connection was reset")
        return real(pack_id, start, length)

    packs.get_pack = flaky  # type: ignore[method-assign]
    result = restore(view, view.resolve(None), [], tmp_path / "out")

    assert sorted(p for p, _ in result.failures) == [f"docs/{n}" for n in sorted(files)]
    assert (tmp_path / "out" / "docs").is_dir() and restored(tmp_path / "out") == {}


class WindowCounting(ChunkFetcher):
    """Counts the reads started and not yet taken (`most` at once), to see what is in flight."""

    lock = threading.Lock()
    open_reads = 0
    most = 0

    def start_located(self, locations, errors=None):  # type: ignore[no-untyped-def]
        pending = super().start_located(locations, errors)
        with self.lock:
            WindowCounting.open_reads += 1
            WindowCounting.most = max(WindowCounting.most, WindowCounting.open_reads)
        taken = pending.result

        def result():  # type: ignore[no-untyped-def]
            with self.lock:
                WindowCounting.open_reads -= 1
            return taken()

        pending.result = result  # type: ignore[method-assign]
        return pending


@pytest.fixture
def large_files_only(monkeypatch: pytest.MonkeyPatch) -> type[WindowCounting]:
    """Every file streams as a large file, a chunk per window; reads in flight are counted."""
    from app.core import restore_write

    monkeypatch.setattr(restore_mod, "BATCH_BYTES", 1024)
    monkeypatch.setattr(restore_mod, "STREAM_WINDOW", 1)
    monkeypatch.setattr(restore_write, "ChunkFetcher", WindowCounting)
    WindowCounting.open_reads = WindowCounting.most = 0
    return WindowCounting


def test_a_lone_large_file_borrows_a_free_slot_for_one_more_window(
    tmp_path: Path, large_files_only: type[WindowCounting]
) -> None:
    big = os.urandom(5 * 1024 * 1024)
    repo, _ = backed_up(tmp_path, {"big.bin": big})
    assert len(repo.find(repo.resolve(None), "docs/big.bin").chunks) >= 3

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert result.failures == [] and (tmp_path / "out" / "docs" / "big.bin").read_bytes() == big
    assert large_files_only.most == 1 + restore_mod.STREAM_SPARE


def test_large_files_together_download_no_more_windows_than_there_are_slots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large_files_only: type[WindowCounting]
) -> None:
    monkeypatch.setattr(restore_mod, "IN_FLIGHT", 2)
    files = {f"big{i}.bin": os.urandom(3 * 1024 * 1024) for i in range(5)}
    repo, _ = backed_up(tmp_path, files)

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert result.failures == []
    assert restored(tmp_path / "out") == {f"docs/{k}": v for k, v in files.items()}
    assert 1 <= large_files_only.most <= 2


@pytest.mark.parametrize("damaged", [False, True])
def test_a_large_file_gives_back_the_slot_it_borrowed_even_when_it_fails(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    large_files_only: type[WindowCounting],
    damaged: bool,
) -> None:
    from app.core import restore_write

    slots: list[threading.Semaphore] = []

    class Writer(restore_write.FileWriter):
        def close(self) -> None:
            slots.append(self._slots)
            super().close()

    monkeypatch.setattr(restore_mod, "FileWriter", Writer)
    big = os.urandom(5 * 1024 * 1024)
    repo, _ = backed_up(tmp_path, {"big.bin": big})
    if damaged:  # the first window fails while the next one downloads in a borrowed slot
        first = location(repo, "docs/big.bin")
        service_of(repo).tamper_pack(first.pack_id, first.offset + 100)

    result = restore(repo, repo.resolve(None), [], tmp_path / "out")

    assert [p for p, _ in result.failures] == (["docs/big.bin"] if damaged else [])
    assert large_files_only.most == 2, "the file did not borrow a slot"
    free = [slots[0].acquire(blocking=False) for _ in range(restore_mod.IN_FLIGHT + 1)]
    assert free == [True] * restore_mod.IN_FLIGHT + [False]  # all back, none twice
    assert no_temp_files(tmp_path / "out")
