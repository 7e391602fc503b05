"""Operator statistics: accounts by plan and standing, storage by pack state, history sizes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import Account, BackupSet, Commit, Device, IndexObject, Pack, Trash
from server.policy import retention

from .accounts import standing_of


def service_stats(session: Session, now: datetime) -> dict[str, Any]:
    accounts = list(session.scalars(select(Account).where(Account.deleted_at.is_(None))))
    by_plan = Counter(account.plan_code for account in accounts)
    by_state = Counter(standing_of(session, account, now).state for account in accounts)
    packs: dict[str, dict[str, int]] = {}
    rows = session.execute(select(Pack.state, Pack.lease_until, Pack.expires_at, Pack.size))
    for state, lease_until, expires_at, size in rows:
        usable = retention.pack_usable(state, lease_until, expires_at, now)
        bucket = packs.setdefault(state if usable else f"{state}_expired", {"count": 0, "bytes": 0})
        bucket["count"] += 1
        bucket["bytes"] += size
    return {
        "time": now.isoformat(),
        "accounts": len(accounts),
        "accounts_by_plan": dict(sorted(by_plan.items())),
        "accounts_by_state": dict(sorted(by_state.items())),
        "deleted_accounts": _count(
            session, select(func.count()).where(Account.deleted_at.is_not(None))
        ),
        "active_devices": _count(session, select(func.count()).where(Device.revoked_at.is_(None))),
        "backup_sets": _count(session, select(func.count()).select_from(BackupSet)),
        "packs": dict(sorted(packs.items())),
        "stored_bytes": sum(bucket["bytes"] for bucket in packs.values()),
        "damaged_packs": _count(session, select(func.count()).where(Pack.damaged_at.is_not(None))),
        "snapshots": _count(session, select(func.count()).select_from(Commit)),
        "index_objects": _count(session, select(func.count()).select_from(IndexObject)),
        "trash_objects": _count(session, select(func.count()).select_from(Trash)),
    }


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)
