"""The files cache rules: when a file's previous chunk list can be reused without reading it.

Key = keyed hash of the path (no readable paths on disk); value = inode, size, mtime_ns, ctime_ns
and the chunk list. An entry whose mtime or ctime falls within `RACY_NS` of the scan that wrote it
is not trusted later: the file may have changed again within the same timestamp tick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ID_SIZE = 32
RACY_NS = 3_000_000_000


@dataclass(frozen=True)
class CacheEntry:
    path_key: bytes
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    chunks: tuple[bytes, ...]
    scan_start_ns: int

    @property
    def trusted(self) -> bool:
        limit = self.scan_start_ns - RACY_NS
        return self.mtime_ns < limit and self.ctime_ns < limit

    def matches(self, st: os.stat_result) -> bool:
        """True when the file looks exactly as it did when this entry was written."""
        return (
            self.trusted
            and self.inode == st.st_ino
            and self.size == st.st_size
            and self.mtime_ns == st.st_mtime_ns
            and self.ctime_ns == st.st_ctime_ns
        )


@dataclass(frozen=True)
class StagedVersion:
    """A path that got new content in the snapshot being made (for the `versions` history)."""

    path: str
    size: int
    mtime_ns: int
    kind: str


def entry_for(
    path_key: bytes, st: os.stat_result, chunks: tuple[bytes, ...], scan_start_ns: int
) -> CacheEntry:
    return CacheEntry(
        path_key, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, chunks, scan_start_ns
    )


def signed_inode(n: int) -> int:
    """SQLite integers are signed 64-bit; inode numbers may use the top bit."""
    return n - (1 << 64) if n >= 1 << 63 else n


def unsigned_inode(n: int) -> int:
    return n + (1 << 64) if n < 0 else n


def chunks_to_blob(chunks: tuple[bytes, ...]) -> bytes:
    return b"".join(chunks)


def chunks_from_blob(data: bytes) -> tuple[bytes, ...]:
    if len(data) % ID_SIZE:
        raise ValueError("corrupt chunk list in the files cache")
    return tuple(data[i : i + ID_SIZE] for i in range(0, len(data), ID_SIZE))
