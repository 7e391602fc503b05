"""The files cache rules: when a file's previous chunk list can be reused without reading it.

Key = keyed hash of the path (no readable paths on disk); value = inode, size, mtime_ns, ctime_ns
and the chunk list. An entry whose mtime or ctime falls within `RACY_NS` of the scan that wrote it
is not trusted later: the file may have changed again within the same timestamp tick.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
            and (self.inode == st.st_ino or not st.st_ino)
            and self.size == st.st_size
            and self.mtime_ns == st.st_mtime_ns
            and self.ctime_ns == st.st_ctime_ns
        )


# A files-cache row as the index stores it (`files_cache` columns, in order). The scan compares
# rows with the stat it has in hand without building a `CacheEntry` per file.
CacheRow = tuple[bytes, int, int, int, int, bytes, int]
ROW_COLUMNS = "path_key, inode, size, mtime_ns, ctime_ns, chunks, scan_start_ns"


def row_matches(row: Sequence[Any], st: os.stat_result) -> bool:
    """`CacheEntry.matches` for a raw row (its inode is stored signed; columns past the files
    cache's own are ignored). A zero inode means the platform did not report one (directory
    listings on Windows): the other fields decide."""
    inode, size, mtime_ns, ctime_ns = row[1], row[2], row[3], row[4]
    limit = row[6] - RACY_NS
    ino = st.st_ino
    return (
        mtime_ns < limit
        and ctime_ns < limit
        and size == st.st_size
        and mtime_ns == st.st_mtime_ns
        and ctime_ns == st.st_ctime_ns
        and (not ino or inode == signed_inode(ino))
    )


def entry_row(e: CacheEntry) -> CacheRow:
    """The row that stores a cache entry."""
    return (
        e.path_key,
        signed_inode(e.inode),
        e.size,
        e.mtime_ns,
        e.ctime_ns,
        chunks_to_blob(e.chunks),
        e.scan_start_ns,
    )


def row_entry(row: CacheRow) -> CacheEntry:
    key, inode, size, mtime_ns, ctime_ns, chunks, scan_start_ns = row
    return CacheEntry(
        bytes(key),
        unsigned_inode(int(inode)),
        int(size),
        int(mtime_ns),
        int(ctime_ns),
        chunks_from_blob(bytes(chunks)),
        int(scan_start_ns),
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
