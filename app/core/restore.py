"""Restores files and folders from a snapshot, verified, without ever writing outside the target.

Where things go: with a `target`, each selected item is put directly under it like a copy
(`label/a/b` -> `target/b`; everything -> `target/<label>/...`). Without one, items go back to
where they came from (`record.folders[label]/a/b`). Every chunk is authenticated and checked
against its id before a byte of its file is written, files are written to a temp name, made
durable and renamed into place, and a file that cannot be restored (missing or tampered data, a
hostile name, a symlink in the way) is reported while the others are restored.

How it goes fast: the walk (this thread) loads folder trees many at a time (`restore_trees`),
creates folders and hands files to `restore_write`, whose writer threads write batches of small
files while the next batches download (grouped per pack, coalesced ranges: `restore_fetch`), and
make them durable with one file-system flush per many files before renaming them into place
(`restore_flush`); large files stream on their own and are fsynced alone.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from app.core import heap
from app.core.errors import IntegrityError, KeepsakeError, NotFound, UnsafePath
from app.core.progress import Cancelled, CancelToken, Events, NoEvents, Progress
from app.core.repository import Repository, SnapshotInfo
from app.core.restore_dirs import Conflict, DirHandle, keep_both_name
from app.core.restore_trees import TreeLoader
from app.core.restore_write import FileWriter, Limits
from app.core.safepath import SafeDir, check_name, split_path
from app.core.tree import Node, NodeType

__all__ = ["Conflict", "RestoreResult", "keep_both_name", "restore"]

_Entry = tuple[DirHandle, str, Node, str]  # folder, name, node, snapshot path

BATCH_BYTES = 8 * 1024 * 1024  # small files are fetched and written together up to this much
BATCH_FILES = 256
BATCH_DIRS = 32  # every folder with a file in flight keeps a dir fd open
IN_FLIGHT = 3  # batches and large files downloading or being written at once (bounds memory)
WRITERS = 2
STREAM_WINDOW = 64  # chunks of a large file fetched at once, at most ...
# ... and about this many bytes. 4 MiB windows made a full restore peak ~15 MiB lower but cost
# it 5-10 % in the benchmark (twice the requests; bench/README.md, ninth session).
STREAM_BYTES = 8 * 1024 * 1024
# While a large file's window is written, its next window downloads; when a slot is free (no
# batch or other large file wants it) it borrows the slot for this many more. A lone large file
# restores as fast with one more as with two, and during a full restore the slots, which bound
# memory, are no longer exceeded by windows ahead (bench/README.md, eleventh session).
STREAM_SPARE = 1
TRIM_AFTER = 32 * 1024 * 1024  # restored bytes between handing free memory back (see heap.py)


@dataclass
class RestoreResult:
    files_restored: int = 0
    dirs_restored: int = 0
    bytes_written: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (snapshot path, why left)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (snapshot path, reason)


def restore(
    repo: Repository,
    snapshot: SnapshotInfo,
    paths: Sequence[str],
    target: Path | None,
    *,
    conflict: Conflict = Conflict.OVERWRITE,
    events: Events | None = None,
    cancel: CancelToken | None = None,
    threads: int = 4,
) -> RestoreResult:
    """Restore `paths` (snapshot paths; empty = everything) from `snapshot`. Problems with single
    items end up in `failures`; raises Cancelled if cancelled (what was restored stays)."""
    job = _Restore(repo, snapshot, conflict, events or NoEvents(), cancel, threads)
    try:
        job.run(paths, target)
    finally:
        job.close()
    return job.result


class _Restore:
    def __init__(
        self,
        repo: Repository,
        snapshot: SnapshotInfo,
        conflict: Conflict,
        events: Events,
        cancel: CancelToken | None,
        threads: int,
    ) -> None:
        self.repo, self.snapshot, self.conflict, self.events = repo, snapshot, conflict, events
        self.cancel = cancel or CancelToken()
        self.result = RestoreResult()
        self._lock = threading.Lock()
        self._fetch_pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="keepsake-fetch")
        self._trees = TreeLoader(repo, self._fetch_pool)
        limits = Limits(
            BATCH_BYTES,
            BATCH_FILES,
            BATCH_DIRS,
            IN_FLIGHT,
            WRITERS,
            STREAM_WINDOW,
            STREAM_BYTES,
            STREAM_SPARE,
        )
        self._writer = FileWriter(repo, self._fetch_pool, self, self.cancel, limits)
        self._stamp = repo.clock.now().astimezone().strftime("%Y-%m-%d %H%M")
        self._total_files = 0
        self._trimmer = heap.Trimmer(TRIM_AFTER)
        self._last_progress = -1.0

    def close(self) -> None:
        self._writer.close()
        self._fetch_pool.shutdown(wait=True, cancel_futures=True)

    # -- selections --------------------------------------------------------------------------

    def run(self, paths: Sequence[str], target: Path | None) -> None:
        for parts, node in self._selections(paths):
            snap_path = "/".join(parts)
            try:
                if target is not None:
                    root = DirHandle(SafeDir.open_root(target), None, None, None)
                    self._walk(root, parts[-1], node, snap_path)
                else:
                    self._to_origin(parts, node, snap_path)
            except (KeepsakeError, OSError) as exc:
                self._fail(snap_path, _reason(exc))
        self._writer.finish()
        self._check_cancel()  # files dropped by a late cancel must not look restored

    def _selections(self, paths: Sequence[str]) -> list[tuple[list[str], Node]]:
        """(path parts, node) per selected item; everything = each top-level folder."""
        chosen: list[tuple[list[str], Node]] = []
        if all(not p.strip("/") for p in paths):
            self._total_files = int(self.snapshot.record.counts.get("files", 0))
            for node in self.repo.ls(self.snapshot, ""):
                try:
                    chosen.append(([check_name(node.name)], node))
                except UnsafePath as exc:
                    self._fail(node.name, str(exc))
            return chosen
        for path in paths:
            try:
                parts = split_path(path)
                if parts:
                    chosen.append((parts, self.repo.find(self.snapshot, "/".join(parts))))
            except KeepsakeError as exc:
                self._fail(path, str(exc))
        return chosen

    def _to_origin(self, parts: list[str], node: Node, snap_path: str) -> None:
        folder = self.snapshot.record.folders.get(parts[0])
        if folder is None or not os.path.isabs(folder):
            raise NotFound(f"the snapshot does not say where {parts[0]!r} came from")
        handle = DirHandle(SafeDir.open_root(Path(folder)), None, None, None)
        if len(parts) == 1:  # the whole protected folder: its contents go back into it
            try:
                self._walk_children(handle, node, snap_path)
            finally:
                handle.release()
            return
        for part in parts[1:-1]:
            try:
                sub = handle.safe.subdir(part)
            except BaseException:
                handle.release()
                raise
            nxt = DirHandle(sub, handle, None, None)
            handle.release()
            handle = nxt
        self._walk(handle, parts[-1], node, snap_path)

    # -- walking trees ----------------------------------------------------------------------

    def _walk(self, parent: DirHandle, name: str, node: Node, snap_path: str) -> None:
        """Restore `node` as `name` in `parent`, then release `parent` (iterative, any depth)."""
        stack: list[_Entry | DirHandle] = [
            parent,
            (parent, name, node, snap_path),
        ]
        try:
            while stack:
                item = stack.pop()
                if isinstance(item, DirHandle):
                    item.release()
                    continue
                self._check_cancel()
                self._visit(stack, *item)
        except BaseException:  # cancelled: let go of the folders still open on the way down
            for item in reversed(stack):
                if isinstance(item, DirHandle):
                    item.release()
            raise

    def _visit(
        self,
        stack: list[_Entry | DirHandle],
        handle: DirHandle,
        name: str,
        node: Node,
        snap_path: str,
    ) -> None:
        try:
            check_name(name)
            if node.type is NodeType.DIR:
                sub = DirHandle(handle.safe.subdir(name), handle, name, node)
                self._count(dirs=1)
                stack.append(sub)
                stack.extend(
                    (sub, c.name, c, f"{snap_path}/{c.name}")
                    for c in reversed(self._children(node, snap_path))
                )
            elif node.type is NodeType.SYMLINK:
                self._symlink(handle, name, node, snap_path)
            else:
                self._writer.add(handle, name, node, snap_path)
        except (KeepsakeError, OSError) as exc:
            self._fail(snap_path, _reason(exc))

    def _walk_children(self, handle: DirHandle, node: Node, snap_path: str) -> None:
        for child in self._children(node, snap_path):
            handle.hold()
            self._walk(handle, child.name, child, f"{snap_path}/{child.name}")

    def _children(self, node: Node, snap_path: str) -> list[Node]:
        return self._trees.children(node, snap_path)

    def _symlink(self, handle: DirHandle, name: str, node: Node, snap_path: str) -> None:
        dest = self.destination(handle.safe, name, snap_path)
        if dest is not None:
            handle.safe.symlink(dest, node.target or "", mtime_ns=node.mtime_ns)
            self._count(files=1, current=snap_path)

    # -- what the writer reports -------------------------------------------------------------

    def destination(self, safe: SafeDir, name: str, snap_path: str) -> str | None:
        """Where to write `name` under the conflict policy; None to leave the existing one."""
        if safe.created and self.conflict is Conflict.OVERWRITE:
            return name  # a folder this restore made holds only what it put there
        existing = safe.lstat(name)
        if existing is None or self.conflict is Conflict.OVERWRITE:
            if existing is not None and stat.S_ISDIR(existing.st_mode):
                raise UnsafePath(snap_path, "a folder with that name is in the way")
            return name
        if self.conflict is Conflict.SKIP:
            with self._lock:
                self.result.skipped.append((snap_path, "it already exists; left as it is"))
            return None
        n = 1
        while safe.exists(candidate := keep_both_name(name, self._stamp, n)):
            n += 1
        return candidate

    def failed(self, snap_path: str, exc: BaseException) -> None:
        self._fail(snap_path, _reason(exc, snap_path))

    def restored(self, snap_path: str, size: int) -> None:
        self._count(files=1, size=size, current=snap_path)

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, snap_path: str, reason: str) -> None:
        with self._lock:
            self.result.failures.append((snap_path, reason))
        self.events.problem(snap_path, reason)

    def _count(
        self, *, files: int = 0, dirs: int = 0, size: int = 0, current: str | None = None
    ) -> None:
        if size:
            self._trimmer.finished_with(size)
        with self._lock:
            r = self.result
            r.files_restored += files
            r.dirs_restored += dirs
            r.bytes_written += size
            now = self.repo.clock.monotonic()
            if self._last_progress >= 0 and now - self._last_progress < 0.1:
                return
            self._last_progress = now
            report = Progress(
                "restoring",
                r.files_restored,
                max(r.files_restored, self._total_files),
                r.bytes_written,
                r.bytes_written,
                current,
            )
        self.events.progress(report)

    def _check_cancel(self) -> None:
        if self.cancel.cancelled:
            raise Cancelled()


def _reason(exc: BaseException, snap_path: str | None = None) -> str:
    """One sentence naming the file, e.g. 'integrity error in Docs/a.txt: ... (pack 3f..)'."""
    if isinstance(exc, IntegrityError) and snap_path is not None and exc.path != snap_path:
        return str(IntegrityError(snap_path, f"{exc.detail} ({exc.path})"))
    if isinstance(exc, OSError) and not isinstance(exc, KeepsakeError):
        return exc.strerror or str(exc)
    return str(exc)
