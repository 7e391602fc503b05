"""Fetches and verifies blobs for a restore: grouped by pack, coalesced ranged reads, in parallel.

Neighbouring blobs of one pack are read with a single ranged GET (a request costs the service far
more than a few extra bytes), and ranges are capped so several of them travel and get decrypted
on different threads at once. Every blob is authenticated and re-hashed against its id
(`open_blob`) before anyone may use its bytes, each on its own: a tampered blob fails only
itself, even when it arrived in the same range as good ones, and a failed request fails only the
blobs of that range. The caller then fails only the files that need them.

`start` returns at once with the reads under way, so a restore can fetch its next batch while it
writes the previous one. A fetcher may keep the raw bytes of recent ranges (`keep_bytes`): tree
packs hold nothing but folder listings, so one range read for one level of folders usually
covers the next levels too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from types import ModuleType

from app.core import chunker, native
from app.core.errors import (
    AuthenticationFailed,
    IntegrityError,
    KeepsakeError,
    Retryable,
    SubscriptionLocked,
)
from app.core.index import BlobLocation
from app.core.keys import Subkeys
from app.core.repository import Repository
from app.core.sealing import BlobType, id_size, open_blob

MAX_GAP = 256 * 1024  # read through gaps this small rather than issue another request
# Fewer, bigger requests win (each costs the service a few ms), as far as memory allows.
MAX_RANGE = 8 * 1024 * 1024
# Ranges of one call (a batch's, a window's) in other packs or past a gap travel together in
# one request of up to this many bytes. 16 MiB saved a few requests more and raised a full
# restore's peak memory by a sixth.
MAX_REQUEST = 8 * 1024 * 1024
# The most a blob may inflate to: a file chunk is at most the chunker's maximum; folder listings
# and the rest are not chunked, so they get a generous bound against decompression bombs.
MAX_PLAINTEXT = {BlobType.DATA: chunker.MAX_SIZE}
MAX_OTHER_PLAINTEXT = 1024 * 1024 * 1024

Fetched = dict[bytes, bytes | KeepsakeError]
Errors = dict[bytes, KeepsakeError]

_NOT_INDEXED = "it is not in the index (rebuilding the index may help)"


class Pending:
    """Range reads under way; `result()` waits for them and merges their outcomes."""

    def __init__(self, done: Fetched, futures: list[Future[Fetched]]) -> None:
        self._done = done
        self._futures = futures

    def result(self) -> Fetched:
        for future in self._futures:
            self._done.update(future.result())
        self._futures = []
        return self._done


class ChunkFetcher:
    """Reads blobs of one type (file chunks by default) for a restore, through a thread pool."""

    def __init__(
        self,
        repo: Repository,
        pool: Executor,
        *,
        blob_type: BlobType = BlobType.DATA,
        max_gap: int = MAX_GAP,
        max_range: int = MAX_RANGE,
        max_request: int = MAX_REQUEST,
        keep_bytes: int = 0,
    ) -> None:
        self._repo = repo
        self._pool = pool
        self._type = blob_type
        self._max_gap = max_gap
        self._max_range = max_range
        self._max_request = max_request
        self._kept = _KeptRanges(keep_bytes)

    def locate(self, ids: Iterable[bytes]) -> tuple[dict[bytes, BlobLocation], Errors]:
        """Index locations of `ids`, and an error for each id the index cannot place."""
        wanted = list(dict.fromkeys(ids))
        found = self._repo.index.lookup_many(wanted)
        located: dict[bytes, BlobLocation] = {}
        errors: Errors = {}
        for blob_id in wanted:
            loc = found.get(blob_id)
            if loc is None or loc.blob_type != self._type:
                errors[blob_id] = IntegrityError(self._type.name.lower(), _NOT_INDEXED)
            else:
                located[blob_id] = loc
        return located, errors

    def fetch(self, ids: Iterable[bytes]) -> Fetched:
        """Plaintext of each blob, or the error that prevents using it."""
        return self.start(ids).result()

    def start(self, ids: Iterable[bytes]) -> Pending:
        located, errors = self.locate(ids)
        return self.start_located(located.values(), errors)

    def start_located(
        self, locations: Iterable[BlobLocation], errors: Errors | None = None
    ) -> Pending:
        """Begin reading blobs whose locations are known; `errors` are passed through."""
        done: Fetched = {**(errors or {})}
        by_pack: dict[str, list[BlobLocation]] = defaultdict(list)
        kept: list[tuple[BlobLocation, memoryview]] = []
        for loc in locations:
            data = self._kept.find(loc)
            if data is not None:
                kept.append((loc, data))
            else:
                by_pack[loc.pack_id].append(loc)
        groups = [
            group
            for locs in by_pack.values()
            for group in coalesce(locs, self._max_gap, self._max_range)
        ]
        futures = [
            self._pool.submit(self._read_ranges, together)
            for together in bundle(groups, self._max_request)
        ]
        if kept:
            futures.append(self._pool.submit(self._open_kept, kept))
        return Pending(done, futures)

    def _read_ranges(self, groups: list[list[BlobLocation]]) -> Fetched:
        """Several ranges in one request. If it fails for some of them (a missing pack, a
        range past its end), each is read on its own, so only their blobs fail; a failure that
        would meet every request alike (the network, the token, the subscription) fails them
        all at once rather than being met again range by range."""
        if len(groups) == 1:
            return self._read_range(groups[0])
        spans = [_span(group) for group in groups]
        try:
            data = self._repo.packs.get_pack_ranges(spans)
            if len(data) != sum(length for _, _, length in spans):
                raise IntegrityError("packs", "a read came back short")
        except (Retryable, AuthenticationFailed, SubscriptionLocked) as exc:
            return {loc.blob_id: exc for group in groups for loc in group}
        except KeepsakeError:
            fetched: Fetched = {}
            for group in groups:
                fetched.update(self._read_range(group))
            return fetched
        view = memoryview(data)
        base = 0
        placed: list[tuple[BlobLocation, int]] = []  # each blob and where it starts in `data`
        for group, (pack, start, length) in zip(groups, spans, strict=True):
            self._kept.add(pack, start, view[base : base + length])
            placed.extend((loc, base + loc.offset - start) for loc in group)
            base += length
        return self._open_all(data, placed)

    def _read_range(self, group: list[BlobLocation]) -> Fetched:
        pack, start, length = _span(group)
        try:
            data = self._repo.packs.get_pack(pack, start, length)
        except KeepsakeError as exc:
            return {loc.blob_id: exc for loc in group}
        self._kept.add(pack, start, memoryview(data))
        return self._open_all(data, [(loc, loc.offset - start) for loc in group])

    def _open_all(self, data: bytes, placed: list[tuple[BlobLocation, int]]) -> Fetched:
        """Each blob of `data`, which starts at the given offset (a short read fails only the
        blobs it cut off)."""
        kn = native.module
        if kn is not None and isinstance(data, bytes):
            return self._open_native(kn, placed, data)
        view = memoryview(data)
        return {loc.blob_id: self._open(loc, view[at:]) for loc, at in placed}

    def _open_native(
        self, kn: ModuleType, placed: list[tuple[BlobLocation, int]], data: bytes
    ) -> Fetched:
        """`_open` for many blobs in one native call that releases the interpreter lock."""
        type_key, hash_key = _keys(self._repo.subkeys, self._type)
        opened = kn.open_many(
            type_key,
            hash_key,
            self._type,
            self._type.name.lower(),
            id_size(self._type),
            data,
            [(at, loc.length, loc.blob_id) for loc, at in placed],
            MAX_PLAINTEXT.get(self._type, MAX_OTHER_PLAINTEXT),
        )
        return {
            loc.blob_id: got
            if isinstance(got, bytes)
            else IntegrityError(f"pack {loc.pack_id}", got)
            for (loc, _), got in zip(placed, opened, strict=True)
        }

    def _open_kept(self, kept: list[tuple[BlobLocation, memoryview]]) -> Fetched:
        return {loc.blob_id: self._open(loc, data) for loc, data in kept}

    def _open(self, loc: BlobLocation, data: memoryview) -> bytes | KeepsakeError:
        """One blob from bytes that start where it does (a short read fails only the blobs it
        cut off)."""
        try:
            return open_blob(
                self._repo.subkeys,
                self._type,
                loc.blob_id,
                data[: loc.length],
                what=f"pack {loc.pack_id}",
            )
        except IntegrityError as exc:
            return exc


def _keys(subkeys: Subkeys, blob_type: BlobType) -> tuple[bytes, bytes | None]:
    """The key a blob type is sealed under, and the key its id is a hash under (if it is one)."""
    if blob_type is BlobType.DATA:
        return subkeys.enc, subkeys.id
    if blob_type is BlobType.TREE:
        return subkeys.meta, subkeys.tree
    return subkeys.meta, None


def coalesce(locs: list[BlobLocation], max_gap: int, max_range: int) -> list[list[BlobLocation]]:
    """Group one pack's blobs into ranges worth one read each: neighbours closer than `max_gap`
    share a read, and no read covers more than `max_range` bytes (unless one blob does)."""
    groups: list[list[BlobLocation]] = []
    last_end = 0
    for loc in sorted(locs, key=lambda b: b.offset):
        if groups:
            last = groups[-1]
            size = loc.offset + loc.length - last[0].offset
            if loc.offset - last_end <= max_gap and size <= max_range:
                last.append(loc)
                last_end = max(last_end, loc.offset + loc.length)
                continue
        groups.append([loc])
        last_end = loc.offset + loc.length
    return groups


def bundle(groups: list[list[BlobLocation]], max_request: int) -> list[list[list[BlobLocation]]]:
    """Ranges to send together: in order, up to `max_request` bytes a request (a range larger
    than that goes alone)."""
    bundles: list[list[list[BlobLocation]]] = []
    size = 0
    for group in groups:
        length = _span(group)[2]
        if bundles and size + length <= max_request:
            bundles[-1].append(group)
            size += length
        else:
            bundles.append([group])
            size = length
    return bundles


def _span(group: list[BlobLocation]) -> tuple[str, int, int]:
    """(pack, start, length) of the one read that covers a coalesced group."""
    start = group[0].offset
    return group[0].pack_id, start, group[-1].offset + group[-1].length - start


class _KeptRanges:
    """Raw bytes of recently read ranges, up to a byte budget (oldest dropped first).

    Only ever raw pack bytes: whatever is served from here is opened and checked like a fresh
    read.
    """

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._order: OrderedDict[tuple[str, int], int] = OrderedDict()
        self._by_pack: dict[str, dict[int, memoryview]] = defaultdict(dict)
        self._lock = threading.Lock()

    def add(self, pack: str, start: int, data: memoryview) -> None:
        if self._budget <= 0 or len(data) > self._budget:
            return
        if isinstance(data.obj, bytes) and len(data.obj) > len(data):
            data = memoryview(bytes(data))  # a slice would keep its request's whole buffer
        with self._lock:
            self._drop(pack, start)
            self._by_pack[pack][start] = data
            self._order[(pack, start)] = len(data)
            self._size += len(data)
            while self._size > self._budget:
                oldest_pack, oldest_start = next(iter(self._order))
                self._drop(oldest_pack, oldest_start)

    def _drop(self, pack: str, start: int) -> None:
        size = self._order.pop((pack, start), None)
        if size is not None:
            self._size -= size
            del self._by_pack[pack][start]

    def find(self, loc: BlobLocation) -> memoryview | None:
        if self._budget <= 0:
            return None
        with self._lock:
            for start, data in self._by_pack.get(loc.pack_id, {}).items():
                if start <= loc.offset and loc.offset + loc.length <= start + len(data):
                    return data[loc.offset - start : loc.offset - start + loc.length]
        return None
