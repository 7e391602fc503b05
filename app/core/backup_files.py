"""Reads one file into chunks for a backup, and never stores a mix of two versions of it.

The file is stat'ed through its open descriptor before and after reading; if anything changed
while it was read, it is read again (up to `ATTEMPTS` times) and otherwise reported, so the caller
keeps the previous version. Chunks are hashed and, when new, sealed on the reading thread, straight from the read buffer
(no copy of any chunk); several files are read at once, which is what keeps both cores busy.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from app.core import chunker
from app.core.keys import Subkeys, chunk_id
from app.core.packer import Packer
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer

ATTEMPTS = 3
WHOLE_READ = 8 * 1024 * 1024  # files up to this size are read in one go

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
        size = 0
        subkeys, packer, cancel = self.subkeys, self.packer, self.cancel
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
                self._seal(cid, data)
        return tuple(ids), size

    def _seal(self, cid: bytes, data: bytes | memoryview) -> None:
        try:
            sealed = self.sealer.seal(BlobType.DATA, cid, data)
            self.packer.add(BlobType.DATA, cid, sealed, len(data))
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
        return chunker.iter_file_views(f)
    data = f.read(expected + 1)  # one byte more reveals a file that grew (then read again)
    return chunker.view_chunks(data) if data else iter(())


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )
