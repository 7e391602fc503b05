"""A pack built in a temporary file instead of memory, hashed as it is written.

Why: a backup holds two packs being uploaded, possibly a full one waiting for an uploader, and
one being filled for each kind of pack (see `Packer`): 64 MiB and more that would otherwise sit
in the process's memory. In a file they sit in the OS's page cache, which the OS can write out
or drop, and they never count towards the program's own memory. A pack lives there for about a
second: the file is unlinked from the start (or deleted when closed, where unlinking open files
is not possible), so a crash leaves nothing behind. Packs hold only sealed (encrypted) blobs.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Sequence

import blake3

_IOV_MAX = 1024  # buffers per writev call (POSIX's minimum for IOV_MAX)


class Spool:
    """Append-only while a pack is filled; then read back, from the start, as often as an
    upload (and its retries) needs. Unbuffered: a write that fails (a full disk) fails at once,
    with every byte before it on file, never later at a flush."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory, buffering=0)  # noqa: SIM115 - close()
        self._fd = self._file.fileno()
        self._hash = blake3.blake3()
        self._lock = threading.Lock()
        self._size = 0
        self._digest: str | None = None

    def __len__(self) -> int:
        return self._size

    def write(self, parts: Sequence[bytes | memoryview]) -> None:
        """Append `parts` (one blob's, in one system call where the OS has `writev`)."""
        with self._lock:
            if self._digest is not None:
                raise RuntimeError("the spooled pack is already finished")
            _write_all(self._fd, [memoryview(part).cast("B") for part in parts])
            for part in parts:
                self._hash.update(part)
                self._size += len(part)

    @property
    def checksum(self) -> str:
        """Hex BLAKE3 of everything written (`ports.pack_checksum`); ends the writing."""
        with self._lock:
            if self._digest is None:
                self._digest = self._hash.hexdigest()
            return self._digest

    def pieces(self, piece: int) -> Iterator[bytes]:
        """The content from the start, in pieces of `piece` bytes (the last one shorter)."""
        self.checksum  # noqa: B018 - finishes writing: what is read back is what was hashed
        offset = 0
        while offset < self._size:
            data = self._read_at(offset, min(piece, self._size - offset))
            if not data:
                raise OSError(f"the spooled pack ended early at {offset} of {self._size} bytes")
            offset += len(data)
            yield data

    def read_prefix(self, size: int) -> bytes:
        """The first `size` bytes written (after a write failed part of the way)."""
        chunks, offset = [], 0
        while offset < size:
            data = self._read_at(offset, size - offset)
            if not data:
                raise OSError(f"the spooled pack holds {offset} of {size} bytes")
            chunks.append(data)
            offset += len(data)
        return b"".join(chunks)

    def read_all(self) -> bytes:
        return b"".join(self.pieces(1 << 20))

    def close(self) -> None:
        with self._lock:
            self._file.close()

    def _read_at(self, offset: int, length: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._fd, length, offset)
        with self._lock:  # no pread (Windows): seek and read, one reader at a time
            self._file.seek(offset)
            return self._file.read(length) or b""


def _write_all(fd: int, views: list[memoryview]) -> None:
    """Write every byte of `views` in order, however the OS splits the writes."""
    views = [view for view in views if len(view)]
    writev = getattr(os, "writev", None)
    while views:
        done = writev(fd, views[:_IOV_MAX]) if writev else os.write(fd, views[0])
        if done <= 0:
            raise OSError(f"the disk took no bytes of a spooled pack ({done})")
        while done and views:
            if done >= len(views[0]):
                done -= len(views[0])
                views.pop(0)
            else:
                views[0] = views[0][done:]
                done = 0


def spool_dir(index_path: os.PathLike[str] | str | None) -> str | None:
    """Where packs are spooled: beside the index (the profile, on a real disk), not in a
    temporary folder that may live in memory (tmpfs)."""
    return None if index_path is None else os.fspath(os.path.dirname(os.fspath(index_path)))
