"""The account status a person sees: plan, usage, devices, standing and dated warnings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import as_utc, iso
from server.db.models import Account, BackupSet, Pack
from server.policy.subscription import DAMAGED_PACKS, Notice

from . import quota_alerts
from .accounts import active_devices, standing_of, terms_of
from .sets import usage_bytes


def dated_warnings(
    session: Session, account: Account, now: datetime, used: int | None = None
) -> list[Notice]:
    """Every warning, each dated (a lock, an expiry, a deletion, damage found, the quota crossed):
    the service also sends each by e-mail, once. `used` saves a query when already known."""
    standing = standing_of(session, account, now)
    warnings = list(standing.warnings)
    allowed = terms_of(session, account).quota_bytes
    if allowed is not None and not standing.locked:  # locked: the lock is the news
        used = usage_bytes(session, account.id, now) if used is None else used
        crossings = quota_alerts.current(session, account, now, used)
        warnings += quota_alerts.notices(crossings, used, allowed)
    damaged, since = damaged_packs(session, account.id)
    if damaged and since is not None:
        warnings.append(
            Notice(
                DAMAGED_PACKS,
                since,
                f"{damaged} stored pack(s) failed the service's integrity check and no good copy "
                "could repair them; run a verify in the app, which uploads what is missing again.",
            )
        )
    return warnings


def account_status(session: Session, account: Account, now: datetime) -> dict[str, Any]:
    terms = terms_of(session, account)
    standing = standing_of(session, account, now)
    used = usage_bytes(session, account.id, now)
    warnings = dated_warnings(session, account, now, used)
    return {
        "account_id": account.id,
        "email": account.email,
        "plan": terms.plan,
        "state": standing.state,
        "locked": standing.locked,
        "lock_reason": standing.lock_reason,
        "locked_since": None if standing.since is None else iso(standing.since),
        "delete_data_at": None if standing.delete_data_at is None else iso(standing.delete_data_at),
        "quota_bytes": terms.quota_bytes,
        "usage_bytes": used,
        "retention_days": terms.retention_days,
        "devices_used": len(active_devices(session, account.id)),
        "devices_allowed": terms.devices_allowed,
        "paid_until": None if account.paid_until is None else iso(account.paid_until),
        "created_at": iso(account.created_at),
        "last_backup_at": None if account.last_backup_at is None else iso(account.last_backup_at),
        "warnings": [{"code": w.code, "date": iso(w.date), "message": w.message} for w in warnings],
    }


def damaged_packs(session: Session, account_id: str) -> tuple[int, datetime | None]:
    """How many of the account's packs are damaged, and since when the first one is."""
    count, first = session.execute(
        select(func.count(), func.min(Pack.damaged_at))
        .select_from(Pack)
        .join(BackupSet, Pack.set_pk == BackupSet.pk)
        .where(BackupSet.account_id == account_id, Pack.damaged_at.is_not(None))
    ).one()
    return int(count or 0), None if first is None else as_utc(first)
