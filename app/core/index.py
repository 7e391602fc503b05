"""The client's SQLite index: where every blob lives, pack states, snapshots seen, version history.

Nothing here talks to the service. Packs uploaded by a killed run stay as 'uploaded' with their
blobs, so the next run reuses them instead of uploading again; a backup's other results only
become the index's state once the service accepted its commit (`IndexHistory.finish_backup`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from app.core.filescache import ROW_COLUMNS, CacheEntry, CacheRow, StagedVersion, row_entry
from app.core.indexdb import (
    COMMITTED,
    REMOVED,
    SCHEMA_VERSION,
    UPLOADED,
    BlobLocation,
    PackRow,
    SnapshotRow,
    _batches,
)
from app.core.indexhistory import LIVE_SNAPSHOT, IndexHistory

__all__ = [
    "COMMITTED",
    "REMOVED",
    "SCHEMA_VERSION",
    "UPLOADED",
    "BlobLocation",
    "CacheEntry",
    "Index",
    "PackRow",
    "SnapshotRow",
    "StagedVersion",
]


_LOCATIONS = "SELECT id, type, pack_id, offset, length, raw_length FROM blobs"
_BLOB_STATES = "SELECT b.id, p.id, p.state FROM blobs b JOIN packs p ON p.id = b.pack_id"
_CACHE_ROWS = f"SELECT {ROW_COLUMNS} FROM files_cache"  # noqa: S608 - fixed columns
_CACHE_LOCATED = (
    "SELECT f.path_key, f.inode, f.size, f.mtime_ns, f.ctime_ns, f.chunks, f.scan_start_ns,"
    " p.id, p.state FROM files_cache f LEFT JOIN blobs b ON b.id = f.chunks"
    " LEFT JOIN packs p ON p.id = b.pack_id"
)


class Index(IndexHistory):
    """Thread-safe access to the profile's index database (or ':memory:' in tests)."""

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
        """Locations of those of `ids` the index knows, a few hundred per query: a restore asks
        for every chunk of every file, and a query per chunk costs a transaction each."""
        found: dict[bytes, BlobLocation] = {}
        for part in _batches(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(part))
            sql = f"{_LOCATIONS} WHERE id IN ({marks})"
            for blob_id, t, pack, off, length, raw in self._query(sql, part):
                key = bytes(blob_id)
                found[key] = BlobLocation(key, int(t), str(pack), int(off), int(length), int(raw))
        return found

    def blob_pack_state(self, blob_id: bytes) -> tuple[str, str] | None:
        """(pack id, pack state) of a blob, for deciding whether it can be deduplicated against."""
        return self.blob_pack_states([blob_id]).get(blob_id)

    def blob_pack_states(self, ids: Iterable[bytes]) -> dict[bytes, tuple[str, str]]:
        found: dict[bytes, tuple[str, str]] = {}
        for part in _batches(list(ids)):
            marks = ",".join("?" * len(part))
            sql = f"{_BLOB_STATES} WHERE b.id IN ({marks})"
            rows = self._read(sql, part)
            found.update((bytes(b), (str(p), str(s))) for b, p, s in rows)
        return found

    def live_packs(self) -> list[tuple[str, str]]:
        """(pack id, state) of every pack the last committed snapshot references."""
        return [
            (str(i), str(st))
            for i, st in self._query("SELECT id, state FROM packs WHERE live_refs > 0")
        ]

    def live_pack_counts(self) -> dict[str, int]:
        """Per pack, how many blobs the last committed snapshot references there (as its commit
        counted them)."""
        return {
            str(i): int(n)
            for i, n in self._query("SELECT id, live_refs FROM packs WHERE live_refs > 0")
        }

    def has_blobs(self) -> bool:
        return bool(self._query("SELECT EXISTS (SELECT 1 FROM blobs)")[0][0])

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
        return self.cache_lookup_many([path_key]).get(path_key)

    def cache_lookup_many(self, keys: Sequence[bytes]) -> dict[bytes, CacheEntry]:
        """Files-cache entries for many paths at once (a folder's files: one query, not many)."""
        return {key: row_entry(row) for key, row in self.cache_rows(keys).items()}

    def cache_rows(self, keys: Sequence[bytes]) -> dict[bytes, CacheRow]:
        """Files-cache rows, as stored, for many paths at once (the scan's fast path)."""
        found: dict[bytes, CacheRow] = {}
        for part in _batches(keys):
            marks = ",".join("?" * len(part))
            sql = f"{_CACHE_ROWS} WHERE path_key IN ({marks})"
            for row in self._read(sql, part):
                found[row[0]] = row
        return found

    def cache_rows_located(self, keys: Sequence[bytes]) -> dict[bytes, tuple[Any, ...]]:
        """Files-cache rows followed by (pack id, pack state) of the entry's chunk when it has
        exactly one (most files), else (None, None): a folder's whole files-cache verdict in one
        query."""
        found: dict[bytes, tuple[Any, ...]] = {}
        for part in _batches(keys):
            marks = ",".join("?" * len(part))
            for row in self._read(f"{_CACHE_LOCATED} WHERE f.path_key IN ({marks})", part):
                found[row[0]] = row
        return found

    def dir_summary(self, dir_key: bytes) -> tuple[Any, ...] | None:
        """What a scan needs of a folder's record to reuse it whole (`dircache.Summary`), then
        (pack id, pack state) of its tree ((None, None) if the index does not locate it); not
        its rows and id lists, which a scan of an unchanged folder never looks at."""
        rows = self._read(
            "SELECT d.dir_key, d.fingerprint, d.files, d.bytes, d.tree, d.below, p.id, p.state"
            " FROM dir_cache d LEFT JOIN blobs b ON b.id = d.tree"
            " LEFT JOIN packs p ON p.id = b.pack_id WHERE d.dir_key = ?",
            (dir_key,),
        )
        return tuple(rows[0]) if rows else None

    def dir_record(self, dir_key: bytes) -> tuple[Any, ...] | None:
        """The folder's whole `dir_cache` row (`dircache.Record`), if there is one."""
        rows = self._read(
            "SELECT dir_key, fingerprint, rows, kept, refs, files, bytes, tree, below"
            " FROM dir_cache WHERE dir_key = ?",
            (dir_key,),
        )
        return tuple(rows[0]) if rows else None

    def cache_size(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM files_cache")[0][0])

    def reset(self) -> None:
        """Forget everything learned from the service (before a rebuild); keep the last known
        (seq, hash) so a rebuild still notices a service that rolled back."""
        with self.transaction() as conn:
            for table in (
                "blobs",
                "packs",
                "files_cache",
                "dir_cache",
                "snapshots",
                "versions",
                "indexes",
            ):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            self.set_meta("versions_base_seq", None, conn)
            self.set_meta("deltas_since_full", None, conn)
            self.set_meta(LIVE_SNAPSHOT, None, conn)

    def clear_files_cache(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM files_cache")
            conn.execute("DELETE FROM dir_cache")
