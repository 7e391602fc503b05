"""What the engine needs from the outside world, defined by the engine (its only user).

`app.storage` implements these over HTTP, in memory, or on a local folder; the engine never knows
which. All ids are lowercase hex strings on this boundary; all payloads are opaque sealed bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import blake3

from app.core.spool import Spool

# A pack's bytes: whole, in the parts it was built from (in order), or in the temporary file it
# was built in (`app.core.spool`). Parts are sent as they are; joining them first would hold a
# 16 MiB pack twice.
PackBytes = bytes | tuple[bytes, ...] | Spool


def pack_checksum(parts: Iterable[bytes | memoryview]) -> str:
    """Hex BLAKE3 of the parts' concatenation, part by part (no joined copy): the checksum the
    service verifies every pack upload against (BLAKE3 rather than SHA-256: both sides hash
    every byte, and BLAKE3 takes half the processor time)."""
    digest = blake3.blake3()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


class HashedParts(tuple[bytes, ...]):
    """A pack's parts together with the `pack_checksum` of their concatenation (what the service
    checks an upload against). The engine hashes a pack on the thread that finished it, while
    the previous pack is still on the wire, so the uploader only sends. Still a tuple of parts,
    so a store that does not care about the digest takes it as one."""

    checksum: str

    def __new__(cls, parts: tuple[bytes, ...], checksum: str) -> HashedParts:
        made = super().__new__(cls, parts)
        made.checksum = checksum
        return made


class PackStore(Protocol):
    """Where packs of one backup set live."""

    def put_pack(self, pack_id: str, data: PackBytes) -> None:
        """Store a whole pack. Idempotent for identical bytes. Raises StorageError subclasses."""

    def get_pack(self, pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        """Read a pack or a byte range of it. Raises ObjectMissing when absent."""

    def get_pack_ranges(self, ranges: Sequence[tuple[str, int, int]]) -> bytes:
        """Byte ranges (pack id, start, length, each inside its pack) of one or more packs,
        back to back in the order asked for; raises as `get_pack` would for any of them."""

    def pack_size(self, pack_id: str) -> int | None:
        """Size in bytes, or None when the pack does not exist."""

    def list_packs(self) -> dict[str, int]:
        """Every stored pack of the set (committed or leased) with its size."""


@dataclass(frozen=True)
class CommitRequest:
    """One atomic commit: a sealed snapshot, a sealed index delta and the pack live-set delta."""

    snapshot_id: str
    snapshot: bytes
    index_id: str
    index: bytes
    index_kind: str  # "delta" or "full"
    added_packs: Sequence[str]
    removed_packs: Sequence[str]
    supersedes: Sequence[str] = field(default_factory=tuple)  # index ids a full index replaces


@dataclass(frozen=True)
class CommitResult:
    seq: int
    time: str  # service time, ISO 8601 UTC


@dataclass(frozen=True)
class SnapshotEntry:
    snapshot_id: str
    seq: int
    time: str
    size: int


@dataclass(frozen=True)
class IndexEntry:
    index_id: str
    seq: int
    kind: str


@dataclass(frozen=True)
class PackInfo:
    """A pack as the service knows it: live, or removed and ageing out (expires_at set)."""

    pack_id: str
    size: int
    expires_at: str | None


class CommitLog(Protocol):
    """The service's per-set history: commits, snapshots and index objects."""

    def commit(self, request: CommitRequest) -> CommitResult: ...

    def list_snapshots(self) -> list[SnapshotEntry]: ...

    def get_snapshot(self, snapshot_id: str) -> bytes: ...

    def list_indexes(self) -> list[IndexEntry]: ...

    def get_index(self, index_id: str) -> bytes: ...

    def pack_states(self) -> list[PackInfo]: ...
