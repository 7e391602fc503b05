"""Keeps the watcher on the chosen folders that exist, and says when a scan must stand in for it.

A folder that vanishes (an unplugged drive, a network share gone) loses its watch quietly: the
engine keeps its last backup in new snapshots and reports it. When it comes back it is watched
again and scanned, since anything may have changed meanwhile. A folder that cannot be watched
at all (the system's watch limit) is scanned every `POLL_SECONDS` instead, watching is retried
as often, and the person is told, because "within seconds" no longer holds there.

Used by one thread (the protector's loop), except `gone`, which the watcher calls. Watcher
calls are made without holding any lock a watchdog handler could need: watchdog runs handlers
while holding its observer's lock, which scheduling a watch also takes.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

from app.protect.planner import RunRequest
from app.protect.state import Problem
from app.protect.watcher import Watcher

POLL_SECONDS = 600.0


def poll_note(why: str) -> str:
    minutes = round(POLL_SECONDS / 60)
    return f"{why}; changes here are picked up by a scan every {minutes} minutes"


class FolderWatch:
    def __init__(self, watcher: Watcher | None) -> None:
        self.watcher = watcher
        self.missing: set[Path] = set()
        self.unwatchable: dict[Path, Problem] = {}
        self._gone: set[Path] = set()
        self._gone_lock = threading.Lock()
        self._retry_at = 0.0
        self._next_poll: float | None = None

    def gone(self, folder: Path) -> None:
        """The watcher saw the folder itself deleted; its watch is dead."""
        with self._gone_lock:
            self._gone.add(folder)

    def refresh(
        self, folders: list[Path], continuous: bool, now: datetime, mono: float
    ) -> list[RunRequest]:
        """Bring watches in line with the folders; returns the scans that are due."""
        due: list[RunRequest] = []
        missing = {f for f in folders if not f.is_dir()}
        if (self.missing - missing) & set(folders):
            due.append(RunRequest.full_scan("a folder is available again"))
        self.missing = missing
        if self._next_poll is not None and mono >= self._next_poll:
            self._next_poll = mono + POLL_SECONDS
            due.append(RunRequest.full_scan("periodic scan (watching unavailable)"))
        if self.watcher is None:
            return due
        if not continuous:
            if self.watcher.watched():
                self.watcher.stop()
            self.unwatchable, self._next_poll = {}, None
            return due
        with self._gone_lock:
            gone, self._gone = self._gone, set()
        for folder in gone | missing:
            self.watcher.forget(folder)
        wanted = [f for f in folders if f not in missing]
        known = self.watcher.watched() | set(self.unwatchable)
        retry = bool(self.unwatchable) and mono >= self._retry_at
        if set(wanted) == known and not retry:
            return due
        failed = self.watcher.watch(wanted)
        self.unwatchable = {
            f: self.unwatchable.get(f) or Problem(os.fspath(f), poll_note(why), now)
            for f, why in failed.items()
        }
        if self.unwatchable:
            self._retry_at = mono + POLL_SECONDS
            if self._next_poll is None:
                self._next_poll = mono + POLL_SECONDS
        else:
            self._next_poll = None
        return due

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
