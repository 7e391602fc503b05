"""A pack store on a local folder: one file per object, written to a temp file, fsynced, renamed.

Keys are `/`-separated lowercase names chosen by the service (never by clients); they are checked
anyway so that no key can reach outside the root.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from server.store import ObjectNotFound, StoredObject

_KEY = re.compile(r"[0-9a-z_-]+(?:\.[0-9a-z]+)?(?:/[0-9a-z_-]+(?:\.[0-9a-z]+)?)*")
_TMP = ".tmp"
# Written bytes handed to the disk while the rest of the object still arrives (see `_FileWriter`).
WRITEBACK_BYTES = 4 * 1024 * 1024


class FolderStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / _TMP).mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def writer(self, key: str) -> _FileWriter:
        target = self._path(key)
        return _FileWriter(self.root / _TMP / f"{secrets.token_hex(8)}.part", target)

    def put(self, key: str, chunks: Sequence[bytes]) -> None:
        writer = self.writer(key)
        try:
            for chunk in chunks:
                writer.write(chunk)
            writer.commit()
        except BaseException:
            writer.abort()
            raise

    def get(self, key: str, start: int = 0, length: int | None = None) -> bytes:
        try:
            with open(self._path(key), "rb") as handle:
                handle.seek(start)
                return handle.read() if length is None else handle.read(length)
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def read_blocks(self, key: str, block_size: int = 1 << 20) -> Iterator[bytes]:
        try:
            handle = open(self._path(key), "rb")  # noqa: SIM115 - closed by the generator
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        with handle:
            while block := handle.read(block_size):
                yield block

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        for directory, subdirs, files in os.walk(self.root):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(directory) / name
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix) or _KEY.fullmatch(key) is None:
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                modified = datetime.fromtimestamp(stat.st_mtime, UTC)
                yield StoredObject(key=key, size=stat.st_size, modified=modified)

    def clean_temporary(self, older_than: datetime) -> int:
        removed = 0
        for path in (self.root / _TMP).iterdir():
            try:
                if datetime.fromtimestamp(path.stat().st_mtime, UTC) < older_than:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def check(self) -> None:
        """Write and remove a small file: catches a full, read-only or vanished disk."""
        probe = self.root / _TMP / f"health-{secrets.token_hex(4)}"
        try:
            probe.write_bytes(b"ok")
        finally:
            probe.unlink(missing_ok=True)


def check_key(key: str) -> str:
    """Keys are chosen by the service, and checked anyway: no `..`, no absolute paths."""
    if _KEY.fullmatch(key) is None:
        raise ValueError(f"invalid object key {key!r}")
    return key


class _FileWriter:
    """A temp file in the store's own folder (same file system), fsynced and renamed on commit.

    Every WRITEBACK_BYTES written, the disk is asked to start writing them out (Linux: the
    kernel starts writeback of the range and later drops its clean pages; the service rarely
    reads a pack it just stored). So the disk writes while the rest of the upload arrives, the
    fsync at commit has only the tail left, and the page cache is not filled with dirty packs
    that the kernel would otherwise flush all at once, stalling every writer."""

    def __init__(self, temp: Path, target: Path) -> None:
        self._temp = temp
        self._target = target
        self._fd: int | None = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._written = 0
        self._handed = 0  # bytes whose writeback was started

    def write(self, chunk: bytes) -> None:
        assert self._fd is not None, "writer already finished"
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view) :]
        self._written += len(chunk)
        if self._written - self._handed >= WRITEBACK_BYTES:
            _start_writeback(self._fd, self._handed, self._written - self._handed)
            self._handed = self._written

    def commit(self) -> None:
        assert self._fd is not None, "writer already finished"
        fd, self._fd = self._fd, None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._temp, self._target)
        _fsync_dir(self._target.parent)

    def abort(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._temp.unlink(missing_ok=True)


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the OS to begin writing a range out now, without waiting (a hint: errors and
    systems without it are ignored; `commit` fsyncs either way)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    with contextlib.suppress(OSError):
        advise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
