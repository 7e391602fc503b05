"""Everything that tells the protector what changed: watcher events, debounced into settled
batches; chosen folders vanishing and coming back; scans standing in for lost events and for
folders that cannot be watched.

The watcher calls in on watchdog's thread (`changed`, `events_lost`, `folder_gone`); the
protector's loop calls `collect` for the runs that are due. `wake` tells the loop to look again;
it must never block (it runs on watchdog's thread, which holds watchdog's observer lock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from watchdog.observers.api import BaseObserver

from app.protect.debounce import DebouncePolicy, Debouncer, Signature
from app.protect.folderwatch import FolderWatch
from app.protect.planner import RunRequest
from app.protect.state import Problem
from app.protect.watcher import Watcher, file_signature


class ChangeIntake:
    def __init__(
        self,
        *,
        watch: bool,
        ignore: Callable[[Path, bool], bool],
        observer_factory: Callable[[], BaseObserver],
        debounce: DebouncePolicy | None,
        monotonic: Callable[[], float],
        wake: Callable[[], None],
    ) -> None:
        self._lock = threading.Lock()
        self._mono = monotonic
        self._wake = wake
        self._debouncer = Debouncer(debounce)
        self._lost: list[RunRequest] = []
        watcher = Watcher(self, ignore, observer_factory=observer_factory) if watch else None
        self._folders = FolderWatch(watcher)
        self.continuous = True

    # -- from the watcher -----------------------------------------------------------------------

    def changed(
        self, path: Path, *, dirs: set[Path], trees: set[Path], new: bool, sig: Signature
    ) -> None:
        with self._lock:
            if not self.continuous:
                return
            self._debouncer.note(path, self._mono(), dirs=dirs, trees=trees, new=new, sig=sig)
        self._wake()

    def events_lost(self, why: str) -> None:
        with self._lock:
            self._lost.append(RunRequest.full_scan(f"events lost ({why})"))
        self._wake()

    def folder_gone(self, folder: Path) -> None:
        with self._lock:
            self._folders.gone(folder)
        self._wake()

    # -- for the loop ---------------------------------------------------------------------------

    def collect(self, folders: list[Path], now: datetime, mono: float) -> list[RunRequest]:
        """The runs that are due: settled changes, folders back, scans standing in for events.

        Call without holding a lock the watcher's callbacks take (see `folderwatch`)."""
        due = self._folders.refresh(folders, self.continuous, now, mono)
        with self._lock:
            due += self._lost
            self._lost = []
            if self.continuous and self._folders.watcher is not None:
                batch = self._debouncer.take_ready(mono, file_signature)
                if batch:
                    due.append(RunRequest.changes(batch.dirs, batch.trees, "changes"))
            return due

    def held(self) -> frozenset[Path]:
        """New files still being written, which a run must leave out."""
        with self._lock:
            return self._debouncer.held()

    def next_deadline(self) -> float | None:
        with self._lock:
            return self._debouncer.next_deadline() if self.continuous else None

    def settling(self) -> bool:
        with self._lock:
            return len(self._debouncer) > 0

    def missing(self) -> list[Path]:
        return sorted(self._folders.missing)

    def problems(self) -> tuple[Problem, ...]:
        """Folders that cannot be watched, and why."""
        return tuple(self._folders.unwatchable.values())

    def stop(self) -> None:
        self._folders.stop()
