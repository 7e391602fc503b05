"""The client's SQLite index: where every blob lives, pack states, snapshots seen, version history.

One connection guarded by a lock (WAL, one writer), so any engine thread may call in. Nothing here
talks to the service. A backup stages its files cache and referenced blobs in side tables while it
runs and swaps them in with `finish_backup` only after the service accepted the commit, so a killed
backup never leaves the index claiming more than the service holds. Packs uploaded by a killed run
stay as 'uploaded' with their blobs so the next run reuses them instead of uploading again.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.filescache import (
    CacheEntry,
    StagedVersion,
    chunks_from_blob,
    chunks_to_blob,
    signed_inode,
    unsigned_inode,
)

__all__ = ["BlobLocation", "CacheEntry", "Index", "PackRow", "SnapshotRow", "StagedVersion"]

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
CREATE TABLE IF NOT EXISTS staged_files(path_key BLOB PRIMARY KEY, inode INTEGER, size INTEGER,
    mtime_ns INTEGER, ctime_ns INTEGER, chunks BLOB, scan_start_ns INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_refs(id BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_versions(path BLOB NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, kind TEXT NOT NULL);
"""
SCHEMA_VERSION = "1"

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


def _path_bytes(path: str) -> bytes:
    """Snapshot paths may hold undecodable names (surrogates), which SQLite text cannot."""
    return path.encode("utf-8", "surrogateescape")


