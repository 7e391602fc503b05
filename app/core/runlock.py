"""Exclusive locks between Keepsake processes on one PC: one backup run, one protector.

The desktop app, `keepsake agent` and `keepsake backup` may all be started on the same profile.
They share one local index, and two backups interleaving their staging and commits could
commit a snapshot whose live set the other one just changed. An OS file lock (flock on POSIX,
a locked byte on Windows) settles it: it is exclusive across processes and across open files
within one, and the OS drops it when the holder dies, even by SIGKILL, so no lock is ever stale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from app.core.errors import KeepsakeError


class AlreadyRunning(KeepsakeError):
    """Someone else holds the lock; try again later."""


class FileLock:
    """Held from `acquire` to `release` (or the end of a `with`); never waits."""

    def __init__(self, path: str | Path, busy: str) -> None:
        """`busy` is the sentence a person reads when someone else holds the lock."""
        self.path = Path(path)
        self._busy = busy
        self._fd: int | None = None

    def acquire(self) -> FileLock:
        """Take the lock, or raise AlreadyRunning with the `busy` sentence."""
        if self._fd is not None:
            raise AlreadyRunning(self._busy)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise AlreadyRunning(self._busy) from None
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the lock; the file stays, it holds nothing

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
