"""Fetches and verifies chunks for a restore: grouped by pack, ranged reads, in parallel.

Neighbouring blobs of one pack are read with a single ranged GET; every blob is authenticated and
re-hashed against its id (`open_blob`) before anyone may use its bytes. A failure belongs to the
chunks it affects, not to the whole restore: the caller fails only the files that need them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor

from app.core.errors import IntegrityError, KeepsakeError
from app.core.index import BlobLocation
from app.core.repository import Repository
from app.core.sealing import BlobType, open_blob

MAX_GAP = 256 * 1024  # read through gaps this small rather than issue another request
MAX_RANGE = 16 * 1024 * 1024

Fetched = dict[bytes, bytes | KeepsakeError]


class ChunkFetcher:
    def __init__(self, repo: Repository, pool: Executor) -> None:
        self._repo = repo
        self._pool = pool

    def fetch(self, ids: Iterable[bytes]) -> Fetched:
        """Plaintext of each chunk, or the error that prevents using it."""
        result: Fetched = {}
        by_pack: dict[str, list[BlobLocation]] = defaultdict(list)
        for blob_id in dict.fromkeys(ids):
            loc = self._repo.index.lookup(blob_id)
            if loc is None or loc.blob_type != BlobType.DATA:
                result[blob_id] = IntegrityError(
                    "chunk", "it is not in the index (rebuilding the index may help)"
                )
            else:
                by_pack[loc.pack_id].append(loc)
        futures = [
            self._pool.submit(self._read_range, group)
            for locs in by_pack.values()
            for group in _ranges(locs)
        ]
        for future in futures:
            result.update(future.result())
        return result

    def _read_range(self, group: list[BlobLocation]) -> Fetched:
        pack = group[0].pack_id
        start = group[0].offset
        length = group[-1].offset + group[-1].length - start
        out: Fetched = {}
        try:
            data = memoryview(self._repo.packs.get_pack(pack, start, length))
        except KeepsakeError as exc:
            return {loc.blob_id: exc for loc in group}
        for loc in group:
            sealed = data[loc.offset - start : loc.offset - start + loc.length]
            try:
                out[loc.blob_id] = open_blob(
                    self._repo.subkeys, BlobType.DATA, loc.blob_id, sealed, what=f"pack {pack}"
                )
            except IntegrityError as exc:
                out[loc.blob_id] = exc
        return out


def _ranges(locs: list[BlobLocation]) -> list[list[BlobLocation]]:
    """Group one pack's blobs into contiguous-enough ranges for single reads."""
    groups: list[list[BlobLocation]] = []
    for loc in sorted(locs, key=lambda b: b.offset):
        if groups:
            last = groups[-1]
            end = last[-1].offset + last[-1].length
            size = loc.offset + loc.length - last[0].offset
            if loc.offset - end <= MAX_GAP and size <= MAX_RANGE:
                last.append(loc)
                continue
        groups.append([loc])
    return groups
