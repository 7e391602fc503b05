"""Backup sets and their packs: ownership, leases, usage and the pack live set."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from server import checksums, ids
from server.checksums import Checksum
from server.db.models import Account, BackupSet, Pack
from server.errors import NotFound, SubscriptionLocked
from server.policy import retention
from server.policy.retention import LEASED, LIVE, REMOVED

from .accounts import standing_of


def require_unlocked(session: Session, account: Account, now: datetime) -> None:
    """Backup and restore endpoints refuse a locked subscription with 402 and its reason."""
    standing = standing_of(session, account, now)
    if standing.lock_reason is not None:
        message = standing.warnings[0].message if standing.warnings else "the account is locked"
        raise SubscriptionLocked(message, standing.lock_reason, standing.since)


_SET = select(BackupSet).where(
    BackupSet.account_id == bindparam("account_id"), BackupSet.set_id == bindparam("set_id")
)


def _in_the_accounts_set(*columns: Any) -> Select[Any]:
    """Columns of the packs of one set of one account (`account_id`, `set_id` bound later)."""
    return (
        select(*columns)
        .join(BackupSet, Pack.set_pk == BackupSet.pk)
        .where(
            BackupSet.account_id == bindparam("account_id"),
            BackupSet.set_id == bindparam("set_id"),
        )
    )


# A pack by the account, set and pack ids: one query for a restore's many ranged reads.
_PACK_OF = _in_the_accounts_set(Pack.object_key, Pack.size, Pack.checksum).where(
    Pack.pack_id == bindparam("pack_id")
)
_PACK = select(Pack).where(Pack.set_pk == bindparam("set_pk"), Pack.pack_id == bindparam("pack_id"))


def find_set(session: Session, account_id: str, set_id: str, lock: bool = False) -> BackupSet:
    """The account's set, or 404 (for malformed ids and other accounts' sets alike). `lock`
    takes its row lock (other databases; SQLite's write transaction is already exclusive)."""
    if not ids.is_id(set_id):
        raise NotFound("no such backup set")
    params = {"account_id": account_id, "set_id": set_id}
    if lock:
        query = _SET.with_for_update().execution_options(populate_existing=True)
        backup_set = session.scalars(query, params).first()
    else:
        backup_set = session.scalars(_SET, params).first()
    if backup_set is None:
        raise NotFound("no such backup set")
    return backup_set


def stored_pack(
    session: Session, account_id: str, set_id: str, pack_id: str
) -> tuple[str, int, Checksum]:
    """(object key, size, checksum) of a pack of the account's set, or 404 naming what is
    missing (the set or the pack), as `find_set` then `require_pack` would."""
    row = None
    if ids.is_id(set_id) and ids.is_id(pack_id):
        params = {"account_id": account_id, "set_id": set_id, "pack_id": pack_id}
        row = session.execute(_PACK_OF, params).first()
    if row is None:
        find_set(session, account_id, set_id)  # raises when it is the set that is missing
        raise NotFound("no such pack")
    return str(row[0]), int(row[1]), checksums.parse(str(row[2]))


_PACKS_OF = _in_the_accounts_set(Pack.pack_id, Pack.object_key, Pack.size).where(
    Pack.pack_id.in_(bindparam("pack_ids", expanding=True))
)


def stored_packs(
    session: Session, account_id: str, set_id: str, pack_ids: Collection[str]
) -> dict[str, tuple[str, int]]:
    """(object key, size) of each of the account's packs, by id, in one query; 404 when one of
    them is not (or when the set is missing)."""
    found: dict[str, tuple[str, int]] = {}
    if ids.is_id(set_id) and all(ids.is_id(p) for p in pack_ids):
        params = {"account_id": account_id, "set_id": set_id, "pack_ids": list(pack_ids)}
        found = {str(r[0]): (str(r[1]), int(r[2])) for r in session.execute(_PACKS_OF, params)}
    if not pack_ids or any(p not in found for p in pack_ids):
        find_set(session, account_id, set_id)  # raises when it is the set that is missing
        if pack_ids:
            raise NotFound("no such pack")
    return found


def ensure_set(session: Session, account_id: str, set_id: str, now: datetime) -> bool:
    """Create the set if needed; True when it was created."""
    if not ids.is_id(set_id):
        raise NotFound("no such backup set")
    try:
        find_set(session, account_id, set_id)
        return False
    except NotFound:
        session.add(BackupSet(account_id=account_id, set_id=set_id, created_at=now, head_seq=0))
        session.flush()
        return True


def list_sets(session: Session, account_id: str) -> list[BackupSet]:
    return list(
        session.scalars(
            select(BackupSet)
            .where(BackupSet.account_id == account_id)
            .order_by(BackupSet.created_at, BackupSet.set_id)
        )
    )


def find_pack(session: Session, backup_set: BackupSet, pack_id: str) -> Pack | None:
    if not ids.is_id(pack_id):
        return None
    return session.scalars(_PACK, {"set_pk": backup_set.pk, "pack_id": pack_id}).first()


def require_pack(session: Session, backup_set: BackupSet, pack_id: str) -> Pack:
    pack = find_pack(session, backup_set, pack_id)
    if pack is None:
        raise NotFound("no such pack")
    return pack


def usable_clause(now: datetime) -> ColumnElement[bool]:
    """SQL twin of `retention.pack_usable` (a test checks they agree)."""
    return or_(
        Pack.state == LIVE,
        and_(Pack.state == LEASED, Pack.lease_until > now),
        and_(Pack.state == REMOVED, Pack.expires_at > now),
    )


def usage_bytes(session: Session, account_id: str, now: datetime) -> int:
    """Storage used: live packs plus leased and removed ones that have not expired."""
    total = session.scalar(
        select(func.coalesce(func.sum(Pack.size), 0))
        .join(BackupSet, Pack.set_pk == BackupSet.pk)
        .where(BackupSet.account_id == account_id, usable_clause(now))
    )
    return int(total or 0)


def listed_packs(session: Session, backup_set: BackupSet, now: datetime) -> list[Pack]:
    """Packs a client may still use: live, leased, and removed but not yet expired."""
    return list(
        session.scalars(
            select(Pack)
            .where(Pack.set_pk == backup_set.pk, usable_clause(now))
            .order_by(Pack.pack_id)
        )
    )


def new_object_key(account_id: str, set_id: str, pack_id: str) -> str:
    """Where a pack's bytes go: by account, set and id prefix, with a per-upload suffix."""
    return f"{account_id}/{set_id}/{pack_id[:2]}/{pack_id}.{secrets.token_hex(4)}"


def lease(pack: Pack, now: datetime) -> None:
    """(Re)start a pack's life as uploaded-but-uncommitted."""
    pack.state = LEASED
    pack.lease_until = retention.lease_until(now)
    pack.removed_at = None
    pack.expires_at = None
