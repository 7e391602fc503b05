"""Snapshot records (sealed), and the hash chain that catches a service replaying or hiding them.

Format v1: a msgpack map `{"v": 1, "root": bin32, "time": str, "device": str,
"folders": {bin label: bin path}, "previous": bin32 | nil, "prev_seq": int,
"counts": {str: int}}` packed with sorted keys, sealed as SNAPSHOT under the 16-byte snapshot id.
Folder labels and paths are OS bytes (surrogateescape), like tree names. Unknown keys are ignored
when reading, so later versions can add fields.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import blake3
import msgpack

from app.core.errors import IntegrityError, SnapshotChainError
from app.core.keys import Subkeys
from app.core.sealing import BlobType, Sealer, open_blob

VERSION = 1
SNAPSHOT_ID_BYTES = 16
_INT64 = 2**63


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _os_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class SnapshotRecord:
    """What one backup run saw. `previous`/`prev_seq` name the newest snapshot before it.

    A set's first snapshot has `previous=None, prev_seq=0`; every later one must point at the
    newest snapshot listed when it was made: `previous = snapshot_hash(its sealed bytes)`,
    `prev_seq = its seq`.
    """

    root: bytes
    time: str
    device: str
    folders: dict[str, str]
    previous: bytes | None
    prev_seq: int
    counts: dict[str, int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "folders", dict(self.folders))
        object.__setattr__(self, "counts", dict(self.counts))
        if not (isinstance(self.root, bytes) and len(self.root) == 32):
            raise ValueError("root must be a 32-byte tree id")
        if self.previous is not None and not (
            isinstance(self.previous, bytes) and len(self.previous) == 32
        ):
            raise ValueError("previous must be a 32-byte snapshot hash or None")
        if not (_is_int(self.prev_seq) and 0 <= self.prev_seq < _INT64):
            raise ValueError("prev_seq must be a non-negative integer")
        if self.previous is None and self.prev_seq != 0:
            raise ValueError("a snapshot without a previous one must have prev_seq 0")
        if not isinstance(self.time, str) or not isinstance(self.device, str):
            raise ValueError("time and device must be text")
        for label, path in self.folders.items():
            if not (isinstance(label, str) and isinstance(path, str)):
                raise ValueError("folders must map text labels to text paths")
            _os_bytes(label)  # raises for text no OS could have produced
            _os_bytes(path)
        for key, value in self.counts.items():
            if not (isinstance(key, str) and _is_int(value) and -_INT64 <= value < _INT64):
                raise ValueError("counts must map text to integers")

    def _encode(self) -> bytes:
        folders = {_os_bytes(k): _os_bytes(v) for k, v in self.folders.items()}
        record = {
            "v": VERSION,
            "root": self.root,
            "time": self.time,
            "device": self.device,
            "folders": dict(sorted(folders.items())),
            "previous": self.previous,
            "prev_seq": self.prev_seq,
            "counts": dict(sorted(self.counts.items())),
        }
        packed: bytes = msgpack.packb(dict(sorted(record.items())), use_bin_type=True)
        return packed


def new_snapshot_id() -> str:
    """A random 128-bit id, lowercase hex."""
    return secrets.token_hex(SNAPSHOT_ID_BYTES)


def _id_bytes(snapshot_id: str) -> bytes:
    try:
        raw = bytes.fromhex(snapshot_id)
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != SNAPSHOT_ID_BYTES or raw.hex() != snapshot_id:
        raise IntegrityError(f"snapshot {snapshot_id!r}", "malformed snapshot id")
    return raw


def seal_snapshot(sealer: Sealer, snapshot_id: str, record: SnapshotRecord) -> bytes:
    """Seal a record under its id, so the service cannot list it under another one."""
    return sealer.seal(BlobType.SNAPSHOT, _id_bytes(snapshot_id), record._encode())


def open_snapshot(subkeys: Subkeys, snapshot_id: str, sealed: bytes) -> SnapshotRecord:
    """Authenticate and decode a snapshot; anything wrong is an IntegrityError."""
    what = f"snapshot {snapshot_id}"
    plain = open_blob(subkeys, BlobType.SNAPSHOT, _id_bytes(snapshot_id), sealed, what=what)
    try:
        obj: Any = msgpack.unpackb(plain, raw=False, strict_map_key=True)
    except Exception as exc:  # msgpack raises many types for bad input
        raise IntegrityError(what, f"unreadable record ({type(exc).__name__})") from None
    if not isinstance(obj, dict) or obj.get("v") != VERSION:
        raise IntegrityError(what, "unknown snapshot format")
    try:
        folders = obj["folders"]
        if not isinstance(folders, dict) or not all(
            isinstance(k, bytes) and isinstance(v, bytes) for k, v in folders.items()
        ):
            raise ValueError("malformed folders")
        return SnapshotRecord(
            root=obj["root"],
            time=obj["time"],
            device=obj["device"],
            folders={
                k.decode("utf-8", "surrogateescape"): v.decode("utf-8", "surrogateescape")
                for k, v in folders.items()
            },
            previous=obj["previous"],
            prev_seq=obj["prev_seq"],
            counts=obj["counts"],
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise IntegrityError(what, f"malformed record: {exc}") from None


def snapshot_hash(sealed: bytes) -> bytes:
    """Hash of the sealed bytes (ciphertext, so an unkeyed hash reveals nothing)."""
    return blake3.blake3(sealed).digest()


@dataclass(frozen=True)
class ChainLink:
    """One listed snapshot: the service's seq for it, plus what its sealed bytes say."""

    snapshot_id: str
    seq: int
    sealed_hash: bytes
    record: SnapshotRecord


