"""Watches the chosen folders with watchdog and reports each change as folders to re-read.

Only events that can change a snapshot are asked for (no opens or read-only closes, so the
backup reading files does not wake the watcher). Each event becomes: the path, the folders whose
entries changed, the folders to read whole (created or moved in), whether the file is new, and
its (size, mtime) at the event. The sink (the protector) debounces them.

Lost events fall back to a scan: an inotify queue overflow (watchdog logs it and rebuilds its
watches, but the events are gone), a chosen folder deleted or unmounted under the watch, or a
folder that cannot be watched at all (the system's watch limit) are all reported to the sink.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from app.protect.debounce import Signature

log = logging.getLogger(__name__)

WANTED: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileAttribEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirAttribEvent,
    DirDeletedEvent,
    DirMovedEvent,
]

# watchdog reports a kernel queue overflow only through this logger.
_OVERFLOW_LOGGERS = ("watchdog.observers.inotify_c", "watchdog.observers.inotify")
# Observers that never drop events unnoticed: inotify's overflow is caught above, polling
# compares snapshots. Windows' ReadDirectoryChangesW overflow (an empty buffer) and macOS'
# "must scan subdirs" flag reach watchdog but not its users: those events vanish silently.
_TELLS_OF_LOSSES = frozenset({"InotifyObserver", "PollingObserver", "PollingObserverVFS"})
SAFETY_RESCAN_SECONDS = 3600.0


def silent_losses(observer_factory: Callable[[], BaseObserver]) -> bool:
    """True when the platform's watcher may lose events without saying so; then a full scan
    runs every SAFETY_RESCAN_SECONDS besides the daily one (cheap: the files cache)."""
    name = getattr(observer_factory, "__name__", type(observer_factory).__name__)
    return name not in _TELLS_OF_LOSSES


class ChangeSink(Protocol):
    def changed(
        self, path: Path, *, dirs: set[Path], trees: set[Path], new: bool, sig: Signature
    ) -> None: ...

    def events_lost(self, why: str) -> None: ...

    def folder_gone(self, folder: Path) -> None: ...


def file_signature(path: Path) -> Signature:
    """(size, mtime_ns) of a regular file; None for anything else or a vanished path."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    return (st.st_size, st.st_mtime_ns)


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, sink: ChangeSink, ignore: Callable[[Path, bool], bool]) -> None:
        self._root = root
        self._sink = sink
        self._ignore = ignore

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._handle(event)
        except Exception:  # a watcher thread must survive anything one event does
            log.exception("could not handle %r", event)
            self._sink.events_lost("an event could not be handled")

    def _handle(self, event: FileSystemEvent) -> None:
        if event.is_synthetic:  # contents of a moved or created folder: its tree covers them
            return
        src = Path(os.fsdecode(event.src_path))
        if isinstance(event, DirDeletedEvent) and src == self._root:
            self._sink.folder_gone(self._root)
            return
        if isinstance(event, FileMovedEvent | DirMovedEvent):
            dest = Path(os.fsdecode(event.dest_path))
            self._one(src, event.is_directory, created=False, deleted=True)
            self._one(dest, event.is_directory, created=event.is_directory, deleted=False)
            return
        created = isinstance(event, FileCreatedEvent | DirCreatedEvent)
        deleted = isinstance(event, FileDeletedEvent | DirDeletedEvent)
        self._one(src, event.is_directory, created=created, deleted=deleted)

    def _one(self, path: Path, is_dir: bool, *, created: bool, deleted: bool) -> None:
        if path == self._root:
            self._sink.changed(path, dirs={path}, trees=set(), new=False, sig=None)
            return
        if self._ignore(path, is_dir):
            return
        parent = path.parent
        trees = {path} if is_dir and created else set()
        sig = None if is_dir or deleted else file_signature(path)
        self._sink.changed(path, dirs={parent}, trees=trees, new=created and not is_dir, sig=sig)


class _OverflowTap(logging.Handler):
    def __init__(self, sink: ChangeSink) -> None:
        super().__init__(logging.WARNING)
        self._sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self._sink.events_lost("overflow")


class Watcher:
    """One watchdog observer; `watch` keeps its recursive watches equal to a set of folders."""

    def __init__(
        self,
        sink: ChangeSink,
        ignore: Callable[[Path, bool], bool],
        *,
        observer_factory: Callable[[], BaseObserver] = Observer,
    ) -> None:
        self._sink = sink
        self._ignore = ignore
        self._factory = observer_factory
        self._observer: BaseObserver | None = None
        self._watches: dict[Path, ObservedWatch] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._tap = _OverflowTap(sink)

    def set_ignore(self, ignore: Callable[[Path, bool], bool]) -> None:
        self._ignore = ignore

    def _ignored(self, path: Path, is_dir: bool) -> bool:
        return self._ignore(path, is_dir)

    def watch(self, folders: Sequence[Path]) -> dict[Path, str]:
        """Watch exactly these folders; returns those that cannot be watched, with why."""
        failed: dict[Path, str] = {}
        with self._lock:
            if self._closed:
                return failed
            if self._observer is None:
                try:
                    self._observer = self._factory()
                    self._observer.start()
                except Exception as exc:
                    self._observer = None
                    return {f: f"watching is not available ({exc})" for f in folders}
                for name in _OVERFLOW_LOGGERS:
                    logging.getLogger(name).addHandler(self._tap)
            wanted = set(folders)
            for folder in list(self._watches):
                if folder not in wanted:
                    self._unschedule(folder)
            for folder in folders:
                if folder in self._watches:
                    continue
                try:
                    self._watches[folder] = self._observer.schedule(
                        _Handler(folder, self._sink, self._ignored),
                        os.fspath(folder),
                        recursive=True,
                        event_filter=WANTED,
                    )
                except OSError as exc:
                    failed[folder] = f"changes cannot be watched ({exc.strerror or exc})"
        return failed

    def forget(self, folder: Path) -> None:
        """Drop a folder's watch (it vanished); a later `watch` may add it again."""
        with self._lock:
            self._unschedule(folder)

    def watched(self) -> set[Path]:
        with self._lock:
            return set(self._watches)

    def _unschedule(self, folder: Path) -> None:
        watch = self._watches.pop(folder, None)
        if watch is not None and self._observer is not None:
            try:
                self._observer.unschedule(watch)
            except (KeyError, OSError):
                log.debug("watch of %s was already gone", folder)

    def close(self) -> None:
        """Stop for good: a `watch` racing with shutdown must not start a new observer."""
        with self._lock:
            self._closed = True
        self.stop()

    def stop(self) -> None:
        """Stop watching; a later `watch` starts again (continuous protection turned back on)."""
        with self._lock:
            observer, self._observer = self._observer, None
            self._watches.clear()
            for name in _OVERFLOW_LOGGERS:
                logging.getLogger(name).removeHandler(self._tap)
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
