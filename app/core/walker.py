"""Walks the protected folders and builds their trees bottom-up, reading only what changed.

Folders are scanned depth first with lstat only; a file whose files-cache entry still matches
reuses its chunk list, any other file is handed to the read pool. Finished folders wait in a queue
in post-order (children before parents) and become trees as soon as their files are read, so
scanning, reading and uploading overlap while the number of pending items stays bounded. An
unchanged folder encodes to the same tree id, which is already stored, so it costs nothing.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from app.core.backup_files import FileFailed, FileRead, FileReader
from app.core.backupstate import RunState
from app.core.carryover import Previous
from app.core.filescache import CacheEntry, entry_for
from app.core.keys import path_key
from app.core.packer import Packer
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer
from app.core.tree import Node, NodeType, Tree, tree_id

ExcludeFn = Callable[[Path, os.stat_result], str | None]
MAX_PENDING_DIRS = 2000


@dataclass
class _FileJob:
    name: str
    path: str
    snap_path: str
    key: bytes
    cached: CacheEntry | None
    st: os.stat_result
    future: Future[FileRead | FileFailed]


@dataclass
class _Dir:
    name: str
    path: str
    snap_path: str
    st: os.stat_result
    nodes: list[Node] = field(default_factory=list)
    jobs: list[_FileJob] = field(default_factory=list)
    children: list[_Dir] = field(default_factory=list)
    subdirs: list[tuple[str, str, str, os.stat_result]] = field(default_factory=list)
    node: Node | None = None  # set once finished (or carried over from the previous snapshot)


def file_node(name: str, st: os.stat_result, chunks: tuple[bytes, ...]) -> Node:
    return Node(name, NodeType.FILE, stat.S_IMODE(st.st_mode), st.st_mtime_ns, st.st_size, chunks)


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
        previous: Previous,
        exclude: ExcludeFn | None,
        cancel: CancelToken,
        max_inflight: int,
    ) -> None:
        self.s = state
        self._sealer = sealer
        self._packer = packer
        self._reader = reader
        self._pool = file_pool
        self._previous = previous
        self._exclude = exclude
        self._cancel = cancel
        self._slots = threading.Semaphore(max_inflight)
        self._fifo: deque[_Dir] = deque()
        self._cache_in_use = state.index.cache_size() > 0

    def scan(self, folders: Sequence[tuple[str, str]]) -> bytes:
        """Back up (label, absolute path) folders; returns the root tree id."""
        roots: list[Node] = []
        dirs: list[_Dir] = []
        for label, path in folders:
            try:
                st = os.stat(path)  # the chosen folder itself may be a link the person chose
                if not stat.S_ISDIR(st.st_mode):
                    raise NotADirectoryError(0, "not a folder")
            except OSError as exc:
                kept = self._keep(path, label, label, f"cannot open the folder: {_why(exc)}")
                if kept is not None:
                    roots.append(kept)
                continue
            top = self._open_dir(path, label, label, st)
            if top is not None:
                self._walk(top)
                dirs.append(top)
        self._drain(final=True)
        roots.extend(d.node for d in dirs if d.node is not None)
        return self._store_tree(roots)

    # -- scanning --------------------------------------------------------------------------------

    def _walk(self, top: _Dir) -> None:
        stack = [(top, iter(list(top.subdirs)))]
        while stack:
            current, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                self._fifo.append(current)
                self._drain()
                continue
            name, path, snap_path, st = nxt
            child = self._open_dir(path, name, snap_path, st)
            if child is not None:
                current.children.append(child)
                stack.append((child, iter(list(child.subdirs))))

    def _open_dir(self, path: str, name: str, snap_path: str, st: os.stat_result) -> _Dir | None:
        self._check()
        d = _Dir(name, path, snap_path, st)
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:
            return None  # deleted while we looked: it is gone from this snapshot
        except OSError as exc:
            d.node = self._keep(path, snap_path, name, f"cannot list the folder: {_why(exc)}")
            return d if d.node is not None else None
        self.s.progress(path)
        files: list[tuple[str, str, str, os.stat_result]] = []
        for entry in entries:
            self._entry(d, entry, files)
        self._files(d, files)
        return d

    def _entry(
        self, d: _Dir, entry: os.DirEntry[str], files: list[tuple[str, str, str, os.stat_result]]
    ) -> None:
        name, path = entry.name, entry.path
        snap_path = f"{d.snap_path}/{name}"
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            return
        except OSError as exc:
            self.s.problem(path, f"cannot examine it: {_why(exc)}")
            return
        if self._exclude is not None:
            reason = self._exclude(Path(path), st)
            if reason:
                self.s.excluded.append((path, reason))
                return
        if stat.S_ISDIR(st.st_mode):
            d.subdirs.append((name, path, snap_path, st))
        elif stat.S_ISREG(st.st_mode):
            files.append((name, path, snap_path, st))
        elif stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(path)
            except OSError as exc:
                self.s.problem(path, f"cannot read the link: {_why(exc)}")
                return
            mode, mtime = stat.S_IMODE(st.st_mode), st.st_mtime_ns
            d.nodes.append(Node(name, NodeType.SYMLINK, mode, mtime, st.st_size, target=target))
            self.s.add(symlinks=1)
        else:
            self.s.excluded.append((path, "not a regular file, folder or link"))

    def _files(self, d: _Dir, files: list[tuple[str, str, str, os.stat_result]]) -> None:
        """Reuse the files cache where it still matches (looked up per folder, not per file);
        hand every other file to the read pool."""
        keys = [path_key(self.s.subkeys, path) for _, path, _, _ in files]
        cache = self.s.index.cache_lookup_many(keys) if self._cache_in_use else {}
        stats = {key: f[3] for key, f in zip(keys, files, strict=True)}
        matching = {k: e for k, e in cache.items() if e.matches(stats[k])}
        known = self._packer.known_many({c for e in matching.values() for c in e.chunks})
        for key, (name, path, snap_path, st) in zip(keys, files, strict=True):
            cached = cache.get(key)
            hit = matching.get(key)
            if hit is not None and all(c in known for c in hit.chunks):
                d.nodes.append(file_node(name, st, hit.chunks))
                self.s.stage_file(hit, hit.chunks)
                self.s.add(files_unmodified=1, size=st.st_size)
            else:
                self._read(d, name, path, snap_path, st, key, cached)

    def _read(
        self,
        d: _Dir,
        name: str,
        path: str,
        snap_path: str,
        st: os.stat_result,
        key: bytes,
        cached: CacheEntry | None,
    ) -> None:
        while not self._slots.acquire(timeout=0.1):
            self._check()
            self.s.progress(path)
        future = self._pool.submit(self._reader.read, path)
        future.add_done_callback(lambda _: self._slots.release())
        d.jobs.append(_FileJob(name, path, snap_path, key, cached, st, future))

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
        if d.node is not None:  # carried over
            return
        for job in d.jobs:
            node = self._file_result(job)
            if node is not None:
                d.nodes.append(node)
        d.nodes.extend(child.node for child in d.children if child.node is not None)
        subtree = self._store_tree(d.nodes)
        d.node = Node(
            d.name, NodeType.DIR, stat.S_IMODE(d.st.st_mode), d.st.st_mtime_ns, 0, subtree=subtree
        )
        d.nodes, d.jobs, d.children = [], [], []
        self.s.add(dirs=1)

    def _file_result(self, job: _FileJob) -> Node | None:
        outcome = job.future.result()  # Cancelled and fatal errors propagate from here
        if isinstance(outcome, FileRead):
            st, chunks = outcome.stat, outcome.chunks
            self.s.stage_file(entry_for(job.key, st, chunks, self.s.scan_start_ns), chunks)
            if job.cached is None:
                self.s.add(files_new=1, size=st.st_size)
            elif job.cached.chunks == chunks:
                self.s.add(files_unmodified=1, size=st.st_size)
            else:
                self.s.add(files_changed=1, size=st.st_size)
            if job.cached is None or job.cached.chunks != chunks:
                self.s.stage_version(job.snap_path, st.st_size, st.st_mtime_ns)
            return file_node(job.name, st, chunks)
        cached = job.cached
        if cached is not None and self._usable(cached.chunks):
            self.s.problem(job.path, f"{outcome.reason}; kept the previous version")
            self.s.stage_file(cached, cached.chunks)
            self.s.add(size=cached.size)
            mode = stat.S_IMODE(job.st.st_mode)
            return Node(job.name, NodeType.FILE, mode, cached.mtime_ns, cached.size, cached.chunks)
        kept = self._keep(job.path, job.snap_path, job.name, outcome.reason)
        return kept if kept is not None and kept.type is NodeType.FILE else None

    def _keep(self, path: str, snap_path: str, name: str, reason: str) -> Node | None:
        """Report a problem and keep the previous snapshot's version of `snap_path`, if any."""
        kept = self._previous.keep(snap_path, name)
        if kept is None:
            self.s.problem(path, f"{reason}; not backed up")
            return None
        self.s.problem(path, f"{reason}; kept the previous version")
        self.s.stage_refs(kept[1])
        return kept[0]

    def _store_tree(self, nodes: list[Node]) -> bytes:
        encoded = Tree(tuple(nodes)).encode()
        tid = tree_id(self.s.subkeys, encoded)
        if self._packer.claim(tid):
            try:
                sealed = self._sealer.seal(BlobType.TREE, tid, encoded)
                self._packer.add(BlobType.TREE, tid, sealed, len(encoded))
            except BaseException:
                self._packer.release(tid)
                raise
        self.s.stage_refs((tid,))
        return tid

    def _usable(self, chunks: tuple[bytes, ...]) -> bool:
        return all(self._packer.known(c) for c in chunks)

    def _check(self) -> None:
        if self._cancel.cancelled:
            raise Cancelled()
        self._packer.check()


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
