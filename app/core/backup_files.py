"""Reads one file into chunks for a backup, and never stores a mix of two versions of it.

The file is stat'ed through its open descriptor before and after reading; if anything changed
while it was read, it is read again (up to `ATTEMPTS` times) and otherwise reported, so the caller
keeps the previous version. Chunks are hashed on the reading thread (the id decides whether the
chunk is new) and new ones are sealed on a worker pool, a few at a time per file, so one large
file uses both cores while memory stays bounded.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import BinaryIO

from app.core import chunker
from app.core.keys import Subkeys, chunk_id
from app.core.packer import Packer
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer

ATTEMPTS = 3
SEAL_WINDOW = 2  # chunks of one file being sealed at once (each up to 8 MiB)
WHOLE_READ = 4 * 1024 * 1024  # files up to this size are read in one go

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
    seal_pool: Executor
    cancel: CancelToken
    on_bytes: Callable[[int], None]

    def read(self, path: str) -> FileRead | FileFailed:
        """Read `path` consistently, or say why not (the run goes on either way)."""
        reason = "it kept changing while being read"
        for _ in range(ATTEMPTS):
            try:
                result = self._attempt(path)
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

    def _attempt(self, path: str) -> FileRead | None:
        fd = os.open(path, _FLAGS)
        with open(fd, "rb", buffering=0, closefd=True) as f:
            before = os.fstat(f.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise OSError(0, "it is no longer a regular file")
            chunks, size = self._chunks(f, before.st_size)
            after = os.fstat(f.fileno())
        if size == after.st_size and _same_version(before, after):
            return FileRead(after, chunks)
        return None

    def _chunks(self, f: BinaryIO, expected: int) -> tuple[tuple[bytes, ...], int]:
        ids: list[bytes] = []
        pending: deque[Future[None]] = deque()
        size = 0
        inline = expected <= WHOLE_READ  # small files: no hop to the seal pool
        try:
            for data in read_chunks(f, expected):
                if self.cancel.cancelled:
                    raise Cancelled()
                self.packer.check()
                cid = chunk_id(self.subkeys, data)
                ids.append(cid)
                size += len(data)
                self.on_bytes(len(data))
                if not self.packer.claim(cid):
                    pass
                elif inline:
                    self._seal(cid, data)
                else:
                    while len(pending) >= SEAL_WINDOW:
                        pending.popleft().result()
                    pending.append(self.seal_pool.submit(self._seal, cid, data))
                del data
        finally:
            errors = []
            while pending:
                try:
                    pending.popleft().result()
                except BaseException as exc:
                    errors.append(exc)
        if errors:
            raise errors[0]
        return tuple(ids), size

    def _seal(self, cid: bytes, data: bytes) -> None:
        try:
            sealed = self.sealer.seal(BlobType.DATA, cid, data)
            self.packer.add(BlobType.DATA, cid, sealed, len(data))
        except BaseException:
            self.packer.release(cid)
            raise


def read_chunks(f: BinaryIO, expected: int) -> Iterator[bytes]:
    """The chunks of an open file whose size was `expected` (a seam for tests that change a file
    while it is being read). Small files are read whole: the streaming chunker sets up a 16 MiB
    buffer per file, which would dominate the cost of backing up many small files."""
    if expected > WHOLE_READ:
        return chunker.iter_file_chunks(f)
    data = f.read(expected + 1)  # one byte more reveals a file that grew (then read again)
    return iter(chunker.chunk_bytes(data) if data else [])


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )
