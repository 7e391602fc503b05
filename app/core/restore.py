"""Restores files and folders from a snapshot, verified, without ever writing outside the target.

Where things go: with a `target`, each selected item is put directly under it like a copy
(`label/a/b` -> `target/b`; everything -> `target/<label>/...`). Without one, items go back to
where they came from (`record.folders[label]/a/b`). Every chunk is authenticated and checked
against its id before a byte of its file is written, files are written to a temp name, made
durable and renamed into place, and a file that cannot be restored (missing or tampered data, a
hostile name, a symlink in the way) is reported while the others are restored.

How it goes fast: the walk (this thread) loads folder trees in bulk (`restore_trees`), creates
folders and collects small files into batches; each batch's chunks start downloading at once
(grouped per pack, coalesced ranges, `restore_fetch`) while writer threads finish earlier
batches, so downloading, decrypting and writing overlap. A batch is written to temp names, made
durable with one flush of the file system (`restore_flush`: a restored file must never appear
half-written under its name, and an fsync per small file cost more than the rest of the
restore), then renamed into place. Large files stream through a writer with their next windows
already downloading, and are fsynced on their own.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import IntegrityError, KeepsakeError, NotFound, UnsafePath
from app.core.index import BlobLocation
from app.core.progress import Cancelled, CancelToken, Events, NoEvents, Progress
from app.core.repository import Repository, SnapshotInfo
from app.core.restore_dirs import Conflict, DirHandle, keep_both_name
from app.core.restore_fetch import ChunkFetcher, Fetched, Pending
from app.core.restore_flush import batch_flush_available, flush_filesystems
from app.core.restore_trees import TreeLoader
from app.core.safepath import SafeDir, check_name, split_path
from app.core.tree import Node, NodeType

__all__ = ["Conflict", "RestoreResult", "keep_both_name", "restore"]

BATCH_BYTES = 16 * 1024 * 1024  # small files are fetched and written together up to this much
BATCH_FILES = 256
BATCH_DIRS = 32  # every folder with a file in flight keeps a dir fd open
IN_FLIGHT = 3  # batches and large files between the walk and the disk (bounds memory)
WRITERS = 2
STREAM_WINDOW = 64  # chunks of a large file fetched at once, at most ...
STREAM_BYTES = 8 * 1024 * 1024  # ... and about this many bytes
STREAM_AHEAD = 2  # windows of a large file downloading while one is written


@dataclass
class RestoreResult:
    files_restored: int = 0
    dirs_restored: int = 0
    bytes_written: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (snapshot path, why left)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (snapshot path, reason)


_File = tuple[DirHandle, str, Node, str]


def restore(
    repo: Repository,
    snapshot: SnapshotInfo,
    paths: Sequence[str],
    target: Path | None,
    *,
    conflict: Conflict = Conflict.OVERWRITE,
    events: Events | None = None,
    cancel: CancelToken | None = None,
    threads: int = 4,
) -> RestoreResult:
    """Restore `paths` (snapshot paths; empty = everything) from `snapshot`. Problems with single
    items end up in `failures`; raises Cancelled if cancelled (what was restored stays)."""
    job = _Restore(repo, snapshot, conflict, events or NoEvents(), cancel, threads)
    try:
        job.run(paths, target)
    finally:
        job.close()
    return job.result


class _Restore:
    def __init__(
        self,
        repo: Repository,
        snapshot: SnapshotInfo,
        conflict: Conflict,
        events: Events,
        cancel: CancelToken | None,
        threads: int,
    ) -> None:
        self.repo, self.snapshot, self.conflict, self.events = repo, snapshot, conflict, events
        self.cancel = cancel or CancelToken()
        self.result = RestoreResult()
        self._lock = threading.Lock()
        self._fetch_pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="keepsake-fetch")
        self._write_pool = ThreadPoolExecutor(WRITERS, thread_name_prefix="keepsake-write")
        self._fetcher = ChunkFetcher(repo, self._fetch_pool)
        self._trees = TreeLoader(repo, self._fetch_pool)
        self._slots = threading.Semaphore(IN_FLIGHT)
        self._jobs: list[Future[None]] = []
        self._batch: list[_File] = []
        self._batch_bytes = 0
        self._batch_dirs: set[int] = set()
        self._flush_batches = batch_flush_available()
        self._stamp = repo.clock.now().astimezone().strftime("%Y-%m-%d %H%M")
        self._total_files = 0
        self._last_progress = -1.0

    def close(self) -> None:
        # Writers finish (or, when cancelled, drop) what they hold and release its folders.
        self._write_pool.shutdown(wait=True)
        self._fetch_pool.shutdown(wait=True, cancel_futures=True)

    # -- selections --------------------------------------------------------------------------

    def run(self, paths: Sequence[str], target: Path | None) -> None:
        for parts, node in self._selections(paths):
            snap_path = "/".join(parts)
            try:
                if target is not None:
                    root = DirHandle(SafeDir.open_root(target), None, None, None)
                    self._walk(root, parts[-1], node, snap_path)
                else:
                    self._to_origin(parts, node, snap_path)
            except (KeepsakeError, OSError) as exc:
                self._fail(snap_path, _reason(exc))
        self._flush()
        for job in self._jobs:
            job.result()  # only unexpected errors: a file's own problems are in `failures`

    def _selections(self, paths: Sequence[str]) -> list[tuple[list[str], Node]]:
        """(path parts, node) per selected item; everything = each top-level folder."""
        chosen: list[tuple[list[str], Node]] = []
        if all(not p.strip("/") for p in paths):
            self._total_files = int(self.snapshot.record.counts.get("files", 0))
            for node in self.repo.ls(self.snapshot, ""):
                try:
                    chosen.append(([check_name(node.name)], node))
                except UnsafePath as exc:
                    self._fail(node.name, str(exc))
            return chosen
        for path in paths:
            try:
                parts = split_path(path)
                if parts:
                    chosen.append((parts, self.repo.find(self.snapshot, "/".join(parts))))
            except KeepsakeError as exc:
                self._fail(path, str(exc))
        return chosen

    def _to_origin(self, parts: list[str], node: Node, snap_path: str) -> None:
        folder = self.snapshot.record.folders.get(parts[0])
        if folder is None or not os.path.isabs(folder):
            raise NotFound(f"the snapshot does not say where {parts[0]!r} came from")
        handle = DirHandle(SafeDir.open_root(Path(folder)), None, None, None)
        if len(parts) == 1:  # the whole protected folder: its contents go back into it
            self._walk_children(handle, node, snap_path)
            handle.release()
            return
        for part in parts[1:-1]:
            try:
                sub = handle.safe.subdir(part)
            except BaseException:
                handle.release()
                raise
            nxt = DirHandle(sub, handle, None, None)
            handle.release()
            handle = nxt
        self._walk(handle, parts[-1], node, snap_path)

    # -- walking trees ----------------------------------------------------------------------

    def _walk(self, parent: DirHandle, name: str, node: Node, snap_path: str) -> None:
        """Restore `node` as `name` in `parent`, then release `parent` (iterative, any depth)."""
        stack: list[tuple[DirHandle, str, Node, str] | DirHandle] = [
            parent,
            (parent, name, node, snap_path),
        ]
        while stack:
            item = stack.pop()
            if isinstance(item, DirHandle):
                item.release()
                continue
            self._check_cancel()
            handle, name, node, snap_path = item
            try:
                check_name(name)
                if node.type is NodeType.DIR:
                    sub = DirHandle(handle.safe.subdir(name), handle, name, node)
                    self._count(dirs=1)
                    stack.append(sub)
                    stack.extend(
                        (sub, c.name, c, f"{snap_path}/{c.name}")
                        for c in reversed(self._children(node, snap_path))
                    )
                elif node.type is NodeType.SYMLINK:
                    self._symlink(handle, name, node, snap_path)
                else:
                    self._file(handle, name, node, snap_path)
            except (KeepsakeError, OSError) as exc:
                self._fail(snap_path, _reason(exc))

    def _walk_children(self, handle: DirHandle, node: Node, snap_path: str) -> None:
        for child in self._children(node, snap_path):
            handle.hold()
            self._walk(handle, child.name, child, f"{snap_path}/{child.name}")

    def _children(self, node: Node, snap_path: str) -> list[Node]:
        return self._trees.children(node, snap_path)

    # -- files: the walk hands them to writer threads -------------------------------------------

    def _file(self, handle: DirHandle, name: str, node: Node, snap_path: str) -> None:
        handle.hold()
        item = (handle, name, node, snap_path)
        if node.size > BATCH_BYTES:
            self._reserve()
            self._submit([item], lambda: self._write_large(item))
            return
        self._batch.append(item)
        self._batch_bytes += node.size
        self._batch_dirs.add(id(handle))
        if (
            self._batch_bytes >= BATCH_BYTES
            or len(self._batch) >= BATCH_FILES
            or len(self._batch_dirs) >= BATCH_DIRS
        ):
            self._flush()

    def _flush(self) -> None:
        batch, self._batch, self._batch_bytes, self._batch_dirs = self._batch, [], 0, set()
        if not batch:
            return
        self._reserve()
        pending = self._fetcher.start(c for _, _, node, _ in batch for c in node.chunks)
        self._submit(batch, lambda: self._write_batch(batch, pending))

    def _reserve(self) -> None:
        """Wait for one of the IN_FLIGHT slots (bounds memory and open folders)."""
        self._slots.acquire()
        running: list[Future[None]] = []
        for job in self._jobs:
            if job.done():
                job.result()  # surfaces an unexpected error early
            else:
                running.append(job)
        self._jobs = running

    def _submit(self, items: list[_File], work: Callable[[], None]) -> None:
        """Run `work` on a writer (a slot is reserved); then release the items' folders."""

        def run() -> None:
            try:
                if not self.cancel.cancelled:
                    work()
            except Cancelled:
                pass
            finally:
                for handle, _, _, _ in items:
                    handle.release()
                self._slots.release()

        self._jobs.append(self._write_pool.submit(run))

    def _write_batch(self, batch: list[_File], pending: Pending) -> None:
        """Write a batch of small files to temp names, make them durable, put them in place."""
        fetched = pending.result()
        staged: list[_Staged] = []
        try:
            for item in batch:
                self._check_cancel()
                one = self._stage(item, fetched)
                if one is not None:
                    staged.append(one)
            for one in self._durable(staged):
                self._place(one)
        finally:
            for one in staged:
                if not one.placed:
                    one.item[0].safe.remove_quietly(one.temp)

    def _stage(self, item: _File, fetched: Fetched) -> _Staged | None:
        handle, name, node, snap_path = item
        try:
            pieces: list[bytes] = []
            for c in node.chunks:
                data = fetched[c]
                if isinstance(data, KeepsakeError):
                    raise data
                pieces.append(data)
            dest = self._destination(handle.safe, name, snap_path)
            if dest is None:
                return None
            temp, written = handle.safe.write_temp(
                pieces, mode=node.mode, mtime_ns=node.mtime_ns, sync=not self._flush_batches
            )
        except (KeepsakeError, OSError) as exc:
            self._fail(snap_path, _reason(exc, snap_path))
            return None
        return _Staged(item, dest, temp, written)

    def _durable(self, staged: list[_Staged]) -> list[_Staged]:
        """The staged files whose data is on disk: one flush per file system, or (where that is
        not possible) an fsync each; a file that cannot be made durable fails."""
        if not self._flush_batches or not staged:
            return list(staged)
        fds = {fd for one in staged if (fd := one.item[0].safe.fileno()) is not None}
        if flush_filesystems(fds):
            return list(staged)
        durable: list[_Staged] = []
        for one in staged:
            try:
                one.item[0].safe.sync_temp(one.temp)
            except OSError as exc:
                self._fail(one.item[3], _reason(exc, one.item[3]))
                continue
            durable.append(one)
        return durable

    def _place(self, one: _Staged) -> None:
        """Rename a durable temp file into place (it never stays behind under its temp name)."""
        handle, _, node, snap_path = one.item
        one.placed = True
        try:
            if one.written != node.size:
                handle.safe.remove_quietly(one.temp)
                raise IntegrityError(
                    snap_path, f"restored {one.written} bytes, expected {node.size}"
                )
            handle.safe.put_in_place(one.temp, one.dest)
        except (KeepsakeError, OSError) as exc:
            self._fail(snap_path, _reason(exc, snap_path))
            return
        self._count(files=1, size=one.written, current=snap_path)

    def _write_large(self, item: _File) -> None:
        """Stream one large file (its next windows download while one is written), fsync it,
        put it in place."""
        handle, name, node, snap_path = item
        try:
            dest = self._destination(handle.safe, name, snap_path)
            if dest is None:
                return
            temp, written = handle.safe.write_temp(
                self._stream(node.chunks), mode=node.mode, mtime_ns=node.mtime_ns, sync=True
            )
        except (KeepsakeError, OSError) as exc:
            self._fail(snap_path, _reason(exc, snap_path))
            return
        self._place(_Staged(item, dest, temp, written))

    def _stream(self, chunks: tuple[bytes, ...]) -> Iterator[bytes]:
        located, errors = self._fetcher.locate(chunks)
        if errors:
            raise next(iter(errors.values()))
        windows = iter(_windows(chunks, located))
        pending: deque[tuple[list[bytes], Pending]] = deque()

        def refill() -> None:
            while len(pending) <= STREAM_AHEAD and (window := next(windows, None)) is not None:
                wanted = (located[c] for c in dict.fromkeys(window))
                pending.append((window, self._fetcher.start_located(wanted)))

        refill()
        while pending:
            self._check_cancel()
            window, reading = pending.popleft()
            fetched = reading.result()
            refill()
            for c in window:
                data = fetched[c]
                if not isinstance(data, bytes):
                    raise data
                yield data

    def _symlink(self, handle: DirHandle, name: str, node: Node, snap_path: str) -> None:
        dest = self._destination(handle.safe, name, snap_path)
        if dest is not None:
            handle.safe.symlink(dest, node.target or "", mtime_ns=node.mtime_ns)
            self._count(files=1, current=snap_path)

    def _destination(self, safe: SafeDir, name: str, snap_path: str) -> str | None:
        """Where to write `name` under the conflict policy; None to leave the existing one."""
        existing = safe.lstat(name)
        if existing is None or self.conflict is Conflict.OVERWRITE:
            if existing is not None and stat.S_ISDIR(existing.st_mode):
                raise UnsafePath(snap_path, "a folder with that name is in the way")
            return name
        if self.conflict is Conflict.SKIP:
            with self._lock:
                self.result.skipped.append((snap_path, "it already exists; left as it is"))
            return None
        n = 1
        while safe.exists(candidate := keep_both_name(name, self._stamp, n)):
            n += 1
        return candidate

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, snap_path: str, reason: str) -> None:
        with self._lock:
            self.result.failures.append((snap_path, reason))
        self.events.problem(snap_path, reason)

    def _count(
        self, *, files: int = 0, dirs: int = 0, size: int = 0, current: str | None = None
    ) -> None:
        with self._lock:
            r = self.result
            r.files_restored += files
            r.dirs_restored += dirs
            r.bytes_written += size
            now = self.repo.clock.monotonic()
            if self._last_progress >= 0 and now - self._last_progress < 0.1:
                return
            self._last_progress = now
            report = Progress(
                "restoring",
                r.files_restored,
                max(r.files_restored, self._total_files),
                r.bytes_written,
                r.bytes_written,
                current,
            )
        self.events.progress(report)

    def _check_cancel(self) -> None:
        if self.cancel.cancelled:
            raise Cancelled()


@dataclass
class _Staged:
    """A small file written to a temp name in its folder, waiting to be made durable."""

    item: _File
    dest: str
    temp: str
    written: int
    placed: bool = False


def _windows(
    chunks: tuple[bytes, ...], located: dict[bytes, BlobLocation]
) -> Iterator[list[bytes]]:
    """A large file's chunks in download windows of about STREAM_BYTES (STREAM_WINDOW at most)."""
    window: list[bytes] = []
    size = 0
    for c in chunks:
        window.append(c)
        size += located[c].raw_length
        if size >= STREAM_BYTES or len(window) >= STREAM_WINDOW:
            yield window
            window, size = [], 0
    if window:
        yield window


def _reason(exc: BaseException, snap_path: str | None = None) -> str:
    """One sentence naming the file, e.g. 'integrity error in Docs/a.txt: ... (pack 3f..)'."""
    if isinstance(exc, IntegrityError) and snap_path is not None and exc.path != snap_path:
        return str(IntegrityError(snap_path, f"{exc.detail} ({exc.path})"))
    if isinstance(exc, OSError) and not isinstance(exc, KeepsakeError):
        return exc.strerror or str(exc)
    return str(exc)
