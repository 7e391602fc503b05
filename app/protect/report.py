"""What is and is not covered, and why: the backup report a person can check.

Incremental runs only look at the folders that changed, so their results are folded into the
report of the last full scan rather than replacing it: an excluded or unreadable file listed by
the full scan stays listed until a later run that looked at its folder says otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.backup import BackupResult
from app.protect.state import Problem


@dataclass(frozen=True)
class BackupReport:
    """The last run's outcome and the current coverage of the chosen folders."""

    finished: datetime | None
    snapshot_id: str | None
    full_scan: bool
    folders: tuple[str, ...]
    missing_folders: tuple[str, ...]
    files_new: int
    files_changed: int
    files_unmodified: int
    bytes_added: int
    excluded: tuple[tuple[str, str], ...]  # (path, why), sorted by path
    unreadable: tuple[Problem, ...]  # retried later; sorted by path

    @classmethod
    def empty(cls, folders: Iterable[str] = ()) -> BackupReport:
        return cls(None, None, False, tuple(folders), (), 0, 0, 0, 0, (), ())


def _covered_by(path: str, dirs: frozenset[str] | None) -> bool:
    """Did a run that re-read `dirs` (None: everything) look at `path`'s folder?"""
    if dirs is None:
        return True
    return os.path.dirname(path) in dirs or path in dirs


class Coverage:
    """Excluded and unreadable paths, kept across runs. Not thread-safe (the protector locks)."""

    def __init__(self) -> None:
        self.excluded: dict[str, str] = {}
        self.unreadable: dict[str, Problem] = {}

    def fold(
        self,
        *,
        looked_at: Iterable[Path] | None,
        trees: Iterable[Path] = (),
        excluded: Iterable[tuple[str, str]],
        unreadable: Iterable[tuple[str, str]],
        now: datetime,
    ) -> None:
        """Merge one run's findings. `looked_at` is the folders it re-read (None: all)."""
        dirs = None if looked_at is None else frozenset(os.fspath(p) for p in looked_at)
        tree_prefixes = tuple(os.fspath(t) + os.sep for t in trees)

        def seen(path: str) -> bool:
            return _covered_by(path, dirs) or path.startswith(tree_prefixes)

        self.excluded = {p: r for p, r in self.excluded.items() if not seen(p)}
        self.excluded.update(excluded)
        old = self.unreadable
        self.unreadable = {p: v for p, v in old.items() if not seen(p)}
        for path, reason in unreadable:
            prior = old.get(path)
            since = prior.since if prior is not None else now
            self.unreadable[path] = Problem(path, reason, since)

    def record(
        self,
        result: BackupResult,
        *,
        looked_at: tuple[Iterable[Path], Iterable[Path]] | None,
        hidden: str,
        now: datetime,
        folders: Sequence[str],
        missing: Sequence[str],
    ) -> BackupReport:
        """Fold a successful run in and return the report. `looked_at` is (dirs, trees) of an
        incremental run, None for a full one; exclusions with reason `hidden` are temporary
        (files still being written) and are not reported."""
        dirs, trees = looked_at if looked_at is not None else (None, ())
        self.fold(
            looked_at=dirs,
            trees=trees,
            excluded=[(p, r) for p, r in result.excluded if r != hidden],
            unreadable=result.problems,
            now=now,
        )
        return BackupReport(
            finished=now,
            snapshot_id=result.snapshot_id,
            full_scan=looked_at is None,
            folders=tuple(folders),
            missing_folders=tuple(sorted(missing)),
            files_new=result.files_new,
            files_changed=result.files_changed,
            files_unmodified=result.files_unmodified,
            bytes_added=result.bytes_added,
            excluded=self.excluded_list(),
            unreadable=self.unreadable_list(),
        )

    def forget_outside(self, folders: Iterable[str]) -> None:
        """Drop entries of folders that are no longer protected."""
        roots = tuple(os.path.normpath(f) + os.sep for f in folders)
        self.excluded = {p: r for p, r in self.excluded.items() if p.startswith(roots)}
        self.unreadable = {p: v for p, v in self.unreadable.items() if p.startswith(roots)}

    def excluded_list(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.excluded.items()))

    def unreadable_list(self) -> tuple[Problem, ...]:
        return tuple(sorted(self.unreadable.values(), key=lambda p: p.path))
