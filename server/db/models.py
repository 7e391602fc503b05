"""The service's tables. Migrations in `server/migrations` must match these (a test checks it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, TypeDecorator

from server.clock import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite has no time zones), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    pass


class Plan(Base):
    """A subscription plan as data: changing a quota is an UPDATE, not a release."""

    __tablename__ = "plans"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    quota_bytes: Mapped[int | None] = mapped_column(BigInteger)  # None: no quota
    devices_allowed: Mapped[int] = mapped_column(Integer)
    retention_days: Mapped[int] = mapped_column(Integer)
    inactivity_days: Mapped[int | None] = mapped_column(Integer)  # FREE: expires when inactive
    paid: Mapped[bool] = mapped_column(Boolean)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_norm: Mapped[str] = mapped_column(String(254), unique=True)  # case-folded for lookups
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None once deleted
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    state: Mapped[str] = mapped_column(String(16))  # active | overdue | ended
    state_since: Mapped[datetime] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))
    paid_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retention_days: Mapped[int | None] = mapped_column(Integer)  # overrides the plan's
    quota_bytes: Mapped[int | None] = mapped_column(BigInteger)  # overrides the plan's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_backup_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When usage last crossed into "nearly full" / "full" (None: not there now). The dates make
    # each crossing one dated warning, so it is e-mailed once, not at every upload.
    quota_nearly_full_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quota_full_since: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (Index("ix_devices_account", "account_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BackupSet(Base):
    """A client's repository. Set ids are client-chosen, so they are unique per account only."""

    __tablename__ = "backup_sets"
    __table_args__ = (UniqueConstraint("account_id", "set_id", name="uq_sets_account_set"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    set_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    head_seq: Mapped[int] = mapped_column(Integer, default=0)


class Pack(Base):
    """An opaque pack. `object_key` names its bytes in the pack store; a new upload of a
    collected pack gets a new key, so GC can never delete bytes a newer row points to."""

    __tablename__ = "packs"
    __table_args__ = (
        UniqueConstraint("set_pk", "pack_id", name="uq_packs_set_pack"),
        Index("ix_packs_set_state", "set_pk", "state"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_pk: Mapped[int] = mapped_column(ForeignKey("backup_sets.pk"))
    pack_id: Mapped[str] = mapped_column(String(32))
    object_key: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    checksum: Mapped[str] = mapped_column(String(80))  # "<algorithm>:<hex>" (server.checksums)
    state: Mapped[str] = mapped_column(String(16))  # leased | live | removed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    damaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set by scrub
    copied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # in the safety copy since


class Commit(Base):
    """One atomic commit: its sequence number and the sealed snapshot it carried."""

    __tablename__ = "commits"
    __table_args__ = (
        UniqueConstraint("set_pk", "seq", name="uq_commits_set_seq"),
        UniqueConstraint("set_pk", "snapshot_id", name="uq_commits_set_snapshot"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_pk: Mapped[int] = mapped_column(ForeignKey("backup_sets.pk"))
    seq: Mapped[int] = mapped_column(Integer)
    snapshot_id: Mapped[str] = mapped_column(String(32))
    index_id: Mapped[str] = mapped_column(String(32))
    time: Mapped[datetime] = mapped_column(UTCDateTime())
    device_id: Mapped[str | None] = mapped_column(String(32))
    snapshot_size: Mapped[int] = mapped_column(Integer)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))  # makes retried commits idempotent
    # The retention that dated this commit's removals; it bounds how long the snapshot before
    # it stays listed (None on rows from before revision 0002: the account's current one).
    retention_days: Mapped[int | None] = mapped_column(Integer)
    snapshot: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class IndexObject(Base):
    __tablename__ = "index_objects"
    __table_args__ = (UniqueConstraint("set_pk", "index_id", name="uq_indexes_set_index"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_pk: Mapped[int] = mapped_column(ForeignKey("backup_sets.pk"))
    index_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # delta | full
    size: Mapped[int] = mapped_column(Integer)
    superseded_by: Mapped[str | None] = mapped_column(String(32))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class RecoveryKit(Base):
    __tablename__ = "recovery_kits"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SignIn(Base):
    """Sign-in history: what the account page shows and what login rate limiting counts."""

    __tablename__ = "sign_ins"
    __table_args__ = (
        Index("ix_sign_ins_email_time", "email_norm", "time"),
        Index("ix_sign_ins_client_time", "client", "time"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str | None] = mapped_column(String(32))
    email_norm: Mapped[str] = mapped_column(String(254))
    time: Mapped[datetime] = mapped_column(UTCDateTime())
    success: Mapped[bool] = mapped_column(Boolean)
    device_id: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    # The client's address (an IPv6 client's /64): shown in the person's history, and counted by
    # the per-client brute-force limit.
    client: Mapped[str | None] = mapped_column(String(64))


class Trash(Base):
    """Store objects whose rows are gone: GC deletes the bytes after `delete_after`."""

    __tablename__ = "trash"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    object_key: Mapped[str] = mapped_column(String(200), unique=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delete_after: Mapped[datetime] = mapped_column(UTCDateTime())


class Consent(Base):
    """What the person agreed to, with when they last changed it (part of their export)."""

    __tablename__ = "consents"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NoticeSent(Base):
    """Each dated warning e-mailed once: a row is claimed before sending and completed after, so
    two service processes (or the scheduler and `admin notify`) never send the same one twice."""

    __tablename__ = "notices_sent"
    __table_args__ = (
        UniqueConstraint("account_id", "code", "date", name="uq_notices_account_code_date"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    code: Mapped[str] = mapped_column(String(32))
    date: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Job(Base):
    """A scheduled maintenance job (gc, notify, scrub): who runs it and how the last run went.
    `running_until` is a lease, so one of several service processes runs each job at a time."""

    __tablename__ = "jobs"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    running_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_summary: Mapped[str | None] = mapped_column(String(500))


class SignUp(Base):
    """Sign-up attempts per client, only for the per-client sign-up limit: no email is kept, and
    GC drops rows once they are older than the limit's window."""

    __tablename__ = "sign_ups"
    __table_args__ = (Index("ix_sign_ups_client_time", "client", "time"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(64))
    time: Mapped[datetime] = mapped_column(UTCDateTime())


class Release(Base):
    """A client release the operator published (`admin set-release`): what `GET /v1/updates`
    answers. Operator data in the database, so every service process answers the same."""

    __tablename__ = "releases"
    __table_args__ = (Index("ix_releases_platform_published", "platform", "published_at"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))  # "" when for every platform
    version: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(2000))
    notes: Mapped[str | None] = mapped_column(String(4000))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
