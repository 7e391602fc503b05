"""Reads files into chunks for a backup, and never stores a mix of two versions of one.

A file is stat'ed through its open descriptor before and after reading; if anything changed
while it was read, it is read again (up to `ATTEMPTS` times) and otherwise reported, so the caller
keeps the previous version. Files of one chunk (`SMALL`, most of a typical tree) come in batches:
with the native module a batch is read, hashed and sealed in two calls that release the
interpreter lock, so the two reading threads really use two cores. Otherwise, and for larger
files, chunks are hashed and, when new, sealed on the reading thread straight from the read
buffer (no copy). Files past `WHOLE_READ` stream through the chunker's buffer, one new one at a
time to bound memory (sealing their chunks on other threads too was measured slower: the
copies cost more than the second core gave). A first backup streams them on a lane of their
own (`app.core.early`) while the walk reads the small files.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import BinaryIO, cast

from app.core import chunker, native
from app.core.keys import Subkeys, chunk_id
from app.core.packer import Packer
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer

ATTEMPTS = 3
SMALL = chunker.MIN_SIZE  # files up to this size are one chunk; `read_small` takes them in batches
WHOLE_READ = 8 * 1024 * 1024  # files up to this size are read in one go
READ_AHEAD = 32 * 1024 * 1024  # how far ahead of a streamed file's reading the OS fetches

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


@dataclass(frozen=True)
class FileRead:
    """A consistent read: the stat that held during the whole read, and the chunk ids."""

    stat: os.stat_result
    chunks: tuple[bytes, ...]


@dataclass(frozen=True)
class FileFailed:
    reason: str


@dataclass
class FileReader:
    """What reading a file needs; shared by the file workers of one run."""

    subkeys: Subkeys
    sealer: Sealer
    packer: Packer
    cancel: CancelToken
    on_bytes: Callable[[int], None]
    # Files past WHOLE_READ stream through a 16 MiB chunking buffer. Two such files are read at
    # once at most, and only one of them new: a new file's chunks are nearly all sealed and
    # packed, which costs memory, while a changed file's are nearly all known already (only
    # hashed). So a first backup streams one file at a time, as before, and a run that finds
    # several large files changed (a disk image, a mailbox) reads two of them side by side.
    streams: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(2))
    new_streams: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))

    def read(self, path: str, *, changed: bool = False) -> FileRead | FileFailed:
        """Read `path` consistently, or say why not (the run goes on either way). `changed`:
        an earlier version of it is stored, so most of its chunks are expected to be known."""
        reason = "it kept changing while being read"
        for _ in range(ATTEMPTS):
            try:
                result = self._attempt(path, changed)
            except (Cancelled, MemoryError):
                raise
            except FileNotFoundError:
                return FileFailed("it disappeared before it could be read")
            except PermissionError:
                return FileFailed("permission denied")
            except OSError as exc:
                return FileFailed(exc.strerror or str(exc))
            if result is not None:
                return result
        return FileFailed(reason)

    def read_small(self, paths: list[str]) -> list[FileRead | FileFailed]:
        """`read` for a batch of files listed as at most one chunk long (`SMALL`), in order.

        With the native module the whole batch is read, hashed and sealed in two calls that
        release the interpreter lock; a file that has grown past one chunk since it was listed
        goes the ordinary way."""
        kn = native.module
        if kn is None:
            return [self.read(path) for path in paths]
        if self.cancel.cancelled:
            raise Cancelled()
        self.packer.check()
        results: list[FileRead | FileFailed] = []
        claimed: list[tuple[bytes, bytes]] = []
        for path, got in zip(paths, kn.read_files(paths, SMALL, self.subkeys.id), strict=True):
            if isinstance(got, tuple):
                fields, data, cid = got
                st = native.stat_result(fields)
                if not data:
                    results.append(FileRead(st, ()))
                    continue
                self.on_bytes(len(data))
                results.append(FileRead(st, (cid,)))
                if self.packer.claim(cid):
                    claimed.append((cid, data))
            elif got == "large":
                results.append(self.read(path))
            else:
                results.append(FileFailed(_native_failure(got)))
        if claimed:
            self._seal_batch(kn, claimed)
        return results

    def _seal_batch(self, kn: ModuleType, claimed: list[tuple[bytes, bytes]]) -> None:
        """Seal and pack chunks this thread claimed; on failure none of them stays claimed."""
        added = 0
        try:
            key, session_id, first = self.sealer.reserve(BlobType.DATA, len(claimed))
            sealed = kn.seal_many(key, session_id, first, BlobType.DATA, claimed)
            for (cid, data), blob in zip(claimed, sealed, strict=True):
                self.packer.add(BlobType.DATA, cid, (blob,), len(data))
                added += 1
        except BaseException:
            for cid, _ in claimed[added:]:
                self.packer.release(cid)
            raise

    def _attempt(self, path: str, changed: bool) -> FileRead | None:
        fd = os.open(path, _FLAGS)
        with open(fd, "rb", buffering=0, closefd=True) as f:
            before = os.fstat(f.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise OSError(0, "it is no longer a regular file")
            if before.st_size > WHOLE_READ:
                slots = (self.streams,) if changed else (self.new_streams, self.streams)
                taken: list[threading.Semaphore] = []
                try:
                    for slot in slots:
                        while not slot.acquire(timeout=0.2):
                            if self.cancel.cancelled:
                                raise Cancelled()
                        taken.append(slot)
                    chunks, size = self._chunks(f, before.st_size)
                finally:
                    for slot in reversed(taken):
                        slot.release()
            else:
                chunks, size = self._chunks(f, before.st_size)
            after = os.fstat(f.fileno())
        if size == after.st_size and _same_version(before, after):
            return FileRead(after, chunks)
        return None

    def _chunks(self, f: BinaryIO, expected: int) -> tuple[tuple[bytes, ...], int]:
        ids: list[bytes] = []
        size = 0
        subkeys, packer, cancel = self.subkeys, self.packer, self.cancel
        bulk = expected > SMALL  # packed apart from small files' blobs (see `Packer`)
        for data in read_chunks(f, expected):
            if cancel.cancelled:
                raise Cancelled()
            packer.check()
            cid = chunk_id(subkeys, data)
            ids.append(cid)
            n = len(data)
            size += n
            self.on_bytes(n)
            if packer.claim(cid):
                self._seal(cid, data, bulk)
        return tuple(ids), size

    def _seal(self, cid: bytes, data: bytes | memoryview, bulk: bool) -> None:
        try:
            sealed = self.sealer.seal_parts(BlobType.DATA, cid, data)
            self.packer.add(BlobType.DATA, cid, sealed, len(data), bulk=bulk)
        except BaseException:
            self.packer.release(cid)
            raise


def read_chunks(f: BinaryIO, expected: int) -> Iterator[bytes | memoryview]:
    """The chunks of an open file whose size was `expected` (a seam for tests that change a file
    while it is being read), as views valid until the next chunk: the reading thread hashes and
    seals each one in place, so no chunk is ever copied. Small files are read whole (one read,
    no streaming buffer); larger ones stream through the chunker's buffer, so memory per reading
    thread stays at one buffer whatever the file's size."""
    if expected > WHOLE_READ:
        return chunker.iter_file_views(cast(BinaryIO, _ReadAhead(f)))
    data = f.read(expected + 1)  # one byte more reveals a file that grew (then read again)
    return chunker.view_chunks(data) if data else iter(())


