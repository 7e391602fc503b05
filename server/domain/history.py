"""Commits of a backup set: the atomic live-set update, snapshots and index objects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import ids
from server.db.models import Account, BackupSet, Commit, IndexObject, Pack
from server.errors import BadRequest, Conflict, MissingPacks, NotFound
from server.policy import retention
from server.policy.retention import LIVE, REMOVED

from .accounts import terms_of

MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024
ACTIVITY_RESOLUTION = timedelta(minutes=1)
_IN_BATCH = 500  # keeps IN (...) lists under every database's parameter limit


@dataclass(frozen=True)
class CommitInput:
    snapshot_id: str
    snapshot: bytes
    index_id: str
    index: bytes
    index_kind: str
    added_packs: Sequence[str]
    removed_packs: Sequence[str]
    supersedes: Sequence[str]


def validate(data: CommitInput) -> None:
    """Shape checks that need no database."""
    for value in (data.snapshot_id, data.index_id, *data.added_packs, *data.removed_packs):
        if not ids.is_id(value):
            raise BadRequest(f"{value!r} is not a valid id (32 lowercase hex characters)")
    for value in data.supersedes:
        if not ids.is_id(value):
            raise BadRequest(f"{value!r} is not a valid index id")
    if data.index_kind not in ("delta", "full"):
        raise BadRequest("index_kind must be 'delta' or 'full'")
    if data.supersedes and data.index_kind != "full":
        raise BadRequest("only a full index can supersede other indexes")
    if data.index_id in data.supersedes:
        raise BadRequest("an index cannot supersede itself")
    if len(data.snapshot) > MAX_SNAPSHOT_BYTES:
        raise BadRequest(f"a snapshot may be at most {MAX_SNAPSHOT_BYTES} bytes")
    if set(data.added_packs) & set(data.removed_packs):
        raise BadRequest("a pack cannot be both added and removed in one commit")


def commit(
    session: Session,
    account: Account,
    backup_set: BackupSet,
    data: CommitInput,
    device_id: str | None,
    now: datetime,
) -> tuple[Commit, bool]:
    """Apply one commit atomically; (commit, True) when new, (existing, False) on a retry.

    The caller holds the write lock (SQLite) and read the set with its row lock
    (`find_set(..., lock=True)` on other databases), so commits to one set are serialized and
    sequence numbers have no gaps.
    """
    validate(data)
    snapshot_sha = hashlib.sha256(data.snapshot).hexdigest()
    existing = session.scalars(
        select(Commit).where(Commit.set_pk == backup_set.pk, Commit.snapshot_id == data.snapshot_id)
    ).first()
    if existing is not None:
        if existing.snapshot_sha256 == snapshot_sha and existing.index_id == data.index_id:
            return existing, False
        raise Conflict("a different commit with this snapshot id exists")
    if _find_index(session, backup_set, data.index_id) is not None:
        raise Conflict("an index with this id already exists")

    packs = _packs_by_id(session, backup_set, [*data.added_packs, *data.removed_packs])
    missing = sorted(
        {
            pack_id
            for pack_id in data.added_packs
            if pack_id not in packs
            or not retention.pack_usable(
                packs[pack_id].state, packs[pack_id].lease_until, packs[pack_id].expires_at, now
            )
        }
    )
    if missing:
        raise MissingPacks(missing)
    superseded = _indexes_by_id(session, backup_set, data.supersedes)
    unknown = sorted(set(data.supersedes) - set(superseded))
    if unknown:
        raise Conflict(f"unknown index ids in supersedes: {', '.join(unknown)}", indexes=unknown)

    retention_days = terms_of(session, account).retention_days
    for pack_id in data.added_packs:
        added = packs[pack_id]
        added.state, added.lease_until, added.removed_at, added.expires_at = LIVE, None, None, None
    for pack_id in data.removed_packs:  # unknown ids are ignored: nothing to age out
        removed = packs.get(pack_id)
        if removed is not None and removed.state != REMOVED:
            removed.state, removed.lease_until, removed.removed_at = REMOVED, None, now
            removed.expires_at = retention.removal_expiry(now, retention_days)

    seq = backup_set.head_seq + 1
    backup_set.head_seq = seq
    record = Commit(
        set_pk=backup_set.pk,
        seq=seq,
        snapshot_id=data.snapshot_id,
        index_id=data.index_id,
        time=now,
        device_id=device_id,
        snapshot_size=len(data.snapshot),
        snapshot_sha256=snapshot_sha,
        snapshot=data.snapshot,
        retention_days=retention_days,
    )
    session.add(record)
    session.add(
        IndexObject(
            set_pk=backup_set.pk,
            index_id=data.index_id,
            seq=seq,
            kind=data.index_kind,
            size=len(data.index),
            data=data.index,
        )
    )
    for index in superseded.values():
        if index.superseded_by is None:
            index.superseded_by, index.superseded_at = data.index_id, now
    if account.last_backup_at is None or account.last_backup_at < now - ACTIVITY_RESOLUTION:
        account.last_backup_at = now  # backup activity (FREE inactivity); minutes are plenty
    session.flush()
    return record, True


def snapshot_rows(session: Session, backup_set: BackupSet) -> list[Commit]:
    return list(
        session.scalars(select(Commit).where(Commit.set_pk == backup_set.pk).order_by(Commit.seq))
    )


def visible_snapshots(
    session: Session, account: Account, backup_set: BackupSet, now: datetime
) -> list[Commit]:
    rows = snapshot_rows(session, backup_set)
    days = terms_of(session, account).retention_days
    flags = retention.visible_snapshots(
        [(row.time, row.retention_days or days) for row in rows], now
    )
    return [row for row, visible in zip(rows, flags, strict=True) if visible]


def get_snapshot(
    session: Session, account: Account, backup_set: BackupSet, snapshot_id: str, now: datetime
) -> bytes:
    if ids.is_id(snapshot_id):
        for row in visible_snapshots(session, account, backup_set, now):
            if row.snapshot_id == snapshot_id:
                return row.snapshot
    raise NotFound("no such snapshot")


def listed_indexes(session: Session, backup_set: BackupSet) -> list[IndexObject]:
    return list(
        session.scalars(
            select(IndexObject)
            .where(IndexObject.set_pk == backup_set.pk, IndexObject.superseded_by.is_(None))
            .order_by(IndexObject.seq)
        )
    )


def get_index(session: Session, backup_set: BackupSet, index_id: str) -> bytes:
    """Superseded indexes stay readable until GC removes them (a rebuild may be under way)."""
    index = _find_index(session, backup_set, index_id) if ids.is_id(index_id) else None
    if index is None:
        raise NotFound("no such index")
    return index.data


def _find_index(session: Session, backup_set: BackupSet, index_id: str) -> IndexObject | None:
    return session.scalars(
        select(IndexObject).where(
            IndexObject.set_pk == backup_set.pk, IndexObject.index_id == index_id
        )
    ).first()


def _packs_by_id(
    session: Session, backup_set: BackupSet, pack_ids: Iterable[str]
) -> dict[str, Pack]:
    found: dict[str, Pack] = {}
    wanted = sorted(set(pack_ids))
    for start in range(0, len(wanted), _IN_BATCH):
        batch = wanted[start : start + _IN_BATCH]
        for pack in session.scalars(
            select(Pack).where(Pack.set_pk == backup_set.pk, Pack.pack_id.in_(batch))
        ):
            found[pack.pack_id] = pack
    return found


def _indexes_by_id(
    session: Session, backup_set: BackupSet, index_ids: Iterable[str]
) -> dict[str, IndexObject]:
    found: dict[str, IndexObject] = {}
    wanted = sorted(set(index_ids))
    for start in range(0, len(wanted), _IN_BATCH):
        batch = wanted[start : start + _IN_BATCH]
        for index in session.scalars(
            select(IndexObject).where(
                IndexObject.set_pk == backup_set.pk, IndexObject.index_id.in_(batch)
            )
        ):
            found[index.index_id] = index
    return found
