"""Fills data and tree packs from sealed blobs and uploads them on background threads.

Deduplication happens here: `claim` says whether a blob still has to be stored (not in a usable
pack of the index, not already being stored by this run). A full pack is handed to an uploader
only once one is free, so a fast reader waits for the network instead of piling up packs: a run
holds a pack being uploaded per uploader, one full pack waiting and one being filled per kind,
each built in a temporary file beside the index (`spool`), so none of them weighs on the
program's memory. Each uploaded pack is recorded in the index at once as 'uploaded' with its
blobs: a run that is killed later leaves it reusable by the next run.

The chunks of files larger than one chunk ("bulk") go to packs of their own, one per reading
thread, apart from the blobs of small files: a restore fetches a folder's small files by
reading through short gaps in their packs, which works only while video chunks do not sit
between them, and a large file's chunks in one range. (A first backup reads its large files
alongside its small ones, see `early`; sharing packs measured a 15-25 % slower full restore.)
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from app.core import heap
from app.core import index as ix
from app.core.index import BlobLocation, Index
from app.core.indexdelta import encode_pack_entry
from app.core.packfile import PackWriter
from app.core.ports import HashedParts, PackStore, pack_checksum
from app.core.progress import Cancelled, CancelToken
from app.core.sealing import BlobType, Sealer
from app.core.spool import Spool

LEASE_ASSUMED = timedelta(hours=72)  # the service leases uncommitted packs for longer than this

# Freed packs and chunk buffers leave glibc's arenas fragmented, and the process keeps holding
# them: handing free memory back after every 32 MiB uploaded keeps a large backup's peak RSS about
# 20 MiB lower, at no measurable cost in time (after every pack, it costs page faults).
TRIM_AFTER = 32 * 1024 * 1024

_USABLE = (ix.COMMITTED, ix.UPLOADED)
_Item = tuple[str, "HashedParts | Spool", list[BlobLocation]]  # a finished pack: id, parts, blobs


class Packer:
    """Thread-safe intake of sealed blobs; `uploaders` threads upload, one pack handed to each
    at most."""

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
        uploaders: int = 1,
        spool_dir: str | None = None,
        spool: bool = True,
    ) -> None:
        """`spool`: build packs in temporary files in `spool_dir` (see `app.core.spool`)."""
        self._spool_dir = spool_dir
        self._spooling = spool
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
        self._writers: dict[tuple[BlobType, int], PackWriter] = {}
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._slots = threading.Semaphore(max(1, uploaders))  # packs handed over, not uploaded
        self._handoff = threading.Lock()
        self._error: BaseException | None = None
        self._trimmer = heap.Trimmer(TRIM_AFTER)
        self.uploaded: list[str] = []
        # Each uploaded pack's item of the commit's index object, encoded while the run goes on.
        self.listed: dict[str, bytes] = {}
        self.bytes_uploaded = 0
        self._threads = [
            threading.Thread(target=self._upload_loop, name="keepsake-upload", daemon=True)
            for _ in range(max(1, uploaders))
        ]
        for thread in self._threads:
            thread.start()

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

    def live_set_usable(self) -> bool:
        """Every pack the last committed snapshot references may still be referenced: then so
        may every chunk that snapshot references, without looking each one up."""
        return all(self.usable_pack(p, state) for p, state in self._index.live_packs())

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

    def add(
        self,
        blob_type: BlobType,
        blob_id: bytes,
        sealed: bytes | tuple[bytes, ...],
        raw_length: int,
        *,
        bulk: bool = False,
    ) -> None:
        """`bulk`: a chunk of a file larger than one chunk (packed apart, see above)."""
        self.check()
        # A bulk chunk goes to its reading thread's own pack: a thread reads one file at a time,
        # so each file's chunks stay together, one range to fetch when it is restored.
        kind = (blob_type, threading.get_ident() if bulk else 0)
        if kind not in self._writers:
            with self._handoff:
                pass  # no new pack is started while a full one waits for an uploader
        full: PackWriter | None = None
        with self._lock:
            writer = self._writers.get(kind)
            if writer is None:
                writer = self._writers[kind] = PackWriter(self._sealer, spool=self._new_spool())
            writer.add(blob_id, blob_type, sealed, raw_length)
            if writer.size >= self._target:
                full = self._writers.pop(kind)
        if full is not None:
            self._enqueue(full)

    def _enqueue(self, writer: PackWriter) -> None:
        """Seal a full pack's header and hand the pack to the uploaders, once one of them is
        free; until then no other pack is started (see `add`). So a pack per uploader is on the
        wire and one full pack waits at most, besides those being filled (all of them in spool
        files, or, without one, in the parts they were built from, never joined), while uploads
        still overlap reading."""
        with self._handoff:
            self.check()
            pack_id, parts, entries = writer.finish_spooled()
            # Hashed here, on the producing thread, while the previous pack is being sent.
            hashed = parts if isinstance(parts, Spool) else HashedParts(parts, pack_checksum(parts))
            blobs = [
                BlobLocation(e.blob_id, int(e.blob_type), pack_id, e.offset, e.length, e.raw_length)
                for e in entries
            ]
            try:
                while not self._slots.acquire(timeout=0.2):
                    self.check()
            except BaseException:
                if isinstance(hashed, Spool):
                    hashed.close()  # the run is failing: this pack will not be uploaded
                raise
            try:
                self.check()
                self._queue.put((pack_id, hashed, blobs))
            except BaseException:
                self._slots.release()
                if isinstance(hashed, Spool):
                    hashed.close()
                raise

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
            # Raised in every producing thread: each gets a fresh traceback, not all of theirs.
            raise self._error.with_traceback(None)
        if self._cancel.cancelled:
            raise Cancelled()

    def close(self) -> None:
        """Stop the uploaders (dropping packs not yet uploaded) and wait for them."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        with self._lock:
            left = list(self._writers.values())
            self._writers.clear()
        for writer in left:  # a failed run's partly filled packs
            writer.discard()

    def _new_spool(self) -> Spool | None:
        if not self._spooling:
            return None
        try:
            return Spool(self._spool_dir)
        except OSError:
            return None  # no room for a temporary file: this pack is built in memory

    # -- uploading -----------------------------------------------------------------------------

    def _upload_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            data = item[1]
            size = len(data) if isinstance(data, Spool) else sum(len(part) for part in data)
            try:
                if self._error is None and not self._cancel.cancelled:
                    self._upload(*item, size)
            except BaseException as exc:  # handed to the producing threads by check()
                self._error = exc
            finally:
                if isinstance(data, Spool):
                    data.close()
                del item, data
                self._trimmer.finished_with(size)
                self._slots.release()
                self._queue.task_done()

    def _upload(
        self, pack_id: str, parts: HashedParts | Spool, blobs: list[BlobLocation], size: int
    ) -> None:
        self._store.put_pack(pack_id, parts)
        self._index.record_uploaded(pack_id, size, blobs, self._lease_until)
        listed = encode_pack_entry(pack_id, blobs)
        with self._lock:
            self.uploaded.append(pack_id)
            self.listed[pack_id] = listed
            self.bytes_uploaded += size
        self._on_upload(size)
