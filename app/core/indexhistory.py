"""The index's record of history: staged backup runs, snapshots seen, index objects, versions.

A backup stages its files cache, referenced blobs and new versions in side tables while it runs;
`finish_backup` swaps them in, in one transaction, only after the service accepted the commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from app.core.dircache import split_ids
from app.core.errors import KeepsakeError
from app.core.filescache import ROW_COLUMNS, CacheEntry, CacheRow, StagedVersion, entry_row
from app.core.indexdb import COMMITTED, REMOVED, IndexDB, SnapshotRow, _batches, _path_bytes

_STAGE_TABLES = (
    "stage_files",
    "stage_kept",
    "stage_refs",
    "staged_versions",
    "stage_dirs",
    "stage_dirs_kept",
)
DirRecord = tuple[bytes, bytes, bytes, bytes, bytes, int, int, bytes, bytes]  # a `dir_cache` row
# Meta key: the snapshot whose blobs the packs' `live_refs` count (set once its commit is done).
LIVE_SNAPSHOT = "live_snapshot"
# Meta key: the snapshot whose `live_refs` were counted from that snapshot's own references (a
# full scan), not carried over as a superset by an incremental run.
EXACT_LIVE_SNAPSHOT = "exact_live_snapshot"


class IndexHistory(IndexDB):
    # -- staging for one backup run ---------------------------------------------------------

    def begin_stage(self) -> None:
        """Start a run: drop whatever a killed run left staged."""
        with self.transaction() as conn:
            for table in _STAGE_TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def stage(
        self,
        files: Sequence[CacheEntry],
        refs: Iterable[bytes],
        versions: Sequence[StagedVersion],
        kept: Iterable[bytes] = (),
    ) -> None:
        """Stage files-cache entries, referenced blob ids and new versions of the run. `kept`
        names files-cache entries that stay as they are (unchanged files)."""
        self.stage_rows([entry_row(e) for e in files], kept, refs, versions)

    def stage_rows(
        self,
        rows: Iterable[CacheRow],
        kept: Iterable[bytes],
        refs: Iterable[bytes],
        versions: Sequence[StagedVersion],
        dirs: Iterable[DirRecord] = (),
        dirs_kept: Iterable[bytes] = (),
    ) -> None:
        """`stage` with files-cache rows as stored (the scan's fast path), plus the folder cache:
        new records, and the keys of records that stay as they are."""
        with self.transaction() as conn:
            conn.executemany("INSERT INTO stage_dirs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", dirs)
            conn.executemany("INSERT INTO stage_dirs_kept VALUES (?)", ((k,) for k in dirs_kept))
            conn.executemany("INSERT INTO stage_files VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO stage_kept VALUES (?)", ((k,) for k in kept))
            conn.executemany("INSERT INTO stage_refs VALUES (?)", ((r,) for r in refs))
            conn.executemany(
                "INSERT INTO staged_versions VALUES (?, ?, ?, ?)",
                ((_path_bytes(v.path), v.size, v.mtime_ns, v.kind) for v in versions),
            )

    def stage_records(self, dir_keys: Sequence[bytes]) -> None:
        """Stage, for the folder records the run reused as they are, what they stand for: their
        files-cache keys, chunk ids and tree ids. The scan leaves this to the commit (see `dircache`), which
        does it unless the new snapshot is the very one before. A record that is not there
        (it cannot be: records change only at a commit) stops the commit: its references would
        be missing from the live set."""
        with self.transaction() as conn:
            for part in _batches(list(dict.fromkeys(dir_keys))):
                marks = ",".join("?" * len(part))
                found = conn.execute(
                    f"SELECT kept, refs, tree FROM dir_cache WHERE dir_key IN ({marks})",  # noqa: S608
                    part,
                ).fetchall()
                if len(found) != len(part):
                    raise KeepsakeError(
                        "internal error: a folder record the backup reused is gone; "
                        "nothing was committed"
                    )
                kept = [k for blob, _, _ in found for k in split_ids(blob)]
                refs = [r for _, blob, _ in found for r in split_ids(blob)]
                refs.extend(bytes(tree) for _, _, tree in found)
                conn.executemany("INSERT INTO stage_kept VALUES (?)", ((k,) for k in kept))
                conn.executemany("INSERT INTO stage_refs VALUES (?)", ((r,) for r in refs))

    def stage_carry_over(self, listed_dirs: Iterable[bytes]) -> None:
        """An incremental run (see `app.core.incremental`) stages what it did not look at as it
        was: every blob of the packs the last commit kept live (a superset of what the reused
        subtrees reference), every files-cache entry (stale ones stay harmless: each entry is
        checked against the file and its pack when used) and every folder record except those of
        the folders it listed again (those stage their own record, or none)."""
        listed = set(listed_dirs)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO stage_refs SELECT b.id FROM blobs b JOIN packs p ON p.id = b.pack_id"
                " WHERE p.live_refs > 0"
            )
            conn.execute("INSERT INTO stage_kept SELECT path_key FROM files_cache")
            keys = [bytes(k) for (k,) in conn.execute("SELECT dir_key FROM dir_cache")]
            conn.executemany(
                "INSERT INTO stage_dirs_kept VALUES (?)", ((k,) for k in keys if k not in listed)
            )

    def staged_pack_counts(self) -> tuple[dict[str, int], int]:
        """How many staged (referenced) blobs each pack holds, and how many refs have no location.

        A blob id has one location at most (the key of `blobs`), so the counts add up to the
        distinct referenced ids that have one: the others are the unlocated. Counted in one read
        transaction, so no writer can slip in between the two queries."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                rows = self._conn.execute(
                    "SELECT b.pack_id, COUNT(*) FROM blobs b"
                    " WHERE b.id IN (SELECT id FROM stage_refs) GROUP BY b.pack_id"
                ).fetchall()
                referenced = self._conn.execute(
                    "SELECT COUNT(DISTINCT id) FROM stage_refs"
                ).fetchone()[0]
            finally:
                self._conn.execute("COMMIT")
        counts = {str(p): int(n) for p, n in rows}
        return counts, int(referenced) - sum(counts.values())

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
        prune_files_cache: bool = True,
    ) -> None:
        """After the service accepted the commit: make the run's results the index's state.

        `prune_files_cache` False: the snapshot is the one before (same root tree), so it holds
        the same files and no entry needs dropping; the run did not stage what its reused
        records stand for, and the files cache only takes in the entries the run wrote."""
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
            # The files cache becomes: the entries the run kept, plus the ones it wrote (the
            # last one per path, should two protected folders overlap).
            if prune_files_cache:
                conn.execute(
                    "DELETE FROM files_cache WHERE path_key NOT IN (SELECT path_key FROM stage_kept)"
                )
            conn.execute(
                f"INSERT OR REPLACE INTO files_cache SELECT {ROW_COLUMNS} FROM stage_files"  # noqa: S608
                " WHERE rowid IN (SELECT max(rowid) FROM stage_files GROUP BY path_key)"
                " ORDER BY path_key"
            )
            # The folder cache, likewise: kept records, plus new ones; a folder visited twice in
            # one run (overlapping protected folders) is not cached at all.
            conn.execute(
                "DELETE FROM dir_cache WHERE dir_key NOT IN (SELECT dir_key FROM stage_dirs_kept)"
            )
            conn.execute("INSERT OR REPLACE INTO dir_cache SELECT * FROM stage_dirs")
            conn.execute(
                "DELETE FROM dir_cache WHERE dir_key IN (SELECT dir_key FROM (SELECT dir_key"
                " FROM stage_dirs UNION ALL SELECT dir_key FROM stage_dirs_kept)"
                " GROUP BY dir_key HAVING COUNT(*) > 1)"
            )
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
            for table in _STAGE_TABLES:
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

    def newest_index_seq(self) -> int:
        """The commit number of the newest index object learned (0: none yet)."""
        rows = self._query("SELECT COALESCE(MAX(seq), 0) FROM indexes")
        return int(rows[0][0]) if rows else 0

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
