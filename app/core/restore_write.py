"""Writes the files of a restore: verified chunks to temp names, made durable, renamed into place.

The walk hands files over one by one (`add`) and goes on. Small files are grouped into batches
whose chunks start downloading at once (`restore_fetch`); writer threads put each batch into
temp files while the next batches download, so network, decryption and disk overlap. A batch
holds a slot (`Limits.in_flight`) only while it downloads and is written, which bounds memory;
written batches then wait in the committer (`restore_commit`) for one flush of the file system
that covers many of them, and only then get their names: a restored file never appears
half-written under its name, without an fsync per small file. Large files stream on a writer of
their own with their next windows already downloading, and are fsynced alone.

A file is written only once every one of its chunks was authenticated; a failure (missing or
tampered data, a name in the way) is reported for that file alone.
"""

from __future__ import annotations

import errno
import os
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol, cast

from app.core import native
from app.core.errors import IntegrityError, KeepsakeError, UnsafePath
from app.core.index import BlobLocation
from app.core.progress import Cancelled, CancelToken
from app.core.repository import Repository
from app.core.restore_commit import Committer, Staged
from app.core.restore_dirs import DirHandle
from app.core.restore_fetch import ChunkFetcher, Fetched, Pending
from app.core.restore_flush import EarlyWriteback
from app.core.safepath import SafeDir, check_name, temp_name
from app.core.tree import Node

File = tuple[DirHandle, str, Node, str]  # folder, name, node, snapshot path


@dataclass(frozen=True)
class Limits:
    batch_bytes: int  # small files are fetched and written together up to this much ...
    batch_files: int  # ... or this many files ...
    batch_dirs: int  # ... or files in this many folders (each keeps a dir fd open)
    in_flight: int  # batches and large files downloading or being written at once
    writers: int
    stream_window: int  # chunks of a large file fetched at once, at most ...
    stream_bytes: int  # ... and about this many bytes
    stream_spare: int  # more windows of a large file downloading, each in a free slot


class Report(Protocol):
    """What the writer needs from the restore it works for."""

    def destination(self, safe: SafeDir, name: str, snap_path: str) -> str | None: ...

    def failed(self, snap_path: str, exc: BaseException) -> None: ...

    def restored(self, snap_path: str, size: int) -> None: ...


