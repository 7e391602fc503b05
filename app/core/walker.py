"""Walks the protected folders and builds their trees bottom-up, reading only what changed.

Folders are listed ahead of the walk on a few threads (lstat only: by the native module's
lister of whole trees in a full scan, else a little ahead on Python threads), judged by
`dirlist.Lister` (the folder cache, the files cache's verdict per file) and walked depth first
on the calling thread: a file
whose files-cache entry still matches reuses its chunk list, any other file is handed to the read
pool (a folder's small files in batches: one task for many files). Finished folders wait in a
queue in post-order (children before parents) and become trees as soon as their files are read,
so listing, reading and uploading overlap while the number of pending items stays bounded. A
folder the folder cache reuses whole, with the same rows below it, keeps its recorded tree id
and is not encoded at all (`dircache`); any other unchanged folder encodes to the same tree id,
which is already stored. Trees are encoded from plain rows (`treerows`).

With a changed-folder hint (`incremental.Hint`) only the folders the hint marks are listed; the
other subfolders of a listed folder keep the previous snapshot's subtree.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any, cast

from app.core import dircache
from app.core.backup_files import SMALL, FileFailed, FileRead, FileReader
from app.core.backupstate import RunState
from app.core.carryover import Previous
from app.core.dircache import Summary
from app.core.dirlist import ExcludeFn, FileItem, Lister, Listing, SubDir, why
from app.core.early import EarlyReads
from app.core.errors import KeepsakeError
from app.core.filescache import RACY_NS, chunks_from_blob
from app.core.incremental import DirHint, Hint
from app.core.keys import path_key, tree_hash
from app.core.packer import Packer
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer
from app.core.tree import NodeType
from app.core.treerows import Row, dir_row, encode_rows, file_row, node_row

__all__ = ["ExcludeFn", "Walker"]

MAX_PENDING_DIRS = 2000
LIST_AHEAD = 64  # folders listed ahead of the walk, at most
# Small files of a folder are read in batches: one task, and one native call, for many files.
BATCH_FILES = 64
BATCH_BYTES = 2 * 1024 * 1024


@dataclass(slots=True)
class _FileJob:
    item: FileItem
    snap_path: str
    future: Future[FileRead | FileFailed] | Future[list[FileRead | FileFailed]]
    index: int = -1  # its place in a batch's results; -1: the future is this file's alone

    def outcome(self) -> FileRead | FileFailed:
        result = self.future.result()  # Cancelled and fatal errors propagate from here
        if self.index < 0:
            return cast("FileRead | FileFailed", result)
        return cast("list[FileRead | FileFailed]", result)[self.index]


@dataclass(slots=True)
class _Dir:
    name: str
    raw: bytes
    path: str
    snap_path: str
    st: os.stat_result
    rows: list[Row] = field(default_factory=list)
    jobs: list[_FileJob] = field(default_factory=list)
    children: list[_Dir] = field(default_factory=list)
    subdirs: list[SubDir] = field(default_factory=list)
    row: Row | None = None  # set once finished (or carried over from the previous snapshot)
    memo: _Memo | None = None  # what the folder cache will record about it, if anything
    recalled: Summary | None = None  # its folder-cache record, when reused whole
    # Incremental runs: the hints of subfolders to list again, by path, and the rows of the
    # subfolders kept from the previous snapshot.
    hints: dict[str, DirHint] = field(default_factory=dict)
    reused: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class _Memo:
    """A folder's next folder-cache record, filled in as its files are resolved."""

    dir_key: bytes
    fingerprint: bytes
    kept: list[bytes]
    refs: list[bytes]
    files: int
    size: int
    ok: bool = True