def open_link(subkeys: Subkeys, snapshot_id: str, seq: int, sealed: bytes) -> ChainLink:
    """Open a listed snapshot into a ChainLink for verify_chain."""
    record = open_snapshot(subkeys, snapshot_id, sealed)
    return ChainLink(snapshot_id, seq, snapshot_hash(sealed), record)


def verify_chain(links: Sequence[ChainLink], last_known: tuple[int, bytes] | None) -> None:
    """Check the service's snapshot listing against the records' own chain and our memory.

    `links` are the listed snapshots in listing order (opened, so each record is authentic);
    `last_known` is the (seq, sealed hash) of the newest snapshot this client committed or
    verified, or None on a PC with no history for the set.

    What a malicious service can and cannot do, given that records are sealed under the `meta`
    key and bound to their id (forging, editing or relabelling one fails in open_snapshot):

    - Reorder: seqs must strictly increase in listing order and each record names its
      predecessor's seq and hash, so any reordering fails.
    - Replay an old snapshot as a newer one (or list one twice): its record points at an older
      predecessor than the link before it; refused. Duplicate ids are refused too.
    - Hide a snapshot between others: its successor names it as predecessor; refused.
    - Hide the newest snapshots (roll back): refused when `last_known` is no longer listed
      with the same hash (or chained to by a listed successor). Not detectable without
      `last_known`, e.g. on a new PC restoring from the key alone.
    - Hide the oldest snapshots: indistinguishable from retention, so allowed: the first
      listed record's predecessor is never required to be present.
    - Show different histories to different PCs of the same set: only caught per PC, through
      each PC's own `last_known`.

    After a successful check the caller should remember the newest link's (seq, sealed_hash)
    as its new `last_known`, and chain its next snapshot to that link.
    """
    seen_ids: set[str] = set()
    for i, link in enumerate(links):
        record = link.record
        label = f"snapshot #{link.seq}"
        if link.snapshot_id in seen_ids:
            raise SnapshotChainError(f"the service lists {label} ({link.snapshot_id}) twice")
        seen_ids.add(link.snapshot_id)
        if record.previous is not None and record.prev_seq >= link.seq:
            raise SnapshotChainError(
                f"{label} claims to follow #{record.prev_seq}: the service renumbered snapshots"
            )
        if i == 0:
            continue
        before = links[i - 1]
        if link.seq <= before.seq:
            raise SnapshotChainError(f"the service lists {label} after #{before.seq}: out of order")
        if record.previous is None or record.prev_seq != before.seq:
            missing = "nothing" if record.previous is None else f"#{record.prev_seq}"
            raise SnapshotChainError(
                f"{label} follows {missing}, but the service lists #{before.seq} before it:"
                " snapshots were replayed, reordered or hidden"
            )
        if record.previous != before.sealed_hash:
            raise SnapshotChainError(
                f"snapshot #{before.seq} is not the one {label} was made after:"
                " the service replaced it"
            )
    if last_known is not None:
        _check_last_known(links, last_known)


def _check_last_known(links: Sequence[ChainLink], last_known: tuple[int, bytes]) -> None:
    seq, sealed_hash = last_known
    for link in links:
        if link.seq == seq:
            if link.sealed_hash != sealed_hash:
                raise SnapshotChainError(
                    f"snapshot #{seq} is not the one this PC last saw: the service replaced it"
                )
            return
    for link in links:
        if link.record.prev_seq == seq and link.record.previous == sealed_hash:
            return  # trimmed by retention, but a listed successor proves it existed
    raise SnapshotChainError(
        f"the service no longer lists snapshot #{seq}, the newest this PC knew of:"
        " it may be hiding or rolling back snapshots"
    )