class Index:
    """Thread-safe access to the profile's index database (or ':memory:' in tests)."""

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30
        )
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            if self.get_meta("schema") is None:
                self.set_meta("schema", SCHEMA_VERSION)

    def close(self) -> None:
        with self._lock:
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

    # -- blobs and packs --------------------------------------------------------------------

    def lookup(self, blob_id: bytes) -> BlobLocation | None:
        rows = self._query(
            "SELECT type, pack_id, offset, length, raw_length FROM blobs WHERE id = ?", (blob_id,)
        )
        if not rows:
            return None
        t, pack, off, length, raw = rows[0]
        return BlobLocation(blob_id, int(t), str(pack), int(off), int(length), int(raw))

    def lookup_many(self, ids: Iterable[bytes]) -> dict[bytes, BlobLocation]:
        found: dict[bytes, BlobLocation] = {}
        for blob_id in ids:
            if blob_id not in found and (loc := self.lookup(blob_id)) is not None:
                found[blob_id] = loc
        return found

    def blob_pack_state(self, blob_id: bytes) -> tuple[str, str] | None:
        """(pack id, pack state) of a blob, for deciding whether it can be deduplicated against."""
        rows = self._query(
            "SELECT p.id, p.state FROM blobs b JOIN packs p ON p.id = b.pack_id WHERE b.id = ?",
            (blob_id,),
        )
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def record_uploaded(
        self, pack_id: str, size: int, entries: Iterable[BlobLocation], lease_until: str
    ) -> None:
        """A pack is on the service but not committed: reusable by this run and the next."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO packs(id, state, size, live_refs, expires_at)"
                " VALUES (?, ?, ?, 0, ?)",
                (pack_id, UPLOADED, size, lease_until),
            )
            self._put_blobs(conn, entries)

    @staticmethod
    def _put_blobs(conn: sqlite3.Connection, entries: Iterable[BlobLocation]) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO blobs(id, type, pack_id, offset, length, raw_length)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (e.blob_id, e.blob_type, e.pack_id, e.offset, e.length, e.raw_length)
                for e in entries
            ),
        )

    def apply_packs(
        self, packs: Iterable[tuple[str, int, Sequence[BlobLocation]]], state: str = COMMITTED
    ) -> None:
        """Learn packs from an index object (rebuild, or a commit made elsewhere)."""
        with self.transaction() as conn:
            for pack_id, size, entries in packs:
                conn.execute(
                    "INSERT INTO packs(id, state, size) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE"
                    " SET state = excluded.state, expires_at = NULL",
                    (pack_id, state, size),
                )
                self._put_blobs(conn, entries)

    def packs(self, *states: str) -> list[PackRow]:
        sql = "SELECT id, state, size, live_refs, expires_at FROM packs"
        if states:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
        return [
            PackRow(str(i), str(s), int(z), int(r), None if e is None else str(e))
            for i, s, z, r, e in self._query(sql + " ORDER BY id", states)
        ]

    def pack_blobs(self, pack_id: str) -> list[BlobLocation]:
        rows = self._query(
            "SELECT id, type, offset, length, raw_length FROM blobs WHERE pack_id = ?"
            " ORDER BY offset",
            (pack_id,),
        )
        return [
            BlobLocation(bytes(i), int(t), pack_id, int(o), int(n), int(r))
            for i, t, o, n, r in rows
        ]

    def set_pack_state(self, pack_id: str, state: str, expires_at: str | None = None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE packs SET state = ?, expires_at = ? WHERE id = ?",
                (state, expires_at, pack_id),
            )

    def forget_packs(self, pack_ids: Iterable[str]) -> None:
        """Drop packs the service no longer holds, and the blob locations pointing into them."""
        with self.transaction() as conn:
            for pack_id in pack_ids:
                conn.execute("DELETE FROM blobs WHERE pack_id = ?", (pack_id,))
                conn.execute("DELETE FROM packs WHERE id = ?", (pack_id,))

    def all_blobs_by_pack(
        self, states: Sequence[str]
    ) -> Iterator[tuple[str, int, list[BlobLocation]]]:
        """(pack id, size, blobs) for every pack in the given states: the content of a full index."""
        for row in self.packs(*states):
            yield row.pack_id, row.size, self.pack_blobs(row.pack_id)

    # -- files cache ------------------------------------------------------------------------

    def cache_lookup(self, path_key: bytes) -> CacheEntry | None:
        rows = self._query(
            "SELECT inode, size, mtime_ns, ctime_ns, chunks, scan_start_ns FROM files_cache"
            " WHERE path_key = ?",
            (path_key,),
        )
        if not rows:
            return None
        ino, size, mtime, ctime, chunks, start = rows[0]
        return CacheEntry(
            path_key,
            unsigned_inode(int(ino)),
            int(size),
            int(mtime),
            int(ctime),
            chunks_from_blob(bytes(chunks)),
            int(start),
        )

    def cache_size(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM files_cache")[0][0])

    def reset(self) -> None:
        """Forget everything learned from the service (before a rebuild); keep the last known
        (seq, hash) so a rebuild still notices a service that rolled back."""
        with self.transaction() as conn:
            for table in ("blobs", "packs", "files_cache", "snapshots", "versions", "indexes"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self.set_meta("versions_base_seq", None, conn)
            self.set_meta("deltas_since_full", None, conn)

    def clear_files_cache(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM files_cache")

    # -- staging for one backup run ---------------------------------------------------------

    def begin_stage(self) -> None:
        """Start a run: drop whatever a killed run left staged."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM staged_files")
            conn.execute("DELETE FROM staged_refs")
            conn.execute("DELETE FROM staged_versions")

    def stage(
        self,
        files: Sequence[CacheEntry],
        refs: Iterable[bytes],
        versions: Sequence[StagedVersion],
    ) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO staged_files VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        e.path_key,
                        signed_inode(e.inode),
                        e.size,
                        e.mtime_ns,
                        e.ctime_ns,
                        chunks_to_blob(e.chunks),
                        e.scan_start_ns,
                    )
                    for e in files
                ),
            )
            conn.executemany("INSERT OR IGNORE INTO staged_refs VALUES (?)", ((r,) for r in refs))
            conn.executemany(
                "INSERT INTO staged_versions VALUES (?, ?, ?, ?)",
                ((_path_bytes(v.path), v.size, v.mtime_ns, v.kind) for v in versions),
            )

    def staged_pack_counts(self) -> tuple[dict[str, int], int]:
        """How many staged (referenced) blobs each pack holds, and how many refs have no location."""
        counts = {
            str(p): int(n)
            for p, n in self._query(
                "SELECT b.pack_id, COUNT(*) FROM staged_refs r JOIN blobs b ON b.id = r.id"
                " GROUP BY b.pack_id"
            )
        }
        missing = self._query(
            "SELECT COUNT(*) FROM staged_refs r LEFT JOIN blobs b ON b.id = r.id WHERE b.id IS NULL"
        )
        return counts, int(missing[0][0])

    def finish_backup(
        self,
        *,
        snapshot: SnapshotRow,
        added: Sequence[str],
        removed: Sequence[str],
        live_refs: dict[str, int],
        index_id: str,
        index_kind: str,
        superseded: Sequence[str],
        versions_base: bool,
    ) -> None:
        """After the service accepted the commit: make the run's results the index's state."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE packs SET state = ?, expires_at = NULL WHERE id = ?",
                ((COMMITTED, p) for p in added),
            )
            conn.executemany(
                "UPDATE packs SET state = ? WHERE id = ?", ((REMOVED, p) for p in removed)
            )
            conn.execute("UPDATE packs SET live_refs = 0")
            conn.executemany(
                "UPDATE packs SET live_refs = ? WHERE id = ?",
                ((n, p) for p, n in live_refs.items()),
            )
            conn.execute("DELETE FROM files_cache")
            conn.execute("INSERT INTO files_cache SELECT * FROM staged_files")
            self._add_snapshot(conn, snapshot)
            conn.execute(
                "INSERT INTO versions SELECT path, ?, size, mtime_ns, kind FROM staged_versions",
                (snapshot.snapshot_id,),
            )
            conn.executemany("DELETE FROM indexes WHERE id = ?", ((i,) for i in superseded))
            conn.execute(
                "INSERT OR REPLACE INTO indexes(id, seq, kind) VALUES (?, ?, ?)",
                (index_id, snapshot.seq, index_kind),
            )
            since = 0 if index_kind == "full" else int(self.get_meta("deltas_since_full") or 0) + 1
            self.set_meta("deltas_since_full", str(since), conn)
            if versions_base:
                self.set_meta("versions_base_seq", str(snapshot.seq), conn)
            for table in ("staged_files", "staged_refs", "staged_versions"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    # -- snapshots, indexes and versions ------------------------------------------------------

    def _add_snapshot(self, conn: sqlite3.Connection, row: SnapshotRow) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO snapshots(id, seq, time, root, sealed_hash, sealed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row.snapshot_id, row.seq, row.time, row.root, row.sealed_hash, row.sealed),
        )
        self.set_last_known(row.seq, row.sealed_hash, conn)

    def add_snapshots(self, rows: Sequence[SnapshotRow]) -> None:
        with self.transaction() as conn:
            for row in rows:
                conn.execute(
                    "DELETE FROM snapshots WHERE seq = ? AND id != ?", (row.seq, row.snapshot_id)
                )
                self._add_snapshot(conn, row)

    def snapshot_rows(self) -> dict[str, SnapshotRow]:
        rows = self._query("SELECT id, seq, time, root, sealed_hash, sealed FROM snapshots")
        return {
            str(i): SnapshotRow(str(i), int(q), str(t), bytes(r), bytes(h), bytes(s))
            for i, q, t, r, h, s in rows
        }

    def known_indexes(self) -> set[str]:
        return {str(r[0]) for r in self._query("SELECT id FROM indexes")}

    def add_index(self, index_id: str, seq: int, kind: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO indexes(id, seq, kind) VALUES (?, ?, ?)",
                (index_id, seq, kind),
            )

    def add_versions(self, snapshot_id: str, rows: Sequence[StagedVersion]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO versions(path, snapshot_id, size, mtime_ns, kind)"
                " VALUES (?, ?, ?, ?, ?)",
                ((_path_bytes(v.path), snapshot_id, v.size, v.mtime_ns, v.kind) for v in rows),
            )

    def versions_of(self, path: str) -> list[tuple[str, int]]:
        """(snapshot id, seq) of every snapshot where `path` got a new version, oldest first."""
        rows = self._query(
            "SELECT v.snapshot_id, s.seq FROM versions v JOIN snapshots s ON s.id = v.snapshot_id"
            " WHERE v.path = ? ORDER BY s.seq",
            (_path_bytes(path),),
        )
        return [(str(i), int(q)) for i, q in rows]