class _ReadAhead:
    """Reads a large file while asking the OS to fetch the next READ_AHEAD bytes already, so
    the disk works while the chunker and the hashes do: one file is streamed at a time, and
    without this its reads and its computing would take turns."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self._fd = f.fileno()
        self._pos = 0
        self._asked = 0
        self._advise = getattr(os, "posix_fadvise", None)
        if self._advise is not None:
            self._advise(self._fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)

    def read(self, n: int) -> bytes:
        self._ahead()
        data = self._f.read(n)
        self._pos += len(data)
        return data

    def readinto(self, buf: memoryview) -> int:
        self._ahead()
        got: int | None = self._f.readinto(buf)  # type: ignore[attr-defined]
        self._pos += got or 0
        return got or 0

    def _ahead(self) -> None:
        if self._advise is not None and self._pos + READ_AHEAD // 2 >= self._asked:
            self._advise(self._fd, self._asked, READ_AHEAD, os.POSIX_FADV_WILLNEED)
            self._asked += READ_AHEAD


def _native_failure(got: str | int) -> str:
    """The reason `read` gives for the same failure, from the native module's verdict."""
    if got == "unstable":
        return "it kept changing while being read"
    if got == "irregular":
        return "it is no longer a regular file"
    if got == errno.ENOENT:
        return "it disappeared before it could be read"
    if got in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return os.strerror(int(got))


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )
