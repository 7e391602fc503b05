"""One backup run: scan the chosen folders, store what changed, commit a snapshot.

The pipeline keeps both cores busy: a few listing threads list folders ahead of the walk (lstat
only, thanks to the files and folder caches); the calling thread turns folders into trees; a
read pool chunks, hashes, compresses and encrypts changed files, several at once; in a first
backup a lane of its own streams the large files meanwhile (`early`); two upload threads ship
full packs, two at a time, each hashed by the thread that filled it.
Nothing is committed unless the whole run succeeded; packs uploaded before a failure or a cancel
are recorded so the next run reuses them.

Given a changed-folder hint (`changed_dirs`), a run lists only the folders that changed and
their ancestors and reuses the previous snapshot's other subtrees (`incremental`); when the hint
cannot be used safely it scans in full instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from app.core import heap
from app.core.backup_commit import check_leftovers, commit_snapshot, iso_utc
from app.core.backup_files import FileReader
from app.core.backupstate import RunState
from app.core.carryover import Previous
from app.core.early import EarlyReads
from app.core.incremental import Counts, FullScanNeeded, Hint, mark, refusal
from app.core.indexhistory import EXACT_LIVE_SNAPSHOT, LIVE_SNAPSHOT
from app.core.packer import LEASE_ASSUMED, Packer
from app.core.progress import CancelToken, Events, NoEvents
from app.core.repository import Repository, SnapshotInfo
from app.core.runlock import FileLock
from app.core.sealing import Sealer
from app.core.spool import spool_dir
from app.core.walker import Walker

__all__ = ["BackupResult", "backup", "folder_labels"]

# Folders listed at once, ahead of the walk: on a cold cache the scan waits on the disk for
# inodes, and a few requests in flight at once keep it busy (listing threads mostly wait).
LIST_THREADS = 3
# Packs on the wire at once. One pack's request spends much of its time waiting (the service
# receiving, hashing and making it durable); a second one overlaps that wait. Packs are spooled
# to temporary files, so the second costs no memory (bench/README.md, eleventh session).
UPLOADERS = 2


@dataclass
class BackupResult:
    snapshot_id: str
    seq: int
    files_new: int
    files_changed: int
    files_unmodified: int
    dirs: int
    bytes_read: int
    bytes_added: int  # sealed bytes uploaded (packs)
    packs_uploaded: int
    problems: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    duration: float = 0.0
    # The run took the changed-folder hint: `problems` and `excluded` then cover only the
    # folders it listed; the counts still describe the whole snapshot.
    incremental: bool = False


class _RunToken(CancelToken):
    """Cancelled when the person cancels, or when the run itself stops on an error."""

    def __init__(self, outer: CancelToken | None) -> None:
        super().__init__()
        self._outer = outer

    @property
    def cancelled(self) -> bool:
        return super().cancelled or (self._outer is not None and self._outer.cancelled)


def folder_labels(folders: Sequence[Path]) -> list[tuple[str, str]]:
    """(label, absolute path) per folder: the basename, made unique with ' (2)', ' (3)'..."""
    labels: list[tuple[str, str]] = []
    used: set[str] = set()
    for folder in folders:
        path = os.path.abspath(os.fspath(folder))
        base = os.path.basename(path.rstrip("/\\")) or path.strip(":/\\") or "root"
        base = base.replace("/", "_").replace("\\", "_").replace(":", "_")
        label, n = base, 1
        while label in used:
            n += 1
            label = f"{base} ({n})"
        used.add(label)
        labels.append((label, path))
    return labels


def backup(
    repo: Repository,
    folders: Sequence[Path],
    *,
    events: Events | None = None,
    cancel: CancelToken | None = None,
    exclude: Callable[[Path, os.stat_result], str | None] | None = None,
    threads: int = 2,
    changed_dirs: Collection[Path] | None = None,
    changed_trees: Collection[Path] = (),
) -> BackupResult:
    """Back up `folders` as one new snapshot. Raises Cancelled, StorageError subclasses or
    SnapshotChainError; problems with single files are reported, never fatal.

    `changed_dirs` (None: a full scan) names folders whose direct entries may have changed and
    `changed_trees` folders to read whole, reusing nothing below them (created or moved in);
    see `app/core/incremental.py` for when such a hint is used and what it reuses."""
    began = repo.clock.monotonic()
    with one_run_at_a_time(repo):  # AlreadyRunning: another program is backing up this index
        repo.sync()
        previous = repo.latest()
        check_leftovers(repo)
        labelled = folder_labels(folders)
        hint: Hint | None = None
        if changed_dirs is not None and refusal(repo, previous, dict(labelled)) is None:
            assert previous is not None
            marks = mark([path for _, path in labelled], changed_dirs, changed_trees)
            hint = Hint(repo, previous, marks)
        run = _Run(repo, previous, labelled, events or NoEvents(), cancel, exclude, threads)
        try:
            result = run.go(hint)
        except FullScanNeeded:
            result = run.go(None)
    result.duration = repo.clock.monotonic() - began
    return result


def one_run_at_a_time(repo: Repository) -> AbstractContextManager[object]:
    """`keepsake backup`, the app and `keepsake agent` share the profile's index: two runs
    staging and committing into it at once could commit a live set the other one changed."""
    if repo.index.path is None:
        return nullcontext()
    return FileLock(
        repo.index.path.with_name(repo.index.path.name + ".run-lock"),
        "another backup of these folders is running on this PC (in the Keepsake app, "
        "`keepsake agent` or `keepsake backup`); try again when it has finished",
    )


@dataclass
class _Run:
    """One attempt: an incremental one may give up (FullScanNeeded) and be followed by a full
    one; packs it uploaded are reused by the second."""

    repo: Repository
    previous: SnapshotInfo | None
    labelled: list[tuple[str, str]]
    events: Events
    cancel: CancelToken | None
    exclude: Callable[[Path, os.stat_result], str | None] | None
    threads: int

    def go(self, hint: Hint | None) -> BackupResult:
        repo, previous, events = self.repo, self.previous, self.events
        token = _RunToken(self.cancel)
        versions_base = repo.index.cache_size() == 0
        repo.index.begin_stage()
        expected = previous.record.counts if previous and hint is None else {}
        state = RunState(
            repo.subkeys,
            repo.index,
            events,
            repo.clock,
            scan_start_ns=int(repo.clock.now().timestamp() * 1e9),
            expected_files=int(expected.get("files", 0)),
            expected_bytes=0,
        )
        sealer = Sealer(repo.subkeys)
        packer = Packer(
            repo.index,
            repo.packs,
            sealer,
            unusable=repo.unusable_packs,
            target_size=repo.pack_target,
            lease_until=iso_utc(repo.clock.now() + LEASE_ASSUMED - timedelta(hours=1)),
            cancel=token,
            on_upload=lambda n: state.progress(None),
            spool_dir=spool_dir(repo.index.path),
            uploaders=UPLOADERS,
        )
        threads = max(1, self.threads)
        read_pool = ThreadPoolExecutor(threads, thread_name_prefix="keepsake-read")
        list_pool = ThreadPoolExecutor(LIST_THREADS, thread_name_prefix="keepsake-list")
        early: EarlyReads | None = None
        try:
            reader = FileReader(
                repo.subkeys, sealer, packer, token, lambda n: state.add(bytes_read=n)
            )
            if hint is None and versions_base:  # a first backup: see app/core/early.py
                early = EarlyReads(
                    [path for _, path in self.labelled],
                    reader.read,
                    exclude=self.exclude,
                    cancel=token,
                )
            walker = Walker(
                state,
                sealer=sealer,
                packer=packer,
                reader=reader,
                file_pool=read_pool,
                list_pool=list_pool,
                previous=Previous(repo, previous, packer.known),
                exclude=self.exclude,
                cancel=token,
                max_inflight=4 * threads,
                hint=hint,
                early=early,
            )
            state.progress(None, force=True)
            root = walker.scan(self.labelled)
            c = state.counters
            counts = {
                "files": c.files_new + c.files_changed + c.files_unmodified,
                "dirs": c.dirs,
                "symlinks": c.symlinks,
                "bytes": c.size,
            }
            if hint is not None and previous is not None:
                counts = _whole_counts(previous.record.counts, hint.replaced(), counts)
                repo.index.stage_carry_over(walker.listed_keys())
            state.flush()
            state.set_phase("uploading")
            packer.flush()
            heap.release_free_memory()  # the packs and buffers are gone: the commit starts low
            state.set_phase("committing")
            # A full scan that found the previous snapshot's tree unchanged, uploading nothing.
            unchanged = hint is None and not packer.uploaded
            same_as = (
                previous.snapshot_id
                if unchanged and previous is not None and previous.record.root == root
                else None
            )
            done = commit_snapshot(
                repo,
                sealer,
                root,
                dict(self.labelled),
                counts,
                versions_base=versions_base,
                same_as=same_as,
                records_reused=state.records_reused,
                listed=packer.listed,
            )
            repo.index.set_meta(LIVE_SNAPSHOT, done.snapshot_id)
            # An incremental run's counts are a superset (see stage_carry_over); a full scan's,
            # or ones reused from an exact count, are exact.
            exact = done.snapshot_id if hint is None else None
            repo.index.set_meta(EXACT_LIVE_SNAPSHOT, exact)
        except BaseException:
            token.cancel()  # stop the workers at their next safe point
            raise
        finally:
            if early is not None:
                early.close()
            list_pool.shutdown(wait=True, cancel_futures=True)
            read_pool.shutdown(wait=True, cancel_futures=True)
            packer.close()
        c = state.counters
        return BackupResult(
            snapshot_id=done.snapshot_id,
            seq=done.seq,
            files_new=c.files_new,
            files_changed=c.files_changed,
            files_unmodified=max(0, counts["files"] - c.files_new - c.files_changed),
            dirs=counts["dirs"],
            bytes_read=c.bytes_read,
            bytes_added=packer.bytes_uploaded,
            packs_uploaded=len(packer.uploaded),
            problems=list(state.problems),
            excluded=list(state.excluded),
            incremental=hint is not None,
        )


def _whole_counts(
    before: dict[str, int], replaced: Counts, walked: dict[str, int]
) -> dict[str, int]:
    """The new snapshot's counts: the previous ones, less what the previous snapshot had where
    this run listed or dropped folders, plus what the run counted there."""
    gone = {
        "files": replaced.files,
        "dirs": replaced.dirs,
        "symlinks": replaced.symlinks,
        "bytes": replaced.size,
    }
    return {k: max(0, int(before.get(k, 0)) - gone[k] + v) for k, v in walked.items()}
