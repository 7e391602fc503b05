"""Starts reading a first backup's large files while the walk is still busy with small ones.

Why: the walk meets files in folder order, and a typical tree keeps its large files (videos,
disk images, archives) together in a few folders. Storing many small files is bound by the
processor; storing large ones by how fast the service can write packs durably. Met one after
the other, each phase leaves the other resource idle. A lane of its own, started with the
walk, streams the large files (one at a time, as the walk would) while the walk works through
the small ones, so the two overlap. The walk `take`s a file's read from the lane when it gets
there; a file the walk reaches first is read by the walk, and the lane skips it.

Only a first backup (an empty files cache, a full scan) uses the lane: afterwards the files
cache vouches for nearly every large file, and reading one the cache would have vouched for is
exactly the work a backup must not do. The lane finds files with the walk's own rules (the
same exclusions, regular files only, links never followed), and a read it made is used only
as the walk would have used its own: the read's own stat and chunks, checked for consistency
the same way.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from app.core import native
from app.core.backup_files import WHOLE_READ, FileFailed, FileRead
from app.core.dirlist import ExcludeFn
from app.core.progress import Cancelled, CancelToken

ReadFile = Callable[[str], "FileRead | FileFailed"]
_NO_KEY = bytes(32)  # the lane lists with the native module but needs no fingerprint


class EarlyReads:
    """Finds the files larger than `min_size` under `folders` (depth first, names in the walk's
    order) and reads them, one at a time, on a thread of their own, until `close`."""

    def __init__(
        self,
        folders: Sequence[str],
        read: ReadFile,
        *,
        exclude: ExcludeFn | None,
        cancel: CancelToken,
        min_size: int = WHOLE_READ,
    ) -> None:
        self._read = read
        self._exclude = exclude
        self._cancel = cancel
        self._min_size = min_size
        self._lock = threading.Lock()
        self._reads: dict[str, Future[FileRead | FileFailed]] = {}
        self._taken: set[str] = set()  # asked for by the walk before the lane found them
        self._closed = False
        self._lane = ThreadPoolExecutor(1, thread_name_prefix="keepsake-early")
        self._finder = threading.Thread(
            target=self._find, args=(list(folders),), name="keepsake-early-find", daemon=True
        )
        self._finder.start()

    def take(self, path: str, size: int) -> Future[FileRead | FileFailed] | None:
        """The lane's read of `path` (started, queued or done), or None: then the walk reads
        it itself, and the lane will not. `size`: as the walk listed it."""
        if size <= self._min_size:
            return None  # never the lane's (had it grown since the lane saw it: not used)
        with self._lock:
            future = self._reads.pop(path, None)
            if future is None:
                self._taken.add(path)
            return future

    def close(self) -> None:
        """Stop finding, drop queued reads, wait for the one under way."""
        with self._lock:
            self._closed = True
            left = list(self._reads.values())
            self._reads.clear()
        for future in left:
            future.cancel()
        self._finder.join()
        self._lane.shutdown(wait=True, cancel_futures=True)

    # -- finding ---------------------------------------------------------------------------------

    def _find(self, folders: list[str]) -> None:
        try:
            for folder in folders:
                for path in self._large_files(folder):
                    with self._lock:
                        if self._closed or self._cancel.cancelled:
                            return
                        if path in self._taken:
                            continue
                        self._reads[path] = self._lane.submit(self._read_unless_stopped, path)
        except Exception:
            # E.g. an exclusion rule that fails: the walk asks the same rule and reports it;
            # the files not found here it reads itself.
            return

    def _read_unless_stopped(self, path: str) -> FileRead | FileFailed:
        if self._closed or self._cancel.cancelled:
            raise Cancelled()  # queued before the run ended: nobody will take it
        return self._read(path)

    def _large_files(self, top: str) -> Iterator[str]:
        stack = [top]
        while stack:
            if self._closed or self._cancel.cancelled:
                return
            folder = stack.pop()
            files, dirs = self._list(folder)
            for name, st in files:
                path = os.path.join(folder, name)
                if st.st_size > self._min_size and not self._excluded(path, st):
                    yield path
            # Depth first, in name order: popped from the end, so pushed in reverse.
            for name, st in reversed(dirs):
                path = os.path.join(folder, name)
                if not self._excluded(path, st):
                    stack.append(path)

    def _excluded(self, path: str, st: os.stat_result) -> bool:
        return self._exclude is not None and bool(self._exclude(Path(path), st))

    def _list(
        self, folder: str
    ) -> tuple[list[tuple[str, os.stat_result]], list[tuple[str, os.stat_result]]]:
        """Regular files and folders of `folder` (lstat, names sorted as the walk sorts them);
        nothing when it cannot be listed (the walk reports that itself)."""
        module = native.module
        if module is not None:
            got = module.list_folder(folder, _NO_KEY)
            if isinstance(got, int):
                return [], []
            return (
                [
                    (os.fsdecode(raw), native.stat_result(fields))
                    for raw, fields in got.files()
                    if fields[6] > self._min_size  # st_size: only candidates become objects
                ],
                [(os.fsdecode(raw), native.stat_result(fields)) for raw, fields in got.dirs()],
            )
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return [], []
        files, dirs = [], []
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                files.append((entry.name, st))
            elif stat.S_ISDIR(st.st_mode):
                dirs.append((entry.name, st))
        return files, dirs
