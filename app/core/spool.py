"""A pack built in a temporary file instead of memory, hashed as it is written.

Why: a backup holds a pack being uploaded, possibly a full one waiting for the uploader, and one
being filled for each kind of pack (see `Packer`): up to 48 MiB that would otherwise sit in the
process's memory. In a file they sit in the OS's page cache, which the OS can write out or drop,
and they never count towards the program's own memory. A pack lives there for about a second:
the file is unlinked from the start (or deleted when closed, where unlinking open files is not
possible), so a crash leaves nothing behind. Packs hold only sealed (encrypted) blobs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator


class Spool:
    """Append-only while a pack is filled; then read back, from the start, as often as an
    upload (and its retries) needs."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - closed by close()
        self._hash = hashlib.sha256()
        self._lock = threading.Lock()
        self._size = 0
        self._digest: str | None = None

    def __len__(self) -> int:
        return self._size

    def write(self, parts: Iterable[bytes | memoryview]) -> None:
        with self._lock:
            if self._digest is not None:
                raise RuntimeError("the spooled pack is already finished")
            for part in parts:
                self._file.write(part)
                self._hash.update(part)
                self._size += len(part)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of everything written; ends the writing."""
        with self._lock:
            if self._digest is None:
                self._file.flush()
                self._digest = self._hash.hexdigest()
            return self._digest

    def pieces(self, piece: int) -> Iterator[bytes]:
        """The content from the start, in pieces of `piece` bytes (the last one shorter)."""
        self.sha256  # noqa: B018 - finishes writing: what is read back is what was hashed
        offset = 0
        while offset < self._size:
            with self._lock:
                self._file.seek(offset)
                data = self._file.read(min(piece, self._size - offset))
            if not data:
                raise OSError(f"the spooled pack ended early at {offset} of {self._size} bytes")
            offset += len(data)
            yield data

    def read_prefix(self, size: int) -> bytes:
        """The first `size` bytes written (after a write failed part of the way)."""
        with self._lock:
            self._file.seek(0)
            data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"the spooled pack holds {len(data)} of {size} bytes")
        return data

    def read_all(self) -> bytes:
        return b"".join(self.pieces(1 << 20))

    def close(self) -> None:
        with self._lock:
            self._file.close()


def spool_dir(index_path: os.PathLike[str] | str | None) -> str | None:
    """Where packs are spooled: beside the index (the profile, on a real disk), not in a
    temporary folder that may live in memory (tmpfs)."""
    return None if index_path is None else os.fspath(os.path.dirname(os.fspath(index_path)))
