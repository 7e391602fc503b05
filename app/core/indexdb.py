"""The index database itself: schema, rows, the locked connection, transactions and meta values.

One SQLite connection guarded by a lock (WAL, one writer), so any engine thread may call in.
`app.core.index.Index` builds on this; nothing here knows about backups.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs(id BLOB PRIMARY KEY, type INTEGER NOT NULL,
    pack_id TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
    raw_length INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blobs_by_pack ON blobs(pack_id);
CREATE TABLE IF NOT EXISTS packs(id TEXT PRIMARY KEY, state TEXT NOT NULL, size INTEGER NOT NULL,
    live_refs INTEGER NOT NULL DEFAULT 0, expires_at TEXT);
CREATE TABLE IF NOT EXISTS files_cache(path_key BLOB PRIMARY KEY, inode INTEGER, size INTEGER,
    mtime_ns INTEGER, ctime_ns INTEGER, chunks BLOB, scan_start_ns INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots(id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,
    time TEXT NOT NULL, root BLOB NOT NULL, sealed_hash BLOB NOT NULL, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions(path BLOB NOT NULL, snapshot_id TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS versions_by_path ON versions(path);
CREATE TABLE IF NOT EXISTS indexes(id TEXT PRIMARY KEY, seq INTEGER, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS stage_files(path_key BLOB NOT NULL, inode INTEGER, size INTEGER,
    mtime_ns INTEGER, ctime_ns INTEGER, chunks BLOB, scan_start_ns INTEGER);
CREATE TABLE IF NOT EXISTS stage_kept(path_key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stage_refs(id BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS staged_versions(path BLOB NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dir_cache(dir_key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL,
    rows BLOB NOT NULL, kept BLOB NOT NULL, refs BLOB NOT NULL, files INTEGER NOT NULL,
    bytes INTEGER NOT NULL, tree BLOB NOT NULL, below BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_dirs(dir_key BLOB NOT NULL, fingerprint BLOB NOT NULL,
    rows BLOB NOT NULL, kept BLOB NOT NULL, refs BLOB NOT NULL, files INTEGER NOT NULL,
    bytes INTEGER NOT NULL, tree BLOB NOT NULL, below BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stage_dirs_kept(dir_key BLOB NOT NULL);
DROP TABLE IF EXISTS staged_files;
DROP TABLE IF EXISTS staged_refs;
"""
# The stage_* tables of a running backup are plain append-only tables (no key to keep sorted):
# a run appends tens of thousands of rows, and inserting them into keyed B-trees in random key
# order cost more than the rest of a no-change scan. Duplicates are resolved once, at commit.
# (`staged_files`/`staged_refs`, their keyed predecessors, held nothing between runs.)
# `dir_cache` is the files cache one level up (see `app.core.dircache`): per folder whose files
# were all unchanged and old enough, a keyed fingerprint of its entries' lstat, and what the
# scan derived from them, and the folder's tree id with a digest of the rows below it that went
# into that tree. Like the files cache it is only replaced when a backup is committed.
SCHEMA_VERSION = "2"
# Schema "1" had folder records without a tree id; being a cache, they are dropped and rebuilt.
_FROM_1 = """
DROP TABLE IF EXISTS dir_cache;
DROP TABLE IF EXISTS stage_dirs;
"""

# Pack states. 'uploaded': on the service, not yet part of a commit (leftover of a killed run).
COMMITTED, UPLOADED, REMOVED = "committed", "uploaded", "removed"


@dataclass(frozen=True)
class BlobLocation:
    blob_id: bytes
    blob_type: int
    pack_id: str
    offset: int
    length: int
    raw_length: int


@dataclass(frozen=True)
class PackRow:
    pack_id: str
    state: str
    size: int
    live_refs: int
    expires_at: str | None


@dataclass(frozen=True)
class SnapshotRow:
    snapshot_id: str
    seq: int
    time: str
    root: bytes
    sealed_hash: bytes
    sealed: bytes


PREFETCH_MAX = 256 * 1024 * 1024


def _prefetch(path: Path) -> None:
    """Asks the OS to start reading the index file (and its WAL) in the background: a backup's
    lookups jump all over it, and on a cold cache each would otherwise wait for its own read."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for name in (path, path.with_name(path.name + "-wal")):
        try:
            fd = os.open(name, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(fd, 0, PREFETCH_MAX, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _tune(conn: sqlite3.Connection) -> None:
    """Reads through a memory map, and a page cache that holds a whole ordinary index (SQLite's
    default of 2 MB made every files-cache lookup of a scan a system call)."""
    conn.execute("PRAGMA cache_size=-16384")  # KiB: up to 16 MiB, used only as pages are read
    conn.execute("PRAGMA mmap_size=268435456")


def _batches(items: Sequence[bytes], size: int = 500) -> Iterator[Sequence[bytes]]:
    """Keeps IN (...) lists under SQLite's variable limit."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _path_bytes(path: str) -> bytes:
    """Snapshot paths may hold undecodable names (surrogates), which SQLite text cannot."""
    return path.encode("utf-8", "surrogateescape")


class IndexDB:
    """The connection and the small key/value `meta` table."""

    def __init__(self, path: str | Path) -> None:
        # Where this index lives (None: in memory), so runs on it can be made exclusive.
        self.path: Path | None = None if str(path) == ":memory:" else Path(path)
        if self.path is not None:
            _prefetch(self.path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30
        )
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            _tune(self._conn)
            self._conn.executescript(_SCHEMA)
            schema = self.get_meta("schema")
            if schema == "1":
                self._conn.executescript(_FROM_1 + _SCHEMA)
            if schema in (None, "1"):
                self.set_meta("schema", SCHEMA_VERSION)
        # Read-only connections, one per thread, for the scan's many small lookups: they run
        # beside the writer and each other (WAL) instead of queueing on the one lock.
        self._reader_uri = None if str(path) == ":memory:" else Path(path).resolve().as_uri()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []

    def close(self) -> None:
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes; holds the lock so no other thread interleaves."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[Any]:
        """A read of committed state on this thread's own connection (any thread may call it)."""
        if self._reader_uri is None:
            return self._query(sql, args)
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self._reader_uri + "?mode=ro",
                uri=True,
                check_same_thread=False,
                isolation_level=None,
                timeout=30,
            )
            _tune(conn)
            with self._lock:
                self._readers.append(conn)
            self._local.conn = conn
        return conn.execute(sql, args).fetchall()

    # -- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT v FROM meta WHERE k = ?", (key,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def set_meta(self, key: str, value: str | None, conn: sqlite3.Connection | None = None) -> None:
        sql = "INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)"
        if conn is not None:
            conn.execute(sql, (key, value))
        else:
            with self._lock:
                self._conn.execute(sql, (key, value))

    def last_known(self) -> tuple[int, bytes] | None:
        """The newest (seq, sealed hash) this client has seen: what the service must not hide."""
        seq, digest = self.get_meta("last_seq"), self.get_meta("last_hash")
        if seq is None or digest is None:
            return None
        return int(seq), bytes.fromhex(digest)

    def set_last_known(self, seq: int, sealed_hash: bytes, conn: sqlite3.Connection) -> None:
        known = self.last_known()
        if known is None or seq >= known[0]:
            self.set_meta("last_seq", str(seq), conn)
            self.set_meta("last_hash", sealed_hash.hex(), conn)
