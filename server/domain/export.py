"""The personal-data export: what the service knows about a person, in one JSON document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import iso
from server.db.models import Account, BackupSet, Commit, Device, Pack, RecoveryKit, SignIn

from .status import account_status


def personal_data(session: Session, account: Account, now: datetime) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return None if value is None else iso(value)

    devices = session.scalars(
        select(Device).where(Device.account_id == account.id).order_by(Device.created_at)
    )
    sign_ins = session.scalars(
        select(SignIn).where(SignIn.account_id == account.id).order_by(SignIn.time)
    )
    sets = []
    for backup_set in session.scalars(
        select(BackupSet).where(BackupSet.account_id == account.id).order_by(BackupSet.created_at)
    ):
        packs = session.execute(
            select(func.count(), func.coalesce(func.sum(Pack.size), 0)).where(
                Pack.set_pk == backup_set.pk
            )
        ).one()
        snapshots = session.scalar(
            select(func.count()).select_from(Commit).where(Commit.set_pk == backup_set.pk)
        )
        sets.append(
            {
                "set_id": backup_set.set_id,
                "created_at": iso(backup_set.created_at),
                "head_seq": backup_set.head_seq,
                "snapshots_stored": int(snapshots or 0),
                "packs_stored": int(packs[0]),
                "bytes_stored": int(packs[1]),
            }
        )
    kit = session.get(RecoveryKit, account.id)
    return {
        "format": "keepsake-personal-data",
        "version": 1,
        "exported_at": iso(now),
        "account": account_status(session, account, now),
        "devices": [
            {
                "device_id": d.id,
                "name": d.name,
                "created_at": iso(d.created_at),
                "last_seen_at": iso(d.last_seen_at),
                "revoked_at": when(d.revoked_at),
            }
            for d in devices
        ],
        "sign_ins": [
            {"time": iso(s.time), "outcome": s.outcome, "device_id": s.device_id} for s in sign_ins
        ],
        "backup_sets": sets,
        "recovery_kit_stored": None if kit is None else iso(kit.updated_at),
    }
