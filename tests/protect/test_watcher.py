"""The watcher on real folders: which folders each change marks, what it ignores, what it loses."""

from __future__ import annotations

import errno
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from app.protect.debounce import Signature
from app.protect.watcher import Watcher
from tests.protect.support import wait_for


@dataclass
class Recorder:
    changes: list[tuple[Path, set[Path], set[Path], bool, Signature]] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    gone: list[Path] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def changed(
        self, path: Path, *, dirs: set[Path], trees: set[Path], new: bool, sig: Signature
    ) -> None:
        with self.lock:
            self.changes.append((path, dirs, trees, new, sig))

    def events_lost(self, why: str) -> None:
        self.lost.append(why)

    def folder_gone(self, folder: Path) -> None:
        self.gone.append(folder)

    def paths(self) -> set[Path]:
        with self.lock:
            return {c[0] for c in self.changes}

    def dirs(self) -> set[Path]:
        with self.lock:
            return set().union(*(c[1] for c in self.changes)) if self.changes else set()

    def trees(self) -> set[Path]:
        with self.lock:
            return set().union(*(c[2] for c in self.changes)) if self.changes else set()


def watching(tmp_path: Path, ignore=lambda p, d: False):  # type: ignore[no-untyped-def]
    """Watch tmp_path/Docs (made here if the test did not make it first)."""
    root = tmp_path / "Docs"
    root.mkdir(exist_ok=True)
    rec = Recorder()
    watcher = Watcher(rec, ignore)
    assert watcher.watch([root]) == {}
    return root, rec, watcher


def test_create_modify_delete_mark_the_parent_folder(tmp_path: Path) -> None:
    root, rec, watcher = watching(tmp_path)
    try:
        (root / "sub").mkdir()
        wait_for(lambda: root / "sub" in rec.trees(), 5, "the new folder")
        (root / "sub" / "a.txt").write_text("one")
        wait_for(lambda: root / "sub" / "a.txt" in rec.paths(), 5, "the new file")
        new = [c for c in rec.changes if c[0] == root / "sub" / "a.txt"]
        assert new[0][3] is True  # created
        assert new[-1][4] == (3, os.stat(root / "sub" / "a.txt").st_mtime_ns)
        (root / "sub" / "a.txt").unlink()
        wait_for(lambda: rec.changes[-1][4] is None, 5, "the delete")
        assert rec.dirs() == {root, root / "sub"}
    finally:
        watcher.stop()


def test_renames_mark_both_folders_and_read_a_moved_folder_whole(tmp_path: Path) -> None:
    (tmp_path / "Docs" / "A").mkdir(parents=True)
    (tmp_path / "Docs" / "A" / "x.txt").write_text("x")
    (tmp_path / "Docs" / "B").mkdir()
    root, rec, watcher = watching(tmp_path)
    try:
        os.rename(root / "A", root / "B" / "A2")
        wait_for(lambda: root / "B" / "A2" in rec.trees(), 5, "the moved folder")
        assert root in rec.dirs() and root / "B" in rec.dirs()
        assert root / "A" in rec.paths()
    finally:
        watcher.stop()


def test_reading_files_does_not_wake_the_watcher(tmp_path: Path) -> None:
    root, rec, watcher = watching(tmp_path)
    target = root / "photo.jpg"
    target.write_bytes(b"jpeg" * 1000)
    try:
        wait_for(lambda: target in rec.paths(), 5, "the write")
        threading.Event().wait(0.3)
        before = len(rec.changes)
        for _ in range(20):
            target.read_bytes()  # what a backup does
        threading.Event().wait(0.5)
        assert len(rec.changes) == before
    finally:
        watcher.stop()


def test_ignored_paths_are_dropped(tmp_path: Path) -> None:
    root, rec, watcher = watching(tmp_path, ignore=lambda p, d: p.name.startswith("~$"))
    try:
        (root / "~$lock.docx").write_text("lock")
        (root / "real.docx").write_text("doc")
        wait_for(lambda: root / "real.docx" in rec.paths(), 5, "the real file")
        assert root / "~$lock.docx" not in rec.paths()
    finally:
        watcher.stop()


def test_a_deleted_chosen_folder_is_reported_and_can_be_watched_again(tmp_path: Path) -> None:
    root, rec, watcher = watching(tmp_path)
    try:
        os.rmdir(root)
        wait_for(lambda: root in rec.gone, 5, "the folder to be reported gone")
        watcher.forget(root)
        root.mkdir()
        assert watcher.watch([root]) == {}
        (root / "back.txt").write_text("back")
        wait_for(lambda: root / "back.txt" in rec.paths(), 5, "events from the new folder")
    finally:
        watcher.stop()


def test_a_queue_overflow_is_reported_as_lost_events(tmp_path: Path) -> None:
    # watchdog reports an inotify overflow only by logging it (and rebuilding its watches); the
    # kernel limit cannot be lowered for one test, so this sends the very record watchdog logs.
    _root, rec, watcher = watching(tmp_path)
    try:
        logging.getLogger("watchdog.observers.inotify_c").warning(
            "Inotify queue overflowed; filesystem events were lost"
        )
        assert rec.lost == ["overflow"]
    finally:
        watcher.stop()
    logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed")
    assert rec.lost == ["overflow"]  # no longer listening once stopped


class NoWatchesLeft(Observer):  # type: ignore[misc,valid-type]
    """An observer on a system whose inotify watch limit is used up."""

    def schedule(self, *args, **kwargs) -> ObservedWatch:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_a_folder_that_cannot_be_watched_is_named_with_the_reason(tmp_path: Path) -> None:
    root = tmp_path / "Docs"
    root.mkdir()
    watcher = Watcher(Recorder(), lambda p, d: False, observer_factory=NoWatchesLeft)
    try:
        failed = watcher.watch([root])
        assert list(failed) == [root] and "inotify watch limit reached" in failed[root]
        assert watcher.watched() == set()
    finally:
        watcher.stop()


def test_watching_unavailable_altogether(tmp_path: Path) -> None:
    def broken() -> BaseObserver:
        raise OSError(errno.EMFILE, "too many inotify instances")

    root = tmp_path / "Docs"
    root.mkdir()
    watcher = Watcher(Recorder(), lambda p, d: False, observer_factory=broken)
    failed = watcher.watch([root])
    assert "watching is not available" in failed[root]
    watcher.stop()
