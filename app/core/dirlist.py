"""Lists folders for the walker ahead of time, with the folder and files caches' verdicts.

Why: on a tree whose inodes are not in memory, every folder listing and every lstat waits on the
disk; listing several folders at once keeps the disk busy while the walker builds trees. A full
scan takes its listings from the native module's lister of whole trees (`ahead`: threads of its
own, in walk order, no interpreter lock); otherwise `list_dir` runs on the walker's listing
threads. Each listing is then settled: one folder-cache query reuses a folder whose files and
links are exactly as recorded; for any other, one files-cache query (and a blob query for files
of several chunks) tells which files can be skipped (the cache entry still matches and every
chunk it names is still safely stored). Nothing here writes anything.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from app.core import native
from app.core.dircache import SUMMARY_FIELDS, Stamp, fingerprint, split_ids
from app.core.filescache import ID_SIZE, chunks_from_blob, row_matches
from app.core.index import Index
from app.core.keys import Subkeys, path_key
from app.core.progress import Cancelled, CancelToken
from app.core.treerows import Row, file_row, link_row

ExcludeFn = Callable[[Path, os.stat_result], str | None]
Report = Callable[[str, str], None]  # (path, reason)

_BY_NAME = attrgetter("name")
# The native lister ahead of a full scan: threads (on a cold cache the listings wait on the disk,
# so a few in flight keep it busy), and about how many entries it may hold ahead of the walk
# (some 200 bytes each).
AHEAD_THREADS = 4
AHEAD_WINDOW = 65536


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
    `reused`/`reused_bytes`. Only the others come as `files`, to be read. A folder reused whole
    comes as its `record` (with `reused`/`reused_bytes`) and nothing in the other lists."""

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
        # Folder records name only blobs (chunks, trees) the last commit kept live: when all of
        # its packs are still usable, so are theirs, and no record needs its blobs looked up.
        self._records_usable = live_set_usable()

    def ahead(self, roots: list[str]) -> Any | None:
        """The native module's lister of whole trees ahead of a depth-first walk (see
        `native/src/ahead.rs`), or None where listings go through `list_dir` (no module, or
        exclusion rules, which the Python path applies)."""
        kn = native.module
        if kn is None or self._exclude is not None:
            return None
        try:
            return kn.list_ahead(roots, self._subkeys.cache, AHEAD_THREADS, AHEAD_WINDOW)
        except OSError:  # no thread could be started: the listing threads do it instead
            return None

    def take(self, ahead: Any, path: str) -> Listing:
        """`list_dir`, the listing coming from `ahead`."""
        if self._cancel.cancelled:
            raise Cancelled()
        return self._listing_of(ahead.take(path), path)

    def list_dir(self, path: str) -> Listing:
        if self._cancel.cancelled:
            raise Cancelled()
        kn = native.module
        if kn is not None and self._exclude is None:
            return self._listing_of(kn.list_folder(path, self._subkeys.cache), path)
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
            if not listing.fingerprint:  # the native module made it while listing
                listing.fingerprint = fingerprint(self._subkeys, listing.stamps)
            if self._use_cache:
                self._recall(listing)
        listing.stamps = []
        if fill is not None and listing.record is None:
            fill()
        if listing.files:
            self._judge(listing)
        return listing

    def _listing_of(self, got: Any, path: str) -> Listing:
        """A listing from the native module's: the folder was read, every entry lstat'ed and
        the folder fingerprinted without the interpreter lock, and a folder the cache reuses
        whole never has its files turned into Python objects at all."""
        listing = Listing(path)
        if isinstance(got, int):
            if got == errno.ENOENT:
                listing.gone = True
            else:
                listing.error = OSError(got, os.strerror(got), path)
            return listing
        join = os.path.join
        for raw, error, what in got.problems():
            verb = "examine it" if what == "stat" else "read the link"
            reason = why(OSError(error, os.strerror(error)))
            self._problem(join(path, os.fsdecode(raw)), f"cannot {verb}: {reason}")
            listing.clean = False
        for raw in got.others():
            self._excluded(join(path, os.fsdecode(raw)), "not a regular file, folder or link")
        for raw, fields in got.dirs():
            name = os.fsdecode(raw)
            listing.dirs.append(SubDir(name, raw, join(path, name), native.stat_result(fields)))
        listing.links = got.link_count
        listing.fingerprint = got.fingerprint or b""

        def fill() -> None:
            for raw, fields in got.files():
                name = os.fsdecode(raw)
                st = native.stat_result(fields)
                listing.files.append(FileItem(name, raw, join(path, name), st, b"", None))
            for raw, fields, target in got.links():
                mode, size, mtime_ns = fields[0], fields[6], fields[8]
                listing.rows.append(link_row(raw, mode, mtime_ns, size, target))

        return self._settle(listing, path, fill)

    def _recall(self, listing: Listing) -> None:
        """Reuse the folder's record when its files and links are exactly as recorded and every
        chunk the record names, and its tree, is still safely stored. The record is taken as it
        is: the walker unpacks its rows only if the folder's tree changed (see `dircache`)."""
        found = self._index.dir_summary(listing.dir_key)
        if found is None or found[1] != listing.fingerprint:
            return
        summary, (tree_pack, tree_pack_state) = found[:SUMMARY_FIELDS], found[SUMMARY_FIELDS:]
        if not self._usable_pack(tree_pack, tree_pack_state):
            return  # its tree is stored again, as for any folder
        if not self._records_usable and not self._chunks_stored(listing.dir_key):
            return
        listing.record = summary
        listing.rows = []  # the record holds the links' rows too
        listing.files = []
        listing.reused, listing.reused_bytes = int(summary[2]), int(summary[3])

    def _chunks_stored(self, dir_key: bytes) -> bool:
        """Every chunk the folder's record names is still safely stored (looked up only when
        some pack of the last commit is ageing out)."""
        whole = self._index.dir_record(dir_key)
        if whole is None:
            return False
        wanted = set(split_ids(whole[4]))
        return len(self._known_many(wanted)) == len(wanted)

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
