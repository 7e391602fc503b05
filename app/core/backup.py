"""One backup run: scan the chosen folders, store what changed, commit a snapshot.

The pipeline keeps both cores busy: a few listing threads list folders ahead of the walk (lstat
only, thanks to the files and folder caches); the calling thread turns folders into trees; a
read pool chunks, hashes, compresses and encrypts changed files, several at once (a seal pool
helps with the one large file streamed at a time); one upload thread ships full packs, one at a
time.
Nothing is committed unless the whole run succeeded; packs uploaded before a failure or a cancel
are recorded so the next run reuses them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from app.core.backup_commit import check_leftovers, commit_snapshot, iso_utc
from app.core.backup_files import FileReader
from app.core.backupstate import RunState
from app.core.carryover import Previous
from app.core.packer import LEASE_ASSUMED, Packer
from app.core.progress import CancelToken, Events, NoEvents
from app.core.repository import Repository
from app.core.sealing import Sealer
from app.core.walker import Walker

__all__ = ["BackupResult", "backup", "folder_labels"]

# Folders listed at once, ahead of the walk: on a cold cache the scan waits on the disk for
# inodes, and a few requests in flight at once keep it busy (listing threads mostly wait).
LIST_THREADS = 3


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
) -> BackupResult:
    """Back up `folders` as one new snapshot. Raises Cancelled, StorageError subclasses or
    SnapshotChainError; problems with single files are reported, never fatal."""
    events = events or NoEvents()
    began = repo.clock.monotonic()
    token = _RunToken(cancel)
    repo.sync()
    previous = repo.latest()
    check_leftovers(repo)
    versions_base = repo.index.cache_size() == 0
    repo.index.begin_stage()
    labelled = folder_labels(folders)
    expected = previous.record.counts if previous else {}
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
    )
    threads = max(1, threads)
    read_pool = ThreadPoolExecutor(threads, thread_name_prefix="keepsake-read")
    seal_pool = ThreadPoolExecutor(threads, thread_name_prefix="keepsake-seal")
    list_pool = ThreadPoolExecutor(LIST_THREADS, thread_name_prefix="keepsake-list")
    try:
        reader = FileReader(repo.subkeys, sealer, packer, token, lambda n: state.add(bytes_read=n))
        walker = Walker(
            state,
            sealer=sealer,
            packer=packer,
            reader=reader,
            file_pool=read_pool,
            list_pool=list_pool,
            previous=Previous(repo, previous, packer.known),
            exclude=exclude,
            cancel=token,
            max_inflight=4 * threads,
        )
        state.progress(None, force=True)
        root = walker.scan(labelled)
        state.flush()
        state.set_phase("uploading")
        packer.flush()
        state.set_phase("committing")
        c = state.counters
        counts = {
            "files": c.files_new + c.files_changed + c.files_unmodified,
            "dirs": c.dirs,
            "symlinks": c.symlinks,
            "bytes": c.size,
        }
        done = commit_snapshot(
            repo, sealer, root, dict(labelled), counts, versions_base=versions_base
        )
    except BaseException:
        token.cancel()  # stop the workers at their next safe point
        raise
    finally:
        list_pool.shutdown(wait=True, cancel_futures=True)
        read_pool.shutdown(wait=True, cancel_futures=True)
        seal_pool.shutdown(wait=True, cancel_futures=True)
        packer.close()
    c = state.counters
    return BackupResult(
        snapshot_id=done.snapshot_id,
        seq=done.seq,
        files_new=c.files_new,
        files_changed=c.files_changed,
        files_unmodified=c.files_unmodified,
        dirs=c.dirs,
        bytes_read=c.bytes_read,
        bytes_added=packer.bytes_uploaded,
        packs_uploaded=len(packer.uploaded),
        problems=list(state.problems),
        excluded=list(state.excluded),
        duration=repo.clock.monotonic() - began,
    )
