"""Lists folders for the walker ahead of time, on a few threads, with the files cache's verdicts.

Why: on a tree whose inodes are not in memory, every folder listing and every lstat waits on the
disk; listing several folders at once keeps the disk busy while the walker builds trees. Each
listing also settles, with one files-cache query and one blob query per folder, which files can
be skipped (the cache entry still matches and every chunk it names is still safely stored), so
the walker's own thread does only what has to happen in order. Nothing here writes anything.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from types import ModuleType
from typing import Any

from app.core import native
from app.core.dircache import Stamp, fingerprint, record_rows, split_ids
from app.core.filescache import ID_SIZE, chunks_from_blob, row_matches
from app.core.index import Index
from app.core.keys import Subkeys, path_key
from app.core.progress import Cancelled, CancelToken
from app.core.treerows import Row, file_row, link_row

ExcludeFn = Callable[[Path, os.stat_result], str | None]
Report = Callable[[str, str], None]  # (path, reason)

_BY_NAME = attrgetter("name")


@dataclass(slots=True)
class FileItem:
    """A regular file of a listing that has to be read; `cached` is its files-cache row, if
    any (it no longer matches, or its chunks are no longer all stored)."""

    name: str
    raw: bytes  # the name's OS bytes, as the tree stores it
    path: str
    st: os.stat_result
    key: bytes
    cached: tuple[Any, ...] | None  # files-cache row (`filescache.ROW_COLUMNS` first)


@dataclass(slots=True)
class SubDir:
    name: str
    raw: bytes
    path: str
    st: os.stat_result


@dataclass(slots=True)
class Listing:
    """One folder, listed. `gone`: it vanished; `error`: it could not be listed.

    Files the cache vouches for arrive finished: their tree rows in `rows` (with the folder's
    symlinks), their cache keys in `kept`, their chunk ids in `refs`, their count and bytes in
    `reused`/`reused_bytes`. Only the others come as `files`, to be read."""

    path: str
    gone: bool = False
    error: OSError | None = None
    dirs: list[SubDir] = field(default_factory=list)
    files: list[FileItem] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    links: int = 0
    kept: list[bytes] = field(default_factory=list)
    refs: list[bytes] = field(default_factory=list)
    reused: int = 0
    reused_bytes: int = 0
    # The folder cache (see `dircache`): this folder's key and fingerprint; `clean` is False
    # once an entry could not be examined (such a folder is neither reused nor recorded);
    # `record` is set when the whole folder was reused from it.
    dir_key: bytes = b""
    fingerprint: bytes = b""
    clean: bool = True
    stamps: list[Stamp] = field(default_factory=list)
    record: tuple[Any, ...] | None = None


class Lister:
    """Lists folders and judges their files; safe to call from several threads at once."""

    def __init__(
        self,
        subkeys: Subkeys,
        index: Index,
        known_many: Callable[[set[bytes]], set[bytes]],
        usable_pack: Callable[[str | None, str | None], bool],
        live_set_usable: Callable[[], bool],
        *,
        exclude: ExcludeFn | None,
        problem: Report,
        excluded: Report,
        cancel: CancelToken,
    ) -> None:
        self._subkeys = subkeys
        self._index = index
        self._known_many = known_many
        self._usable_pack = usable_pack
        self._exclude = exclude
        self._problem = problem
        self._excluded = excluded
        self._cancel = cancel
        self._use_cache = index.cache_size() > 0
        # Folder records name only chunks of the last committed snapshot: when all of its packs
        # are still usable, so are theirs, and no record needs its chunks looked up.
        self._records_usable = live_set_usable()

    def list_dir(self, path: str) -> Listing:
        if self._cancel.cancelled:
            raise Cancelled()
        kn = native.module
        if kn is not None and self._exclude is None:
            return self._list_natively(kn, path)
        listing = Listing(path)
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except FileNotFoundError:
            listing.gone = True  # deleted while we looked: it is gone from this snapshot
            return listing
        except OSError as exc:
            listing.error = exc
            return listing
        entries.sort(key=_BY_NAME)
        for entry in entries:
            self._entry(listing, entry)
        return self._settle(listing, path)

    def _settle(
        self, listing: Listing, path: str, fill: Callable[[], None] | None = None
    ) -> Listing:
        """Fingerprint a listed folder, reuse its record if it still matches, else judge its
        files; `fill` puts in `listing.files` and its links' rows, only when they are needed."""
        if listing.clean:
            listing.dir_key = path_key(self._subkeys, path)
            listing.fingerprint = fingerprint(self._subkeys, listing.stamps)
            if self._use_cache:
                self._recall(listing)
        listing.stamps = []
        if fill is not None and listing.record is None:
            fill()
        if listing.files:
            self._judge(listing)
        return listing

    def _list_natively(self, kn: ModuleType, path: str) -> Listing:
        """`list_dir` with the native module: the folder is read and every entry lstat'ed in
        one call without the interpreter lock, and a folder the cache reuses whole never has
        its files turned into Python objects at all."""
        listing = Listing(path)
        got = kn.list_dir(path)
        if isinstance(got, int):
            if got == errno.ENOENT:
                listing.gone = True
            else:
                listing.error = OSError(got, os.strerror(got), path)
            return listing
        stamps, files, dirs, links, others, problems = got
        join = os.path.join
        for raw, error, what in problems:
            verb = "examine it" if what == "stat" else "read the link"
            reason = why(OSError(error, os.strerror(error)))
            self._problem(join(path, os.fsdecode(raw)), f"cannot {verb}: {reason}")
            listing.clean = False
        for raw in others:
            self._excluded(join(path, os.fsdecode(raw)), "not a regular file, folder or link")
        for raw, fields in dirs:
            name = os.fsdecode(raw)
            listing.dirs.append(SubDir(name, raw, join(path, name), native.stat_result(fields)))
        listing.links = len(links)
        listing.stamps = stamps

        def fill() -> None:
            for raw, fields in files:
                name = os.fsdecode(raw)
                st = native.stat_result(fields)
                listing.files.append(FileItem(name, raw, join(path, name), st, b"", None))
            for raw, fields, target in links:
                mode, size, mtime_ns = fields[0], fields[6], fields[8]
                listing.rows.append(link_row(raw, mode, mtime_ns, size, target))

        return self._settle(listing, path, fill)

    def _recall(self, listing: Listing) -> None:
        """Reuse the folder's record when its files and links are exactly as recorded and every
        chunk the record names is still safely stored."""
        rec = self._index.dir_record(listing.dir_key)
        if rec is None or rec[1] != listing.fingerprint:
            return
        refs = split_ids(rec[4])
        if refs and not self._records_usable:
            wanted = set(refs)
            if len(self._known_many(wanted)) != len(wanted):
                return
        listing.record = rec
        listing.rows = record_rows(rec)
        listing.files = []
        listing.kept = split_ids(rec[3])
        listing.refs = refs
        listing.reused, listing.reused_bytes = int(rec[5]), int(rec[6])

    def _entry(self, listing: Listing, entry: os.DirEntry[str]) -> None:
        path = entry.path
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._problem(path, f"cannot examine it: {why(exc)}")
            listing.clean = False
            return
        if self._exclude is not None:
            reason = self._exclude(Path(path), st)
            if reason:
                self._excluded(path, reason)
                return
        name = entry.name
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            self._problem(path, "its name cannot be stored (invalid characters); not backed up")
            listing.clean = False
            return
        mode = st.st_mode
        if stat.S_ISREG(mode):
            listing.files.append(FileItem(name, raw, path, st, b"", None))
            listing.stamps.append(
                (raw, mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, None)
            )
        elif stat.S_ISDIR(mode):
            listing.dirs.append(SubDir(name, raw, path, st))
        elif stat.S_ISLNK(mode):
            try:
                target = os.readlink(path).encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                self._problem(path, "its target cannot be stored (invalid characters)")
                listing.clean = False
                return
            except OSError as exc:
                self._problem(path, f"cannot read the link: {why(exc)}")
                listing.clean = False
                return
            listing.rows.append(link_row(raw, mode, st.st_mtime_ns, st.st_size, target))
            listing.links += 1
            listing.stamps.append(
                (raw, mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, target)
            )
        else:
            self._excluded(path, "not a regular file, folder or link")

    def _judge(self, listing: Listing) -> None:
        """Files-cache keys for every file; files the cache vouches for become finished rows
        (most of a no-change scan goes through the loop below, so it stays lean)."""
        files = listing.files
        subkeys = self._subkeys
        for item in files:
            item.key = path_key(subkeys, item.path)
        if not self._use_cache:
            return
        rows = self._index.cache_rows_located([item.key for item in files])
        if not rows:
            return
        usable = self._usable_pack
        out, kept, refs = listing.rows, listing.kept, listing.refs
        several: list[tuple[FileItem, tuple[bytes, ...]]] = []
        wanted: set[bytes] = set()
        rest: list[FileItem] = []
        reused = reused_bytes = 0
        for item in files:
            row = rows.get(item.key)
            if row is None:
                rest.append(item)
                continue
            item.cached = row
            st = item.st
            blob = row[5]
            if not row_matches(row, st):
                rest.append(item)
            elif len(blob) == ID_SIZE and usable(row[7], row[8]):  # its pack came with the row
                out.append(file_row(item.raw, st.st_mode, st.st_mtime_ns, st.st_size, (blob,)))
                kept.append(item.key)
                refs.append(blob)
                reused += 1
                reused_bytes += st.st_size
            elif len(blob) == ID_SIZE:
                rest.append(item)
            else:
                chunks = chunks_from_blob(blob)
                several.append((item, chunks))
                wanted.update(chunks)
        if several:
            known = self._known_many(wanted)
            for item, chunks in several:
                if all(c in known for c in chunks):
                    st = item.st
                    out.append(file_row(item.raw, st.st_mode, st.st_mtime_ns, st.st_size, chunks))
                    kept.append(item.key)
                    refs.extend(chunks)
                    reused += 1
                    reused_bytes += st.st_size
                else:
                    rest.append(item)
        listing.files = rest
        listing.reused, listing.reused_bytes = reused, reused_bytes


def why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
