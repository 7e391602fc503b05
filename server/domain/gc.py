"""Retention GC: deletes what the policy says has expired, never anything still usable.

Safe while backups run: rows are removed in serialized write transactions (a concurrent commit
either sees the pack and keeps it alive, or does not and gets `missing_packs`), and bytes are
deleted only after their row is gone. A new upload of a collected pack writes a new object key,
so deleting the old bytes can never hit the new ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from server.db.engine import Database
from server.db.models import (
    Account,
    BackupSet,
    Commit,
    Consent,
    Device,
    IndexObject,
    NoticeSent,
    Pack,
    RecoveryKit,
    SignIn,
    SignUp,
    Trash,
)
from server.policy import retention, signups
from server.policy.retention import LEASED, REMOVED
from server.store import PackStore

from .accounts import standing_of, terms_of
from .trash import discard_object

BATCH = 500
HISTORY_KEPT = timedelta(days=365)  # sign-in history and revoked devices, for the account page
STRANGERS_KEPT = timedelta(days=1)  # failed sign-ins for emails without an account: limits only


@dataclass
class GcReport:
    accounts_deleted: list[str] = field(default_factory=list)
    history_pruned: int = 0
    packs_collected: int = 0
    bytes_collected: int = 0
    snapshots_dropped: int = 0
    indexes_dropped: int = 0
    objects_deleted: int = 0

    def summary(self) -> str:
        return (
            f"{self.packs_collected} pack(s) collected ({self.bytes_collected} bytes), "
            f"{self.objects_deleted} object(s) deleted, {self.snapshots_dropped} snapshot(s) and "
            f"{self.indexes_dropped} index object(s) dropped, "
            f"{len(self.accounts_deleted)} account(s) deleted"
        )


def collect(
    db: Database,
    store: PackStore,
    now: datetime,
    grace: timedelta = retention.GRACE,
    copy: PackStore | None = None,
) -> GcReport:
    """One retention pass. `copy` is the safety copy: every object deleted from the store is
    deleted there too, so a deleted account leaves nothing behind in either."""
    report = GcReport()
    _delete_due_accounts(db, now, report)
    _collect_packs(db, now, grace, report)
    _drop_trimmed_history(db, now, grace, report)
    _empty_trash(db, [store] if copy is None else [store, copy], now, report)
    _prune_history(db, now, report)
    db.compact_log()
    return report


def _prune_history(db: Database, now: datetime, report: GcReport) -> None:
    with db.write(bulk=True) as session:
        for statement in (
            delete(SignIn).where(SignIn.time < now - HISTORY_KEPT),
            delete(SignIn).where(SignIn.account_id.is_(None), SignIn.time < now - STRANGERS_KEPT),
            delete(Device).where(Device.revoked_at < now - HISTORY_KEPT),
            delete(SignUp).where(SignUp.time <= now - signups.CLIENT_LIMIT.window),
        ):
            result = session.execute(statement)
            report.history_pruned += int(getattr(result, "rowcount", 0) or 0)


def _delete_due_accounts(db: Database, now: datetime, report: GcReport) -> None:
    with db.read() as session:
        due = [
            account.id
            for account in session.scalars(select(Account).where(Account.deleted_at.is_(None)))
            if (deadline := standing_of(session, account, now).delete_data_at) is not None
            and deadline <= now
        ]
    for account_id in due:
        with db.write(bulk=True) as session:
            account = session.get(Account, account_id)
            if account is None or account.deleted_at is not None:
                continue
            deadline = standing_of(session, account, now).delete_data_at
            if deadline is None or deadline > now:  # reopened meanwhile
                continue
            delete_account_data(session, account, now)
            report.accounts_deleted.append(account_id)


def delete_account_data(session: Session, account: Account, now: datetime) -> None:
    """Remove everything the account stored and anonymize what remains of the record."""
    set_pks = list(session.scalars(select(BackupSet.pk).where(BackupSet.account_id == account.id)))
    for set_pk in set_pks:
        for pack in session.scalars(select(Pack).where(Pack.set_pk == set_pk)):
            discard_object(session, pack.object_key, now)
        session.execute(delete(Pack).where(Pack.set_pk == set_pk))
        session.execute(delete(Commit).where(Commit.set_pk == set_pk))
        session.execute(delete(IndexObject).where(IndexObject.set_pk == set_pk))
    session.execute(delete(BackupSet).where(BackupSet.account_id == account.id))
    session.execute(delete(RecoveryKit).where(RecoveryKit.account_id == account.id))
    session.execute(delete(Consent).where(Consent.account_id == account.id))
    session.execute(delete(NoticeSent).where(NoticeSent.account_id == account.id))
    session.execute(
        delete(SignIn).where(
            or_(SignIn.account_id == account.id, SignIn.email_norm == account.email_norm)
        )
    )
    for device in session.scalars(select(Device).where(Device.account_id == account.id)):
        device.revoked_at = device.revoked_at or now
        device.name = "deleted"
    account.email = account.email_norm = f"deleted-{account.id}@deleted.invalid"
    account.password_hash = None
    account.quota_nearly_full_since = account.quota_full_since = None
    account.deleted_at = now


def _collect_packs(db: Database, now: datetime, grace: timedelta, report: GcReport) -> None:
    due = or_(
        and_(Pack.state == LEASED, Pack.lease_until <= now - grace),
        and_(Pack.state == REMOVED, Pack.expires_at <= now - grace),
    )
    last_pk = 0
    while True:
        with db.write(bulk=True) as session:
            packs = list(
                session.scalars(
                    select(Pack).where(due, Pack.pk > last_pk).order_by(Pack.pk).limit(BATCH)
                )
            )
            for pack in packs:
                last_pk = pack.pk
                if not retention.pack_collectable(
                    pack.state, pack.lease_until, pack.expires_at, now, grace
                ):
                    continue  # the SQL and the policy disagree: trust the policy, keep it
                discard_object(session, pack.object_key, now)
                report.packs_collected += 1
                report.bytes_collected += pack.size
                session.delete(pack)
        if len(packs) < BATCH:
            return


def _drop_trimmed_history(db: Database, now: datetime, grace: timedelta, report: GcReport) -> None:
    """Snapshots no longer listed, and index objects superseded more than a grace period ago."""
    with db.read() as session:
        sets = [(s.pk, s.account_id) for s in session.scalars(select(BackupSet))]
    for set_pk, account_id in sets:
        with db.write(bulk=True) as session:
            account = session.get(Account, account_id)
            if account is None:
                continue
            days = terms_of(session, account).retention_days
            rows = session.execute(
                select(Commit.pk, Commit.time, Commit.retention_days)
                .where(Commit.set_pk == set_pk)
                .order_by(Commit.seq)
            ).all()
            flags = retention.visible_snapshots(
                [(row.time, row.retention_days or days) for row in rows], now
            )
            dropped = [row.pk for row, visible in zip(rows, flags, strict=True) if not visible]
            if dropped:
                session.execute(delete(Commit).where(Commit.pk.in_(dropped)))
                report.snapshots_dropped += len(dropped)
            result = session.execute(
                delete(IndexObject).where(
                    IndexObject.set_pk == set_pk,
                    IndexObject.superseded_at.is_not(None),
                    IndexObject.superseded_at <= now - grace,
                )
            )
            report.indexes_dropped += int(getattr(result, "rowcount", 0) or 0)


def _empty_trash(db: Database, stores: list[PackStore], now: datetime, report: GcReport) -> None:
    with db.read() as session:
        due = list(
            session.execute(select(Trash.pk, Trash.object_key).where(Trash.delete_after <= now))
        )
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        for row in batch:
            for store in stores:
                store.delete(row.object_key)
            report.objects_deleted += 1
        with db.write(bulk=True) as session:
            session.execute(delete(Trash).where(Trash.pk.in_([row.pk for row in batch])))
