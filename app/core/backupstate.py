"""The bookkeeping of one backup run: counters, problems, throttled progress, staged index rows.

Staged rows (files-cache entries, referenced blobs, new versions) go to the index's side tables in
batches while the run goes on, so memory stays flat however many files there are; they only become
the index's state when the commit is accepted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.clock import Clock
from app.core.dircache import Record
from app.core.filescache import CacheRow, StagedVersion, chunks_to_blob, signed_inode
from app.core.index import Index
from app.core.keys import Subkeys
from app.core.progress import Events, Progress

BATCH = 8192  # staged items per index transaction
PROGRESS_INTERVAL = 0.1  # seconds: at most ~10 progress events a second


@dataclass
class Counters:
    files_new: int = 0
    files_changed: int = 0
    files_unmodified: int = 0
    dirs: int = 0
    symlinks: int = 0
    size: int = 0  # total size of the files in the snapshot
    bytes_read: int = 0
    bytes_added: int = 0


@dataclass
class RunState:
    """Counters and reports may be touched by any thread (they lock); staging is done by the
    walker's thread only."""

    subkeys: Subkeys
    index: Index
    events: Events
    clock: Clock
    scan_start_ns: int
    expected_files: int = 0
    expected_bytes: int = 0
    counters: Counters = field(default_factory=Counters)
    problems: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    phase: str = "scanning"
    # Staged since the last flush: files-cache rows written by this run, keys of rows kept as
    # they are, referenced blob ids, new versions. The walker appends to `kept` and `refs`
    # directly (then calls `maybe_flush`): they grow by a row per file the folder cache did
    # not vouch for.
    rows: list[CacheRow] = field(default_factory=list)
    kept: list[bytes] = field(default_factory=list)
    refs: list[bytes] = field(default_factory=list)
    versions: list[StagedVersion] = field(default_factory=list)
    dirs: list[Record] = field(default_factory=list)  # new folder-cache records (few)
    dirs_kept: list[bytes] = field(default_factory=list)  # keys of records reused as they are
    # Keys of records reused with their tree: what they stand for (files-cache keys, chunk and
    # tree ids) is staged at the commit only if it is needed (`IndexHistory.stage_records`).
    # One key per folder, not per file, so they stay in memory until then.
    records_reused: list[bytes] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _last_emit: float = -1.0

    # -- counters and reports ------------------------------------------------------------------

    def add(self, **deltas: int) -> None:
        with self._lock:
            for name, value in deltas.items():
                setattr(self.counters, name, getattr(self.counters, name) + value)

    def problem(self, path: str, reason: str) -> None:
        with self._lock:
            self.problems.append((path, reason))
        self.events.problem(path, reason)

    def exclude(self, path: str, reason: str) -> None:
        with self._lock:
            self.excluded.append((path, reason))

    def progress(self, current: str | None, *, force: bool = False) -> None:
        now = self.clock.monotonic()
        with self._lock:
            if not force and self._last_emit >= 0 and now - self._last_emit < PROGRESS_INTERVAL:
                return
            self._last_emit = now
            c = self.counters
            done = c.files_new + c.files_changed + c.files_unmodified
            report = Progress(
                phase=self.phase,
                files_done=done,
                files_total=max(done, self.expected_files),
                bytes_done=c.bytes_read,
                bytes_total=max(c.bytes_read, self.expected_bytes),
                current=current,
            )
        self.events.progress(report)

    def set_phase(self, phase: str) -> None:
        self.phase = phase
        self.progress(None, force=True)

    # -- staging ----------------------------------------------------------------------------

    def stage_new(self, key: bytes, st: os.stat_result, chunks: tuple[bytes, ...]) -> None:
        """A file this run read: its new files-cache entry and its chunks."""
        self.rows.append(
            (
                key,
                signed_inode(st.st_ino),
                st.st_size,
                st.st_mtime_ns,
                st.st_ctime_ns,
                chunks_to_blob(chunks),
                self.scan_start_ns,
            )
        )
        self.refs.extend(chunks)
        self.maybe_flush()

    def keep_record(self, dir_key: bytes) -> None:
        """A folder reused whole from its record, tree and all."""
        self.dirs_kept.append(dir_key)
        self.records_reused.append(dir_key)

    def stage_refs(self, refs: Iterable[bytes]) -> None:
        self.refs.extend(refs)
        self.maybe_flush()

    def stage_version(self, snap_path: str, size: int, mtime_ns: int) -> None:
        self.versions.append(StagedVersion(snap_path, size, mtime_ns, "f"))
        self.maybe_flush()

    def maybe_flush(self) -> None:
        if len(self.rows) + len(self.kept) + len(self.refs) + len(self.versions) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows or self.kept or self.refs or self.versions or self.dirs or self.dirs_kept:
            self.index.stage_rows(
                self.rows, self.kept, self.refs, self.versions, self.dirs, self.dirs_kept
            )
            self.rows, self.kept, self.refs, self.versions = [], [], [], []
            self.dirs, self.dirs_kept = [], []
