"""The personal-data export: what the service knows about a person, in one JSON document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import iso
from server.db.models import (
    Account,
    BackupSet,
    Commit,
    Device,
    NoticeSent,
    Pack,
    Plan,
    RecoveryKit,
    SignIn,
)

from .consents import consents_of
from .status import account_status


def _when(value: datetime | None) -> str | None:
    return None if value is None else iso(value)


def billing_state(session: Session, account: Account) -> dict[str, Any]:
    """The subscription as recorded (the account status shows its effect: locks and dates)."""
    plan = session.get(Plan, account.plan_code)
    return {
        "plan": account.plan_code,
        "plan_name": plan.name if plan is not None else account.plan_code,
        "state": account.state,
        "state_since": iso(account.state_since),
        "end_reason": account.end_reason,
        "paid_until": _when(account.paid_until),
        "retention_days_override": account.retention_days,
        "quota_bytes_override": account.quota_bytes,
    }


def personal_data(session: Session, account: Account, now: datetime) -> dict[str, Any]:
    """Account, billing, consents, devices, sign-in history, stored sets (sizes only), e-mails
    sent: everything the service holds about the person except the encrypted backups."""
    when = _when

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
        "billing": billing_state(session, account),
        "consents": consents_of(session, account.id),
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
            {
                "time": iso(s.time),
                "outcome": s.outcome,
                "device_id": s.device_id,
                "client": s.client,
            }
            for s in sign_ins
        ],
        "backup_sets": sets,
        "notices_sent": [
            {"code": n.code, "date": iso(n.date), "sent_at": when(n.sent_at)}
            for n in session.scalars(
                select(NoticeSent)
                .where(NoticeSent.account_id == account.id)
                .order_by(NoticeSent.claimed_at, NoticeSent.pk)
            )
        ],
        "recovery_kit_stored": None if kit is None else iso(kit.updated_at),
    }
