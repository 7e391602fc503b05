"""MemoryService: one backup set held in memory with the service's rules, for engine tests.

It implements `PackStore` and `CommitLog` the way docs/api.md describes the real service (atomic
commits, sequence numbers, missing-pack refusal, pack leases and expiry, index supersession,
snapshot retention), and it can misbehave on request (tamper, hide, replay, forge, fail) so the
engine's defences against a malicious or flaky service can be tested without a server.
"""

from __future__ import annotations

import builtins
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from app.core.clock import Clock, SystemClock
from app.core.errors import CommitRejected, MissingPacks, ObjectMissing, Permanent
from app.core.ports import (
    CommitRequest,
    CommitResult,
    IndexEntry,
    PackBytes,
    PackInfo,
    SnapshotEntry,
)
from app.core.spool import Spool

T = TypeVar("T")

_ID = re.compile(r"[0-9a-f]{32}")

OPS = (
    "put_pack",
    "get_pack",
    "pack_size",
    "list_packs",
    "commit",
    "list_snapshots",
    "get_snapshot",
    "list_indexes",
    "get_index",
    "pack_states",
)


def _check_id(value: str, kind: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise Permanent(f"invalid {kind} id {value!r}")
    return value


def _same(a: CommitRequest, b: CommitRequest) -> bool:
    def key(r: CommitRequest) -> tuple[object, ...]:
        return (
            r.snapshot_id,
            bytes(r.snapshot),
            r.index_id,
            bytes(r.index),
            r.index_kind,
            tuple(r.added_packs),
            tuple(r.removed_packs),
            tuple(r.supersedes),
        )

    return key(a) == key(b)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Pack:
    data: bytes
    leased_at: datetime
    committed: bool = False
    removed_at: datetime | None = None


@dataclass
class _Snapshot:
    snapshot_id: str
    seq: int
    time: datetime
    data: bytes
    index_id: str
    hidden: bool = False


@dataclass
class _Index:
    index_id: str
    seq: int
    kind: str
    data: bytes
    superseded: bool = False
    hidden: bool = False


@dataclass
class _Fault:
    op: str
    error: BaseException | Callable[[], BaseException]
    times: int
    after: bool

    def make(self) -> BaseException:
        return self.error if isinstance(self.error, BaseException) else self.error()


@dataclass
class _State:
    packs: dict[str, _Pack] = field(default_factory=dict)
    snapshots: list[_Snapshot] = field(default_factory=list)
    indexes: list[_Index] = field(default_factory=list)
    results: dict[str, tuple[CommitRequest, CommitResult]] = field(default_factory=dict)
    seq: int = 0


class MemoryService:
    """PackStore + CommitLog of ONE set. Thread-safe; time comes from the injected clock."""

    def __init__(
        self,
        *,
        retention_days: int = 30,
        lease_hours: int = 96,
        clock: Clock | None = None,
    ) -> None:
        self.retention = timedelta(days=retention_days)
        self.lease = timedelta(hours=lease_hours)
        self._clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._s = _State()
        self._faults: list[_Fault] = []
        self.calls: list[str] = []

    # PackStore

    def put_pack(self, pack_id: str, data: PackBytes) -> None:
        if isinstance(data, Spool):
            data = data.read_all()
        elif isinstance(data, tuple):
            data = b"".join(data)

        def run() -> None:
            _check_id(pack_id, "pack")
            now = self._clock.now()
            with self._lock:
                pack = self._s.packs.get(pack_id)
                if pack is None or self._expired(pack, now):
                    self._s.packs[pack_id] = _Pack(bytes(data), leased_at=now)
                elif pack.data != data:
                    raise Permanent(f"pack {pack_id} already exists with other content")
                else:
                    pack.leased_at = now  # re-uploading renews the lease

        self._op("put_pack", run)

    def get_pack(self, pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        def run() -> bytes:
            if start < 0 or (length is not None and length < 0):
                raise ValueError("invalid byte range")
            with self._lock:
                pack = self._s.packs.get(pack_id)
            if pack is None:
                raise ObjectMissing(f"pack {pack_id}")
            if start > len(pack.data):
                raise Permanent(f"range starting at {start} lies past the end of pack {pack_id}")
            return pack.data[start : None if length is None else start + length]

        return self._op("get_pack", run)

    def get_pack_ranges(self, ranges: Sequence[tuple[str, int, int]]) -> bytes:
        return b"".join(self.get_pack(pack_id, start, length) for pack_id, start, length in ranges)

    def pack_size(self, pack_id: str) -> int | None:
        def run() -> int | None:
            with self._lock:
                pack = self._s.packs.get(pack_id)
            return None if pack is None else len(pack.data)

        return self._op("pack_size", run)

    def list_packs(self) -> dict[str, int]:
        return self._op("list_packs", lambda: {p.pack_id: p.size for p in self._pack_infos()})

    # CommitLog

    def commit(self, request: CommitRequest) -> CommitResult:
        return self._op("commit", lambda: self._commit(request))

    def _commit(self, request: CommitRequest) -> CommitResult:
        _check_id(request.snapshot_id, "snapshot")
        _check_id(request.index_id, "index")
        for pack_id in (*request.added_packs, *request.removed_packs):
            _check_id(pack_id, "pack")
        if request.index_kind not in ("delta", "full"):
            raise Permanent(f"unknown index kind {request.index_kind!r}")
        if request.supersedes and request.index_kind != "full":
            raise Permanent("only a full index can supersede others")
        if set(request.added_packs) & set(request.removed_packs):
            raise Permanent("a pack cannot be added and removed in the same commit")
        now = self._clock.now()
        with self._lock:
            earlier = self._s.results.get(request.snapshot_id)
            if earlier is not None:
                # The same commit sent again (its answer was lost): answer as the first time.
                if _same(earlier[0], request):
                    return earlier[1]
                raise CommitRejected(f"snapshot {request.snapshot_id} was already committed")
            if any(i.index_id == request.index_id for i in self._s.indexes):
                raise CommitRejected(f"index {request.index_id} was already committed")
            missing = [
                p
                for p in request.added_packs
                if p not in self._s.packs or self._expired(self._s.packs[p], now)
            ]
            if missing:
                raise MissingPacks(missing, f"{len(missing)} pack(s) of the commit are missing")
            # Checks done: apply everything, so the commit is all or nothing.
            self._s.seq += 1
            seq = self._s.seq
            for pack_id in request.added_packs:
                pack = self._s.packs[pack_id]
                pack.committed = True
                pack.removed_at = None
            for pack_id in request.removed_packs:
                removed = self._s.packs.get(pack_id)
                if removed is not None and removed.committed and removed.removed_at is None:
                    removed.removed_at = now
            for index in self._s.indexes:
                if index.index_id in request.supersedes:
                    index.superseded = True
            self._s.indexes.append(
                _Index(request.index_id, seq, request.index_kind, bytes(request.index))
            )
            self._s.snapshots.append(
                _Snapshot(request.snapshot_id, seq, now, bytes(request.snapshot), request.index_id)
            )
            result = CommitResult(seq=seq, time=iso(now))
            self._s.results[request.snapshot_id] = (request, result)
            return result

    def list_snapshots(self) -> list[SnapshotEntry]:
        def run() -> list[SnapshotEntry]:
            horizon = self._clock.now() - self.retention
            with self._lock:
                visible = [s for s in self._s.snapshots if not s.hidden]
            newest = visible[-1] if visible else None
            return [
                SnapshotEntry(s.snapshot_id, s.seq, iso(s.time), len(s.data))
                for s in visible
                if s.time >= horizon or s is newest
            ]

        return self._op("list_snapshots", run)

    def get_snapshot(self, snapshot_id: str) -> bytes:
        def run() -> bytes:
            with self._lock:
                for snap in reversed(self._s.snapshots):
                    if snap.snapshot_id == snapshot_id and not snap.hidden:
                        return snap.data
            raise ObjectMissing(f"snapshot {snapshot_id}")

        return self._op("get_snapshot", run)

    def list_indexes(self) -> list[IndexEntry]:
        def run() -> list[IndexEntry]:
            with self._lock:
                return [
                    IndexEntry(i.index_id, i.seq, i.kind)
                    for i in self._s.indexes
                    if not i.superseded and not i.hidden
                ]

        return self._op("list_indexes", run)

    def get_index(self, index_id: str) -> bytes:
        def run() -> bytes:
            with self._lock:
                for index in self._s.indexes:
                    if index.index_id == index_id and not index.hidden:
                        return index.data
            raise ObjectMissing(f"index {index_id}")

        return self._op("get_index", run)

    def pack_states(self) -> list[PackInfo]:
        return self._op("pack_states", self._pack_infos)

    def _pack_infos(self) -> builtins.list[PackInfo]:
        """Live packs, removed ones still ageing out, and uncommitted ones still leased."""
        now = self._clock.now()
        with self._lock:
            return [
                PackInfo(pack_id, len(p.data), self._expiry(p))
                for pack_id, p in sorted(self._s.packs.items())
                if not self._expired(p, now)
            ]

    def _expiry(self, pack: _Pack) -> str | None:
        if pack.removed_at is not None:
            return iso(pack.removed_at + self.retention)
        if not pack.committed:
            return iso(pack.leased_at + self.lease)
        return None

    def _expired(self, pack: _Pack, now: datetime) -> bool:
        if pack.removed_at is not None:
            return now >= pack.removed_at + self.retention
        return not pack.committed and now >= pack.leased_at + self.lease

    # Service-side housekeeping

    def gc(self) -> builtins.list[str]:
        """Physically delete expired packs, as the service's GC would; returns their ids."""
        now = self._clock.now()
        with self._lock:
            gone = [pid for pid, p in self._s.packs.items() if self._expired(p, now)]
            for pack_id in gone:
                del self._s.packs[pack_id]
        return gone

    @property
    def head_seq(self) -> int:
        with self._lock:
            return self._s.seq

    def stored_pack(self, pack_id: str) -> bytes:
        """The bytes as stored, bypassing faults (for assertions)."""
        with self._lock:
            return self._s.packs[pack_id].data

    # Misbehaviour on request

    def fail(
        self,
        op: str,
        error: BaseException | Callable[[], BaseException],
        *,
        times: int = 1,
        after: bool = False,
    ) -> None:
        """The next `times` calls of `op` raise `error`; with `after=True` the call takes effect
        first and only its answer is lost (a commit that landed while the connection died)."""
        if op not in OPS:
            raise ValueError(f"unknown operation {op!r}")
        with self._lock:
            self._faults.append(_Fault(op, error, times, after))

    def tamper_pack(self, pack_id: str, offset: int) -> None:
        """Flip every bit of one byte of a stored pack (negative offsets count from the end)."""
        with self._lock:
            pack = self._s.packs[pack_id]
            data = bytearray(pack.data)
            data[offset] ^= 0xFF
            pack.data = bytes(data)

    def truncate_pack(self, pack_id: str, length: int) -> None:
        with self._lock:
            pack = self._s.packs[pack_id]
            pack.data = pack.data[:length]

    def lose_pack(self, pack_id: str) -> None:
        with self._lock:
            del self._s.packs[pack_id]

    def swap_packs(self, first: str, second: str) -> None:
        with self._lock:
            a, b = self._s.packs[first], self._s.packs[second]
            a.data, b.data = b.data, a.data

    def drop_snapshot(self, snapshot_id: str) -> None:
        """Hide a snapshot from listing and reading, as a service hiding history would."""
        with self._lock:
            for snap in self._s.snapshots:
                if snap.snapshot_id == snapshot_id:
                    snap.hidden = True

    def tamper_snapshot(self, snapshot_id: str, offset: int) -> None:
        with self._lock:
            data = bytearray(self._snapshot(snapshot_id).data)
            data[offset] ^= 0xFF
            self.replace_snapshot(snapshot_id, bytes(data))

    def replace_snapshot(self, snapshot_id: str, data: bytes) -> None:
        """Serve other bytes under a snapshot's id (a forged or swapped snapshot)."""
        with self._lock:
            self._snapshot(snapshot_id)  # KeyError when unknown
            for snap in self._s.snapshots:
                if snap.snapshot_id == snapshot_id:
                    snap.data = bytes(data)

    def inject_snapshot(self, snapshot_id: str, data: bytes) -> int:
        """List a snapshot the client never committed, as the newest; returns its seq."""
        with self._lock:
            self._s.seq += 1
            self._s.snapshots.append(
                _Snapshot(snapshot_id, self._s.seq, self._clock.now(), bytes(data), "")
            )
            return self._s.seq

    def replay_snapshot(self, snapshot_id: str) -> int:
        """List an old snapshot again as the newest (same id and bytes, new seq)."""
        with self._lock:
            old = self._snapshot(snapshot_id)
        return self.inject_snapshot(old.snapshot_id, old.data)

    def rollback(self, seq: int) -> None:
        """Serve the state as of `seq`: later snapshots and indexes disappear from view."""
        with self._lock:
            for snap in self._s.snapshots:
                snap.hidden = snap.hidden or snap.seq > seq
            for index in self._s.indexes:
                index.hidden = index.hidden or index.seq > seq

    def drop_index(self, index_id: str) -> None:
        with self._lock:
            for index in self._s.indexes:
                if index.index_id == index_id:
                    index.hidden = True

    def tamper_index(self, index_id: str, offset: int) -> None:
        with self._lock:
            for index in self._s.indexes:
                if index.index_id == index_id:
                    data = bytearray(index.data)
                    data[offset] ^= 0xFF
                    index.data = bytes(data)
                    return
            raise KeyError(index_id)

    def _snapshot(self, snapshot_id: str) -> _Snapshot:
        for snap in reversed(self._s.snapshots):
            if snap.snapshot_id == snapshot_id:
                return snap
        raise KeyError(snapshot_id)

    def _op(self, op: str, run: Callable[[], T]) -> T:
        with self._lock:
            self.calls.append(op)
            fault = next((f for f in self._faults if f.op == op and f.times > 0), None)
            if fault is not None:
                fault.times -= 1
        if fault is None:
            return run()
        if fault.after:
            run()
        raise fault.make()