class FileWriter:
    def __init__(
        self,
        repo: Repository,
        fetch_pool: Executor,
        report: Report,
        cancel: CancelToken,
        limits: Limits,
    ) -> None:
        self._report = report
        self._cancel = cancel
        self._limits = limits
        self._fetcher = ChunkFetcher(repo, fetch_pool)
        self._pool = ThreadPoolExecutor(limits.writers, thread_name_prefix="keepsake-write")
        self._slots = threading.Semaphore(limits.in_flight)
        self._jobs: list[Future[None]] = []
        self._batch: list[File] = []
        self._batch_bytes = 0
        self._batch_dirs: set[int] = set()
        self._committer = Committer(self._place_all, report.failed)

    def add(self, handle: DirHandle, name: str, node: Node, snap_path: str) -> None:
        """Restore one file into `handle`'s folder (held until the file is done)."""
        handle.hold()
        item = (handle, name, node, snap_path)
        limits = self._limits
        if node.size > limits.batch_bytes:
            self._reserve()
            self._submit(lambda: self._write_large(item))
            return
        self._batch.append(item)
        self._batch_bytes += node.size
        self._batch_dirs.add(id(handle))
        if (
            self._batch_bytes >= limits.batch_bytes
            or len(self._batch) >= limits.batch_files
            or len(self._batch_dirs) >= limits.batch_dirs
        ):
            self._flush()

    def finish(self) -> None:
        """Write what is left; raises only unexpected errors (a file's own go to `failed`)."""
        self._flush()
        for job in self._jobs:
            job.result()
        self._committer.drain()

    def close(self) -> None:
        """Stop: writers finish (or, once cancelled, drop) what they hold; files already written
        are made durable and put in place."""
        self._pool.shutdown(wait=True)
        batch, self._batch = self._batch, []  # collected but never started (cancelled)
        _release(batch)
        self._committer.close()

    # -- jobs ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        batch, self._batch, self._batch_bytes, self._batch_dirs = self._batch, [], 0, set()
        if not batch:
            return
        self._reserve()
        pending = self._fetcher.start(c for _, _, node, _ in batch for c in node.chunks)
        self._submit(lambda: self._write_batch(batch, pending))

    def _reserve(self) -> None:
        """Wait for a free slot (bounds memory and open folders)."""
        self._slots.acquire()
        running: list[Future[None]] = []
        for job in self._jobs:
            if job.done():
                job.result()  # surfaces an unexpected error early
            else:
                running.append(job)
        self._jobs = running

    def _submit(self, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            finally:
                self._slots.release()

        self._jobs.append(self._pool.submit(run))

    # -- small files --------------------------------------------------------------------------

    def _write_batch(self, batch: list[File], pending: Pending) -> None:
        """Write a batch to temp names and hand it to the committer (which releases it)."""
        staged: list[Staged] = []
        try:
            if not self._cancel.cancelled:
                fetched = pending.result()
                kn = native.module
                if kn is not None and all(h.safe.fileno() is not None for h, _, _, _ in batch):
                    self._stage_natively(kn, batch, fetched, staged)
                else:
                    for item in batch:
                        if self._cancel.cancelled:
                            break
                        one = self._stage(item, fetched)
                        if one is not None:
                            staged.append(one)
        except BaseException:
            for one in staged:
                one.safe.remove_quietly(one.temp)
            _release(batch)
            raise
        self._committer.add(staged, lambda: _release(batch))  # also after a cancel: it is whole

    def _stage(self, item: File, fetched: Fetched) -> Staged | None:
        handle, _, node, snap_path = item
        try:
            target = self._target(item, fetched)
            if target is None:
                return None
            dest, pieces = target
            temp, written = handle.safe.write_temp(
                pieces, mode=node.mode, mtime_ns=node.mtime_ns, sync=not self._committer.batched
            )
        except (KeepsakeError, OSError) as exc:
            self._report.failed(snap_path, exc)
            return None
        return Staged(handle.safe, temp, dest, written, node.size, snap_path)

    def _target(self, item: File, fetched: Fetched) -> tuple[str, list[bytes]] | None:
        """A file's destination name and verified contents; None to leave what is there."""
        handle, name, node, snap_path = item
        pieces: list[bytes] = []
        for c in node.chunks:
            data = fetched[c]
            if isinstance(data, KeepsakeError):
                raise data
            pieces.append(data)
        dest = self._report.destination(handle.safe, name, snap_path)
        return None if dest is None else (dest, pieces)

    def _stage_natively(
        self, kn: ModuleType, batch: list[File], fetched: Fetched, staged: list[Staged]
    ) -> None:
        """`_stage` for a whole batch: the temp files are created, written, stamped (and fsynced
        if the file system cannot be flushed as a whole) in one native call that releases the
        interpreter lock."""
        ready: list[tuple[File, str, str]] = []
        jobs: list[tuple[int, str, list[bytes], int, int]] = []
        for item in batch:
            handle, _, node, snap_path = item
            try:
                target = self._target(item, fetched)
            except (KeepsakeError, OSError) as exc:
                self._report.failed(snap_path, exc)
                continue
            if target is None:
                continue
            dest, pieces = target
            temp = temp_name()
            ready.append((item, temp, dest))
            jobs.append((cast(int, handle.safe.fileno()), temp, pieces, node.mode, node.mtime_ns))
        if not jobs:
            return
        results = kn.write_files(jobs, not self._committer.batched)
        for (item, temp, dest), written in zip(ready, results, strict=True):
            handle, _, node, snap_path = item
            if written == -errno.EEXIST:  # the temp name was taken: the Python path picks another
                one = self._stage(item, fetched)
                if one is not None:
                    staged.append(one)
            elif written < 0:
                error = OSError(-written, os.strerror(-written), snap_path)
                self._report.failed(snap_path, error)
            else:
                staged.append(Staged(handle.safe, temp, dest, written, node.size, snap_path))

    def _place(self, one: Staged) -> None:
        """Rename a durable temp file into place (it never stays behind under its temp name)."""
        try:
            if (short := _short(one)) is not None:
                one.safe.remove_quietly(one.temp)
                raise short
            one.safe.put_in_place(one.temp, one.dest)
        except (KeepsakeError, OSError) as exc:
            self._report.failed(one.snap_path, exc)
            return
        self._report.restored(one.snap_path, one.written)

    def _place_all(self, staged: list[Staged]) -> None:
        """`_place` for many files; natively (one call, no interpreter lock) where it can."""
        kn = native.module
        if kn is None or any(one.safe.fileno() is None for one in staged):
            for one in staged:
                self._place(one)
            return
        ready: list[Staged] = []
        for one in staged:
            problem: KeepsakeError | None = _short(one)
            try:
                if problem is None:
                    check_name(one.dest)
            except UnsafePath as exc:
                problem = exc
            if problem is not None:
                one.safe.remove_quietly(one.temp)
                self._report.failed(one.snap_path, problem)
                continue
            ready.append(one)
        renames = [(one.safe.fileno(), one.temp.encode(), os.fsencode(one.dest)) for one in ready]
        for one, error in zip(ready, kn.rename_many(renames), strict=True):
            if error == 0:
                self._report.restored(one.snap_path, one.written)
            else:
                one.safe.remove_quietly(one.temp)
                self._report.failed(one.snap_path, one.safe.rename_error(error, one.dest))

    # -- large files --------------------------------------------------------------------------

    def _write_large(self, item: File) -> None:
        """Stream one large file (its next windows download while one is written), fsync it,
        put it in place."""
        handle, name, node, snap_path = item
        try:
            if self._cancel.cancelled:
                return
            dest = self._report.destination(handle.safe, name, snap_path)
            if dest is None:
                return
            stream = self._stream(node.chunks)
            try:
                temp, written = handle.safe.write_temp(
                    stream,
                    mode=node.mode,
                    mtime_ns=node.mtime_ns,
                    sync=True,
                    on_piece=EarlyWriteback(),
                )
            finally:
                stream.close()  # now, not when collected: it gives back the slots it borrowed
            self._place(Staged(handle.safe, temp, dest, written, node.size, snap_path))
        except Cancelled:
            pass
        except (KeepsakeError, OSError) as exc:
            self._report.failed(snap_path, exc)
        finally:
            handle.release()

    def _stream(self, chunks: tuple[bytes, ...]) -> Generator[bytes, None, None]:
        located, errors = self._fetcher.locate(chunks)
        if errors:
            raise next(iter(errors.values()))
        windows = _windows(chunks, located, self._limits)
        pending: deque[tuple[list[bytes], Pending, bool]] = deque()  # ..., in a borrowed slot

        def refill() -> None:
            while True:
                spare = any(not holds for _, _, holds in pending)  # its own one is under way
                if spare and (
                    len(pending) > self._limits.stream_spare
                    or not self._slots.acquire(blocking=False)
                ):
                    return
                window = next(windows, None)
                if window is None:
                    if spare:
                        self._slots.release()
                    return
                wanted = (located[c] for c in dict.fromkeys(window))
                pending.append((window, self._fetcher.start_located(wanted), spare))

        try:
            refill()
            while pending:
                if self._cancel.cancelled:
                    raise Cancelled()
                window, reading, spare = pending[0]
                fetched = reading.result()
                pending.popleft()
                if spare:
                    self._slots.release()
                refill()
                for c in window:
                    data = fetched[c]
                    if not isinstance(data, bytes):
                        raise data
                    yield data
        finally:
            for _, _, spare in pending:  # a failure or a cancel: the borrowed slots go back
                if spare:
                    self._slots.release()


def _windows(
    chunks: tuple[bytes, ...], located: dict[bytes, BlobLocation], limits: Limits
) -> Iterator[list[bytes]]:
    """A large file's chunks in download windows of about `stream_bytes`."""
    window: list[bytes] = []
    size = 0
    for c in chunks:
        window.append(c)
        size += located[c].raw_length
        if size >= limits.stream_bytes or len(window) >= limits.stream_window:
            yield window
            window, size = [], 0
    if window:
        yield window


def _short(one: Staged) -> IntegrityError | None:
    """A written file must be exactly as long as the snapshot says; else it is not placed."""
    if one.written == one.size:
        return None
    return IntegrityError(one.snap_path, f"restored {one.written} bytes, expected {one.size}")


def _release(batch: list[File]) -> None:
    for handle, _, _, _ in batch:
        handle.release()
