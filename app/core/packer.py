"""Fills data and tree packs from sealed blobs and uploads them on a background thread.

Deduplication happens here: `claim` says whether a blob still has to be stored (not in a usable
pack of the index, not already being stored by this run). Full packs go through a small bounded
queue to the uploader, so a fast reader waits for the network instead of filling memory. Each
uploaded pack is recorded in the index at once as 'uploaded' with its blobs: a run that is killed
later leaves it reusable by the next run.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from app.core import index as ix
from app.core.index import BlobLocation, Index
from app.core.packfile import PackWriter
from app.core.ports import PackStore
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer

LEASE_ASSUMED = timedelta(hours=72)  # the service leases uncommitted packs for longer than this

_Item = tuple[str, bytes, list[BlobLocation]]
_USABLE = (ix.COMMITTED, ix.UPLOADED)


class Packer:
    """Thread-safe intake of sealed blobs; one uploader thread behind a bounded queue."""

    def __init__(
        self,
        index: Index,
        store: PackStore,
        sealer: Sealer,
        *,
        unusable: set[str],
        target_size: int,
        lease_until: str,
        cancel: CancelToken,
        on_upload: Callable[[int], None] = lambda n: None,
        queue_size: int = 1,
    ) -> None:
        self._index = index
        self._store = store
        self._sealer = sealer
        self._unusable = unusable
        self._target = target_size
        self._lease_until = lease_until
        self._cancel = cancel
        self._on_upload = on_upload
        self._lock = threading.Lock()
        self._claims: set[bytes] = set()
        self._had_blobs = index.has_blobs()
        self._writers: dict[BlobType, PackWriter] = {}
        self._queue: queue.Queue[_Item | None] = queue.Queue(maxsize=queue_size)
        self._error: BaseException | None = None
        self.uploaded: list[str] = []
        self.bytes_uploaded = 0
        self._thread = threading.Thread(
            target=self._upload_loop, name="keepsake-upload", daemon=True
        )
        self._thread.start()

    # -- dedup ---------------------------------------------------------------------------------

    def known(self, blob_id: bytes) -> bool:
        """Stored in a pack that is safe to reference from a new snapshot."""
        found = self._index.blob_pack_state(blob_id)
        return (
            found is not None
            and found[1] in (ix.COMMITTED, ix.UPLOADED)
            and found[0] not in self._unusable
        )

    def usable_pack(self, pack_id: str | None, state: str | None) -> bool:
        """A pack in this state may be referenced from a new snapshot (see `known`)."""
        return state in _USABLE and pack_id not in self._unusable

    def known_many(self, ids: Iterable[bytes]) -> set[bytes]:
        usable = (ix.COMMITTED, ix.UPLOADED)
        return {
            blob_id
            for blob_id, (pack, state) in self._index.blob_pack_states(ids).items()
            if state in usable and pack not in self._unusable
        }

    def claim(self, blob_id: bytes) -> bool:
        """True when the caller must seal and `add` this blob (nobody else has, nor will).

        Every blob claimed or found stored stays in `_claims` for the rest of the run, so a
        chunk seen twice costs one index lookup at most, and none at all when the index held no
        blobs before the run (a first backup): memory grows with the new data a run reads, not
        with the size of the backup."""
        with self._lock:
            if blob_id in self._claims:
                return False
            self._claims.add(blob_id)
        # Stored by an earlier run: it stays claimed, so nobody stores it again.
        return not (self._had_blobs and self.known(blob_id))

    def release(self, blob_id: bytes) -> None:
        """The claimed blob will not be added after all (its sealing failed)."""
        with self._lock:
            self._claims.discard(blob_id)

    # -- packing -------------------------------------------------------------------------------

    def add(self, blob_type: BlobType, blob_id: bytes, sealed: bytes, raw_length: int) -> None:
        self.check()
        full: PackWriter | None = None
        with self._lock:
            writer = self._writers.get(blob_type)
            if writer is None:
                writer = self._writers[blob_type] = PackWriter(self._sealer)
            writer.add(blob_id, blob_type, sealed, raw_length)
            if writer.size >= self._target:
                full = self._writers.pop(blob_type)
        if full is not None:
            self._enqueue(full)

    def _enqueue(self, writer: PackWriter) -> None:
        pack_id, data, entries = writer.finish()
        item = (
            pack_id,
            data,
            [
                BlobLocation(e.blob_id, int(e.blob_type), pack_id, e.offset, e.length, e.raw_length)
                for e in entries
            ],
        )
        while True:
            self.check()
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def flush(self) -> None:
        """Finish the open packs and wait until everything is uploaded and recorded."""
        with self._lock:
            writers = [w for w in self._writers.values() if w.count]
            self._writers.clear()
        for writer in writers:
            self._enqueue(writer)
        while self._queue.unfinished_tasks:
            self.check()
            time.sleep(0.01)
        self.check()

    def check(self) -> None:
        """Raise the uploader's failure, or Cancelled, in the calling thread."""
        if self._error is not None:
            raise self._error
        if self._cancel.cancelled:
            raise Cancelled()

    def close(self) -> None:
        """Stop the uploader (dropping packs not yet uploaded) and wait for it."""
        while True:
            try:
                self._queue.put(None, timeout=0.2)
                break
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self._queue.task_done()
                except queue.Empty:
                    pass
        self._thread.join()

    # -- uploading -----------------------------------------------------------------------------

    def _upload_loop(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None and not self._cancel.cancelled:
                    self._upload(*item)
            except BaseException as exc:  # handed to the producing threads by check()
                self._error = exc
            finally:
                self._queue.task_done()

    def _upload(self, pack_id: str, data: bytes, blobs: list[BlobLocation]) -> None:
        self._store.put_pack(pack_id, data)
        self._index.record_uploaded(pack_id, len(data), blobs, self._lease_until)
        with self._lock:
            self.uploaded.append(pack_id)
            self.bytes_uploaded += len(data)
        self._on_upload(len(data))