class Walker:
    """One run's scan of the protected folders; produces the root tree id."""

    def __init__(
        self,
        state: RunState,
        *,
        sealer: Sealer,
        packer: Packer,
        reader: FileReader,
        file_pool: Executor,
        list_pool: Executor,
        previous: Previous,
        exclude: ExcludeFn | None,
        cancel: CancelToken,
        max_inflight: int,
        hint: Hint | None = None,
        early: EarlyReads | None = None,
    ) -> None:
        self.s = state
        self._hint = hint
        self._early = early
        self.listed: list[str] = []  # folders listed (kept only for an incremental run)
        self._sealer = sealer
        self._packer = packer
        self._reader = reader
        self._pool = file_pool
        self._list_pool = list_pool
        self._previous = previous
        self._cancel = cancel
        self._slots = threading.Semaphore(max_inflight)
        self._fifo: deque[_Dir] = deque()
        self._ahead: dict[str, Future[Listing]] = {}
        self._native_ahead: Any | None = None
        self._lister = Lister(
            state.subkeys,
            state.index,
            packer.known_many,
            packer.usable_pack,
            packer.live_set_usable,
            exclude=exclude,
            problem=state.problem,
            excluded=state.exclude,
            cancel=cancel,
        )

    def scan(self, folders: Sequence[tuple[str, str]]) -> bytes:
        """Back up (label, absolute path) folders; returns the root tree id. A full scan takes
        its listings from the native lister ahead when there is one; an incremental one lists
        only the folders its hint names, as it reaches them."""
        if self._hint is None:
            self._native_ahead = self._lister.ahead([path for _, path in folders])
        try:
            return self._scan(folders)
        finally:
            if self._native_ahead is not None:
                self._native_ahead.close()
                self._native_ahead = None

    def _scan(self, folders: Sequence[tuple[str, str]]) -> bytes:
        roots: list[Row] = []
        dirs: list[_Dir] = []
        for label, path in folders:
            raw = label.encode("utf-8", "surrogateescape")
            try:
                st = os.stat(path)  # the chosen folder itself may be a link the person chose
                if not stat.S_ISDIR(st.st_mode):
                    raise NotADirectoryError(0, "not a folder")
            except OSError as exc:
                kept = self._keep_top(path, label, f"cannot open the folder: {why(exc)}")
                if kept is not None:
                    roots.append(kept)
                continue
            sub = SubDir(label, raw, path, st)
            hint = None if self._hint is None else self._hint.top(sub)
            if isinstance(hint, tuple):  # reused whole
                roots.append(hint)
                continue
            top = self._open_dir(sub, label, hint)
            if top is not None:
                self._walk(top)
                dirs.append(top)
        self._drain(final=True)
        roots.extend(d.row for d in dirs if d.row is not None)
        return self._store_tree(roots)

    # -- scanning --------------------------------------------------------------------------------

    def _walk(self, top: _Dir) -> None:
        stack = [(top, iter(top.subdirs))]
        while stack:
            current, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                current.subdirs = []
                self._fifo.append(current)
                self._drain()
                continue
            hint = current.hints.get(nxt.path)
            child = self._open_dir(nxt, f"{current.snap_path}/{nxt.name}", hint)
            if child is not None:
                current.children.append(child)
                stack.append((child, iter(child.subdirs)))

    def _listing(self, path: str) -> Listing:
        if self._native_ahead is not None:
            return self._lister.take(self._native_ahead, path)
        future = self._ahead.pop(path, None)
        if future is None:
            future = self._list_pool.submit(self._lister.list_dir, path)
        return future.result()  # Cancelled and unexpected errors propagate from here

    def _list_ahead(self, subdirs: list[SubDir]) -> None:
        if self._native_ahead is not None:
            return
        for sub in subdirs:
            if len(self._ahead) >= LIST_AHEAD:
                return
            if sub.path not in self._ahead:
                self._ahead[sub.path] = self._list_pool.submit(self._lister.list_dir, sub.path)

    def _open_dir(self, sub: SubDir, snap_path: str, hint: DirHint | None = None) -> _Dir | None:
        self._check()
        if self._hint is not None:
            self.listed.append(sub.path)
        listing = self._listing(sub.path)
        if listing.gone:
            return None
        d = _Dir(sub.name, sub.raw, sub.path, snap_path, sub.st)
        if listing.error is not None:
            reason = f"cannot list the folder: {why(listing.error)}"
            d.row = self._keep(sub.path, snap_path, sub.name, reason)
            return d if d.row is not None else None
        self.s.progress(sub.path)
        d.rows = listing.rows
        d.subdirs = listing.dirs
        if hint is not None and self._hint is not None:
            d.subdirs, d.hints, d.reused = self._hint.split(hint, listing.dirs)
        self._list_ahead(d.subdirs)
        state = self.s
        if listing.links:
            state.add(symlinks=listing.links)
        if listing.reused:
            state.kept.extend(listing.kept)
            state.refs.extend(listing.refs)
            state.add(files_unmodified=listing.reused, size=listing.reused_bytes)
            state.maybe_flush()
        if listing.record is not None:
            d.recalled = cast(Summary, listing.record)
        elif listing.dir_key:
            d.memo = _Memo(
                listing.dir_key,
                listing.fingerprint,
                listing.kept,
                listing.refs,
                listing.reused,
                listing.reused_bytes,
            )
        batch: list[FileItem] = []
        batch_bytes = 0
        for item in listing.files:
            if item.st.st_size > SMALL:
                self._read(d, item)
                continue
            batch.append(item)
            batch_bytes += item.st.st_size
            if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
                self._read_batch(d, batch)
                batch, batch_bytes = [], 0
        if batch:
            self._read_batch(d, batch)
        return d

    def _read(self, d: _Dir, item: FileItem) -> None:
        if self._early is not None and item.cached is None:
            early = self._early.take(item.path, item.st.st_size)
            if early is not None:  # read (or being read) by the lane: bounded by the lane
                d.jobs.append(_FileJob(item, f"{d.snap_path}/{item.name}", early))
                return
        self._take_slot(item.path)
        future = self._pool.submit(self._reader.read, item.path, changed=item.cached is not None)
        future.add_done_callback(lambda _: self._slots.release())
        d.jobs.append(_FileJob(item, f"{d.snap_path}/{item.name}", future))

    def _read_batch(self, d: _Dir, items: list[FileItem]) -> None:
        self._take_slot(items[0].path)
        future = self._pool.submit(self._reader.read_small, [item.path for item in items])
        future.add_done_callback(lambda _: self._slots.release())
        d.jobs.extend(
            _FileJob(item, f"{d.snap_path}/{item.name}", future, i) for i, item in enumerate(items)
        )

    def _take_slot(self, path: str) -> None:
        while not self._slots.acquire(timeout=0.1):
            self._check()
            self.s.progress(path)

    # -- finishing folders ------------------------------------------------------------------------

    def _drain(self, *, final: bool = False) -> None:
        """Turn finished folders into trees, oldest first (children always precede parents)."""
        while self._fifo:
            head = self._fifo[0]
            ready = all(job.future.done() for job in head.jobs)
            if not ready and not final and len(self._fifo) < MAX_PENDING_DIRS:
                return
            self._fifo.popleft()
            self._finish(head)

    def _finish(self, d: _Dir) -> None:
        if d.row is not None:  # carried over
            return
        below = [child.row for child in d.children if child.row is not None]
        below.extend(d.reused)
        if d.recalled is not None:
            subtree = self._recalled_tree(d.recalled, below)
        else:
            for job in d.jobs:
                row = self._file_result(job, d.memo)
                if row is not None:
                    d.rows.append(row)
            subtree = self._store_tree(d.rows + below)
            if d.memo is not None and d.memo.ok:
                m = d.memo
                digest = dircache.below_digest(self.s.subkeys, below)
                self.s.dirs.append(
                    dircache.record(
                        m.dir_key,
                        m.fingerprint,
                        d.rows,
                        m.kept,
                        m.refs,
                        m.files,
                        m.size,
                        subtree,
                        digest,
                    )
                )
        d.row = dir_row(d.raw, d.st.st_mode, d.st.st_mtime_ns, subtree)
        d.rows, d.jobs, d.children, d.reused, d.hints = [], [], [], [], {}
        self.s.add(dirs=1)

    def _recalled_tree(self, summary: Summary, below: list[Row]) -> bytes:
        """The tree of a folder reused from its record: the recorded one when the rows below it
        are the same (the usual case, which costs no work here: what the record stands for is
        staged at the commit, if at all); else a new tree, and the record is kept with it."""
        key, tree, recorded_below = summary[0], summary[4], summary[5]
        digest = dircache.below_digest(self.s.subkeys, below)
        if digest == recorded_below:
            self.s.keep_record(key)
            return tree
        whole = self.s.index.dir_record(key)
        if whole is None:  # records change only when a backup commits
            raise KeepsakeError("internal error: a folder record vanished during the backup")
        _, fp, rows, kept, refs, files, size, _, _ = whole
        self.s.kept.extend(dircache.split_ids(kept))
        self.s.stage_refs(dircache.split_ids(refs))
        subtree = self._store_tree(dircache.record_rows(whole) + below)
        self.s.dirs.append((key, fp, rows, kept, refs, files, size, subtree, digest))
        return subtree

    def _file_result(self, job: _FileJob, memo: _Memo | None) -> Row | None:
        outcome = job.outcome()
        item = job.item
        cached = item.cached
        old_chunks = None if cached is None else cached[5]
        if memo is not None and not isinstance(outcome, FileRead):
            memo.ok = False
        if isinstance(outcome, FileRead):
            st, chunks = outcome.stat, outcome.chunks
            self.s.stage_new(item.key, st, chunks)
            if memo is not None:
                self._remember(memo, item, st, chunks)
            if old_chunks is None:
                self.s.add(files_new=1, size=st.st_size)
            elif old_chunks == b"".join(chunks):
                self.s.add(files_unmodified=1, size=st.st_size)
            else:
                self.s.add(files_changed=1, size=st.st_size)
            if old_chunks is None or old_chunks != b"".join(chunks):
                self.s.stage_version(job.snap_path, st.st_size, st.st_mtime_ns)
            return file_row(item.raw, st.st_mode, st.st_mtime_ns, st.st_size, chunks)
        if cached is not None:
            previous = self._previous_chunks(cached[5])
            if previous is not None:
                self.s.problem(item.path, f"{outcome.reason}; kept the previous version")
                self.s.kept.append(item.key)
                self.s.stage_refs(previous)
                size = int(cached[2])
                self.s.add(size=size)
                return file_row(item.raw, item.st.st_mode, int(cached[3]), size, previous)
        kept = self._keep(item.path, job.snap_path, item.name, outcome.reason, want_file=True)
        return kept

    def _remember(
        self, memo: _Memo, item: FileItem, st: os.stat_result, chunks: tuple[bytes, ...]
    ) -> None:
        """Add a file just read to its folder's next record, if the record can vouch for it:
        the file must be old enough (as for the files cache) and exactly as it was listed, since
        the record's fingerprint was taken from the listing."""
        listed, limit = item.st, self.s.scan_start_ns - RACY_NS
        if (
            st.st_mtime_ns < limit
            and st.st_ctime_ns < limit
            and (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            == (listed.st_ino, listed.st_size, listed.st_mtime_ns, listed.st_ctime_ns)
        ):
            memo.kept.append(item.key)
            memo.refs.extend(chunks)
            memo.files += 1
            memo.size += st.st_size
        else:
            memo.ok = False

    def _previous_chunks(self, blob: bytes) -> tuple[bytes, ...] | None:
        """The chunk ids of a cache row, if they are all still safely stored."""
        chunks = chunks_from_blob(blob)
        known = self._packer.known_many(set(chunks)) if chunks else set()
        return chunks if all(c in known for c in chunks) else None

    def _keep_top(self, path: str, label: str, reason: str) -> Row | None:
        """A chosen folder that cannot be opened: keep its previous version (an incremental run
        takes it straight from the previous root, without checking every blob below)."""
        if self._hint is None:
            return self._keep(path, label, label, reason)
        kept = self._hint.carry(label)
        outcome = "kept the previous version" if kept is not None else "not backed up"
        self.s.problem(path, f"{reason}; {outcome}")
        return kept

    def listed_keys(self) -> list[bytes]:
        """Folder-cache keys of the folders this (incremental) run listed."""
        return [path_key(self.s.subkeys, path) for path in self.listed]

    def _keep(
        self, path: str, snap_path: str, name: str, reason: str, *, want_file: bool = False
    ) -> Row | None:
        """Report a problem and keep the previous snapshot's version of `snap_path`, if any."""
        kept = self._previous.keep(snap_path, name)
        if kept is None or (want_file and kept[0].type is not NodeType.FILE):
            self.s.problem(path, f"{reason}; not backed up")
            return None
        self.s.problem(path, f"{reason}; kept the previous version")
        self.s.stage_refs(kept[1])
        return node_row(kept[0])

    def _store_tree(self, rows: list[Row]) -> bytes:
        encoded = encode_rows(rows)
        tid = tree_hash(self.s.subkeys, encoded)
        if self._packer.claim(tid):
            try:
                sealed = self._sealer.seal(BlobType.TREE, tid, encoded)
                self._packer.add(BlobType.TREE, tid, sealed, len(encoded))
            except BaseException:
                self._packer.release(tid)
                raise
        self.s.stage_refs((tid,))
        return tid

    def _check(self) -> None:
        if self._cancel.cancelled:
            raise Cancelled()
        self._packer.check()
