"""Puts written small files in place in groups: one file-system flush, then the renames.

Writers hand over batches of files written to temp names (`add`) and go on writing; a flusher
thread waits until enough data is staged to be worth one flush (FLUSH_BYTES, FLUSH_FILES), makes
it durable (`restore_flush.flush_filesystems`), and only then renames the files into place, so a
restored file never appears half-written under its name. Staged batches keep their folders open,
so at most MAX_GROUPS wait (writers block beyond that). Where the file system cannot be flushed
as a whole, files were fsynced as they were written and go in place at once; where a flush
fails, each waiting file is fsynced on its own and fails alone if that fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.core import restore_flush
from app.core.safepath import SafeDir

FLUSH_BYTES = 24 * 1024 * 1024
FLUSH_FILES = 1024
FLUSH_GROUPS = 3  # a group waits at most until this many have gathered ...
MAX_GROUPS = 8  # ... and writers wait while this many do (each holds its folders open)

_Group = tuple[list["Staged"], Callable[[], None]]


@dataclass(frozen=True)
class Staged:
    """A file fully written (and verified) under a temp name in its folder."""

    safe: SafeDir
    temp: str
    dest: str
    written: int
    size: int  # what the snapshot says it should be
    snap_path: str


class Committer:
    """Written batches wait here until one flush is worth it, then go in place (by `place`)."""

    def __init__(
        self, place: Callable[[list[Staged]], None], failed: Callable[[str, BaseException], None]
    ) -> None:
        self.batched = restore_flush.batch_flush_available()  # False: fsynced when written
        self._place = place
        self._failed = failed
        self._cond = threading.Condition()
        self._groups: list[_Group] = []
        self._bytes = 0
        self._files = 0
        self._due = False  # a flush is wanted now (threshold reached, or draining)
        self._busy = False
        self._stop = False
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def add(self, staged: list[Staged], release: Callable[[], None]) -> None:
        """Take a written batch; `release` runs once its files are in place (or failed)."""
        if not self.batched:
            self._commit([(staged, release)])
            return
        with self._cond:
            self._start()
            while len(self._groups) >= MAX_GROUPS and self._error is None:
                self._cond.wait()
            self._groups.append((staged, release))
            self._bytes += sum(one.written for one in staged)
            self._files += len(staged)
            if (
                self._bytes >= FLUSH_BYTES
                or self._files >= FLUSH_FILES
                or len(self._groups) >= FLUSH_GROUPS
            ):
                self._due = True
                self._cond.notify_all()
            self._raise()

    def drain(self) -> None:
        """Flush and place everything added so far (the end of a restore, or a cancel)."""
        with self._cond:
            while (self._groups or self._busy) and self._error is None:
                self._due = True
                self._cond.notify_all()
                self._cond.wait()
            self._raise()

    def close(self) -> None:
        """Drain, then stop the flusher thread."""
        try:
            self.drain()
        finally:
            with self._cond:
                self._stop = True
                self._cond.notify_all()
            if self._thread is not None:
                self._thread.join()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="keepsake-flush", daemon=True)
            self._thread.start()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._due and self._groups) and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                groups, self._groups, self._bytes, self._files = self._groups, [], 0, 0
                self._due, self._busy = False, True
                self._cond.notify_all()  # writers waiting for room
            try:
                self._commit(groups)
            except BaseException as exc:  # a bug: the restore must hear of it
                with self._cond:
                    self._error = exc
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _commit(self, groups: list[_Group]) -> None:
        try:
            self._place(self._durable([one for staged, _ in groups for one in staged]))
        finally:
            for _, release in groups:
                release()

    def _durable(self, staged: list[Staged]) -> list[Staged]:
        if not self.batched or not staged:
            return staged
        fds = {fd for one in staged if (fd := one.safe.fileno()) is not None}
        if restore_flush.flush_filesystems(fds):
            return staged
        durable: list[Staged] = []
        for one in staged:
            try:
                one.safe.sync_temp(one.temp)
            except OSError as exc:
                one.safe.remove_quietly(one.temp)
                self._failed(one.snap_path, exc)
                continue
            durable.append(one)
        return durable
