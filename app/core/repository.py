"""One backup set seen through the key: verified snapshot listing, trees, paths, index upkeep.

Everything the service returns is authenticated before use: snapshots are checked as a chain
against the last (seq, hash) this client saw, trees are opened and re-hashed. The local index is
kept in step with the service by `sync` (commits made elsewhere, packs ageing out) and can be
rebuilt from the service with the key alone (`rebuild_index`, for a new PC).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.core import index as ix
from app.core.clock import Clock, SystemClock
from app.core.errors import IntegrityError, NotFound, SnapshotChainError
from app.core.index import BlobLocation, Index, SnapshotRow
from app.core.indexdelta import FULL, open_index
from app.core.keys import Subkeys
from app.core.packfile import PACK_TARGET_SIZE
from app.core.ports import CommitLog, PackInfo, PackStore
from app.core.safepath import split_path
from app.core.sealing import BlobType, open_blob
from app.core.snapshot import ChainLink, SnapshotRecord, open_snapshot, snapshot_hash, verify_chain
from app.core.tree import Node, NodeType, Tree

DEDUP_MARGIN = timedelta(days=7)  # never dedup against a pack expiring sooner than this
TREE_CACHE_SIZE = 2048


@dataclass(frozen=True)
class SnapshotInfo:
    snapshot_id: str
    seq: int
    time: datetime  # the record's own (authenticated) time, UTC
    record: SnapshotRecord


def parse_time(text: str) -> datetime:
    """ISO 8601 (with 'Z' accepted); naive times are taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Repository:
    """The engine's view of one backup set. Thread-safe for reads."""

    full_index_every = 32  # a full index replaces the deltas every this many commits
    pack_target = PACK_TARGET_SIZE

    def __init__(
        self,
        subkeys: Subkeys,
        packs: PackStore,
        log: CommitLog,
        index: Index,
        device: str,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.subkeys = subkeys
        self.packs = packs
        self.log = log
        self.index = index
        self.device = device
        self.clock: Clock = clock or SystemClock()
        self._trees: OrderedDict[bytes, Tree] = OrderedDict()
        self._lock = threading.Lock()
        self._learning = threading.Lock()  # one thread at a time learns new index objects
        self._records: dict[str, SnapshotRecord] = {}
        self.unusable_packs: set[str] = set()  # present in the index but not safe to dedup against

    # -- snapshots ---------------------------------------------------------------------------

    def snapshots(self, *, check_chain: bool = True) -> list[SnapshotInfo]:
        """Every listed snapshot, oldest first, after checking the chain (replay, hiding, forging)."""
        # What this PC knew *before* asking: another thread of this PC (a backup) may commit and
        # advance it while the listing is in flight, and a listing taken earlier cannot show that.
        last_known = self.index.last_known()
        listing = sorted(self.log.list_snapshots(), key=lambda e: e.seq)
        if listing and listing[-1].seq > self.index.newest_index_seq():
            # Committed elsewhere after this PC last learned the indexes: every commit brings
            # its index, so learn the new ones now, or its trees could not be found.
            self._catch_up()
        known = self.index.snapshot_rows()
        new_rows: list[SnapshotRow] = []
        links: list[ChainLink] = []
        infos: list[SnapshotInfo] = []
        for entry in listing:
            row = known.get(entry.snapshot_id)
            if row is not None and row.seq != entry.seq:
                raise SnapshotChainError(
                    f"the service moved snapshot {entry.snapshot_id} from #{row.seq} to "
                    f"#{entry.seq}"
                )
            if row is None:
                sealed = self.log.get_snapshot(entry.snapshot_id)
                record = open_snapshot(self.subkeys, entry.snapshot_id, sealed)
                row = SnapshotRow(
                    entry.snapshot_id,
                    entry.seq,
                    record.time,
                    record.root,
                    snapshot_hash(sealed),
                    sealed,
                )
                new_rows.append(row)
                self._records[entry.snapshot_id] = record
            record = self._record(row)
            links.append(ChainLink(row.snapshot_id, row.seq, row.sealed_hash, record))
            infos.append(SnapshotInfo(row.snapshot_id, row.seq, parse_time(record.time), record))
        if check_chain:
            verify_chain(links, last_known)
        if new_rows:
            self.index.add_snapshots(new_rows)  # also advances the last known (seq, hash)
        return infos

    def _record(self, row: SnapshotRow) -> SnapshotRecord:
        record = self._records.get(row.snapshot_id)
        if record is None:
            record = open_snapshot(self.subkeys, row.snapshot_id, row.sealed)
            self._records[row.snapshot_id] = record
        return record

    def latest(self) -> SnapshotInfo | None:
        snaps = self.snapshots()
        return snaps[-1] if snaps else None

    def resolve(self, at: str | None) -> SnapshotInfo:
        """None: the latest. A snapshot id or unique prefix. Otherwise an ISO date or date-time:
        the newest snapshot at or before it (a bare date means the end of that day; times without
        a zone are local time)."""
        snaps = self.snapshots()
        if not snaps:
            raise NotFound("there are no snapshots yet")
        if at is None or at == "latest":
            return snaps[-1]
        text = at.strip().lower()
        if text and all(c in "0123456789abcdef" for c in text) and len(text) >= 4:
            matches = [s for s in snaps if s.snapshot_id.startswith(text)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise NotFound(f"snapshot id prefix {at!r} is ambiguous")
        when = _parse_moment(at)
        before = [s for s in snaps if s.time <= when]
        if not before:
            raise NotFound(f"no snapshot at or before {at}")
        return before[-1]

    # -- trees and paths -----------------------------------------------------------------------

    def read_blob(self, location: BlobLocation, what: str) -> bytes:
        sealed = self.packs.get_pack(location.pack_id, location.offset, location.length)
        return open_blob(
            self.subkeys, BlobType(location.blob_type), location.blob_id, sealed, what=what
        )

    def read_tree(self, tree_id: bytes, what: str = "") -> Tree:
        """A directory's tree, fetched by its index location and verified; cached (LRU)."""
        tree = self.cached_tree(tree_id)
        if tree is not None:
            return tree
        name = f"folder {what!r}" if what else f"tree {tree_id.hex()[:16]}"
        location = self.index.lookup(tree_id)
        if location is None:
            raise IntegrityError(name, "its tree is not in the index (try rebuilding the index)")
        tree = decode_tree(self.read_blob(location, name), name)
        self.remember_tree(tree_id, tree)
        return tree

    def cached_tree(self, tree_id: bytes) -> Tree | None:
        """A tree read before (by `read_tree` or `remember_tree`), if still cached."""
        with self._lock:
            tree = self._trees.get(tree_id)
            if tree is not None:
                self._trees.move_to_end(tree_id)
            return tree

    def remember_tree(self, tree_id: bytes, tree: Tree) -> None:
        """Cache a tree that was verified against `tree_id` (e.g. read in bulk by a restore)."""
        with self._lock:
            self._trees[tree_id] = tree
            while len(self._trees) > TREE_CACHE_SIZE:
                self._trees.popitem(last=False)

    def root_node(self, snapshot: SnapshotInfo) -> Node:
        return Node(
            name="",
            type=NodeType.DIR,
            mode=0o755,
            mtime_ns=0,
            size=0,
            subtree=snapshot.record.root,
        )

    def find(self, snapshot: SnapshotInfo, path: str) -> Node:
        """The node at a snapshot path `label/a/b` ('' is the root)."""
        node = self.root_node(snapshot)
        walked: list[str] = []
        for part in split_path(path):
            if node.type is not NodeType.DIR or node.subtree is None:
                raise NotFound(f"{'/'.join(walked)} is not a folder in this snapshot")
            child = self.read_tree(node.subtree, "/".join(walked)).get(part)
            walked.append(part)
            if child is None:
                raise NotFound(f"{'/'.join(walked)} is not in this snapshot")
            node = child
        return node

    def ls(self, snapshot: SnapshotInfo, path: str = "") -> list[Node]:
        node = self.find(snapshot, path)
        if node.type is not NodeType.DIR or node.subtree is None:
            return [node]
        return list(self.read_tree(node.subtree, path).nodes)

    def versions(self, path: str) -> list[tuple[SnapshotInfo, Node]]:
        """Each distinct content a file had across the listed snapshots, oldest first.

        Uses the history the backups recorded (checked against the snapshot itself) where it is
        complete, and walks the snapshots' trees for older ones (e.g. after an index rebuild).
        """
        from app.core.versions import file_versions

        return file_versions(self, path)

    # -- keeping the index in step with the service ---------------------------------------------

    def sync(self) -> None:
        """Pick up commits made elsewhere, and which packs the service is ageing out."""
        self._catch_up()
        known = set(self.index.snapshot_rows())
        last = self.index.last_known()
        snaps = self.snapshots()
        foreign = [
            s for s in snaps if s.snapshot_id not in known and (last is None or s.seq > last[0])
        ]
        if foreign and last is not None:
            # Another installation moved the state on: our files cache no longer describes it.
            self.index.clear_files_cache()
            self.index.set_meta("versions_base_seq", None)

    def _catch_up(self) -> None:
        with self._learning:
            states = {p.pack_id: p for p in self.log.pack_states()}
            self._learn_indexes(states)
            self._apply_pack_states(states)

    def _learn_indexes(self, states: dict[str, PackInfo]) -> None:
        listing = sorted(self.log.list_indexes(), key=lambda e: e.seq)
        fulls = [i for i, e in enumerate(listing) if e.kind == FULL]
        if fulls:
            listing = listing[fulls[-1] :]
        known = self.index.known_indexes()
        for entry in listing:
            if entry.index_id in known:
                continue
            obj = open_index(self.subkeys, entry.index_id, self.log.get_index(entry.index_id))
            self.index.apply_packs(
                (pid, states[pid].size if pid in states else 0, blobs) for pid, blobs in obj.packs
            )
            self.index.add_index(entry.index_id, entry.seq, entry.kind)

    def _apply_pack_states(self, states: dict[str, PackInfo]) -> None:
        now = self.clock.now()
        unusable: set[str] = set()
        gone: list[str] = []
        for row in self.index.packs(ix.COMMITTED, ix.REMOVED):
            info = states.get(row.pack_id)
            if info is None:
                if row.state == ix.REMOVED:
                    gone.append(row.pack_id)  # aged out and deleted
                else:
                    unusable.add(row.pack_id)  # should be there: verify reports it
                continue
            if info.expires_at is not None:
                if row.state != ix.REMOVED or row.expires_at != info.expires_at:
                    self.index.set_pack_state(row.pack_id, ix.REMOVED, info.expires_at)
                if parse_time(info.expires_at) < now + DEDUP_MARGIN:
                    unusable.add(row.pack_id)
        if gone:
            self.index.forget_packs(gone)
        self.unusable_packs = unusable

    def rebuild_index(self) -> None:
        """Fill the index from the service (a new PC): packs, blobs and snapshots."""
        self.index.reset()
        self.sync()


def decode_tree(plain: bytes, name: str) -> Tree:
    """A verified tree blob's plaintext as a Tree; anything malformed is an IntegrityError."""
    try:
        return Tree.decode(plain, what=name)
    except IntegrityError:
        raise
    except Exception as exc:
        raise IntegrityError(name, f"malformed tree: {exc}") from None


def _parse_moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise NotFound(f"{text!r} is neither a snapshot id nor a date and time") from None
    if len(text.strip()) == 10:  # a bare date: as it was at the end of that day
        value = value + timedelta(days=1) - timedelta(microseconds=1)
    if value.tzinfo is None:
        value = value.astimezone()  # local time
    return value.astimezone(UTC)
