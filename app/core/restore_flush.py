"""Gets restored data onto the disk: one flush per file system for many files, early writeback.

A restored file must never show up half-written under its final name, so its data has to be on
disk before the rename that gives it that name. An fsync per file does that but costs a journal
commit each (1-3 ms here: tens of seconds for 20,000 small files); `syncfs` on Linux flushes
every file written so far on one file system with a single commit (`restore_commit` decides
when). Where `syncfs` is missing (Windows, macOS) the caller fsyncs each file instead. A large
file gets `EarlyWriteback`, so its own final fsync has little left to wait for.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable

_SyncFs = Callable[[int], int]


def _load_syncfs() -> _SyncFs | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return None
    syncfs.argtypes = [ctypes.c_int]
    syncfs.restype = ctypes.c_int
    func: _SyncFs = syncfs
    return func


_SYNCFS = _load_syncfs()


WRITEBACK_STEP = 8 * 1024 * 1024
_FADVISE = getattr(os, "posix_fadvise", None)
_DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", 0)


class EarlyWriteback:
    """Starts writing a large file to disk while it is still being written (Linux: fadvise
    DONTNEED starts writeback of the range without waiting), so its final fsync has little
    left to do and the restored data does not crowd the page cache. Use as `on_piece`."""

    def __init__(self) -> None:
        self._started = 0

    def __call__(self, fd: int, written: int) -> None:
        if _FADVISE is None or written - self._started < WRITEBACK_STEP:
            return
        try:
            _FADVISE(fd, self._started, written - self._started, _DONTNEED)
        except OSError:
            return  # only a hint
        self._started = written


def batch_flush_available() -> bool:
    """True when `flush_filesystems` can make many files durable at once."""
    return _SYNCFS is not None


def flush_filesystems(dir_fds: Iterable[int]) -> bool:
    """Flush the file systems holding these open folders (one call per file system); False if
    that is not possible here or failed, in which case each file must be fsynced instead."""
    if _SYNCFS is None:
        return False
    seen: set[int] = set()
    for fd in dir_fds:
        device = os.fstat(fd).st_dev
        if device in seen:
            continue
        seen.add(device)
        if _SYNCFS(fd) != 0:
            return False
    return True
