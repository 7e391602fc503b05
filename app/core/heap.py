"""Hands memory the engine has freed back to the operating system, where the C library keeps it.

glibc's malloc keeps freed blocks in its arenas for reuse; after a run's packs and chunk buffers
are freed the process still counts them as its own until `malloc_trim` releases them. Elsewhere
(macOS, Windows, musl) the allocator returns large blocks by itself, and this does nothing.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable


@functools.cache
def _load() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at import: a command that never trims never pays for it

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the process already runs on
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def release_free_memory() -> bool:
    """Give freed heap memory back to the OS; True when the allocator could be asked."""
    trim = _load()
    if trim is None:
        return False
    trim(0)
    return True


class Trimmer:
    """Hands free memory back each time a run has finished with another `every` bytes (packs
    uploaded, files restored). Thread-safe. Trimming after every buffer would cost page faults
    when the memory is used again; once per tens of MiB costs nothing measurable."""

    def __init__(self, every: int) -> None:
        self._every = every
        self._pending = 0
        self._lock = threading.Lock()

    def finished_with(self, size: int) -> None:
        with self._lock:
            self._pending += size
            if self._pending < self._every:
                return
            self._pending = 0
        release_free_memory()
