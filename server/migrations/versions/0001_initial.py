"""Initial schema: plans, accounts, devices, sets, packs, commits, indexes, kits, sign-ins, trash.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GIB = 1024**3


def upgrade() -> None:
    plans = op.create_table(
        "plans",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("quota_bytes", sa.BigInteger(), nullable=True),
        sa.Column("devices_allowed", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("inactivity_days", sa.Integer(), nullable=True),
        sa.Column("paid", sa.Boolean(), nullable=False),
    )
    op.bulk_insert(
        plans,
        [
            {
                "code": "FREE",
                "name": "Free",
                "quota_bytes": 5 * GIB,
                "devices_allowed": 1,
                "retention_days": 30,
                "inactivity_days": 180,
                "paid": False,
            },
            {
                "code": "UNLIMITED",
                "name": "Unlimited",
                "quota_bytes": None,
                "devices_allowed": 1,
                "retention_days": 30,
                "inactivity_days": None,
                "paid": True,
            },
            {
                "code": "PRO",
                "name": "Pro",
                "quota_bytes": 2048 * GIB,
                "devices_allowed": 5,
                "retention_days": 30,
                "inactivity_days": None,
                "paid": True,
            },
        ],
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_norm", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("plan_code", sa.String(16), sa.ForeignKey("plans.code"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_since", sa.DateTime(), nullable=False),
        sa.Column("end_reason", sa.String(32), nullable=True),
        sa.Column("paid_until", sa.DateTime(), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("quota_bytes", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_backup_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_devices_account", "devices", ["account_id"])
    op.create_table(
        "backup_sets",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("set_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.UniqueConstraint("account_id", "set_id", name="uq_sets_account_set"),
    )
    op.create_table(
        "packs",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("set_pk", sa.Integer(), sa.ForeignKey("backup_sets.pk"), nullable=False),
        sa.Column("pack_id", sa.String(32), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("damaged_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("set_pk", "pack_id", name="uq_packs_set_pack"),
    )
    op.create_index("ix_packs_set_state", "packs", ["set_pk", "state"])
    op.create_table(
        "commits",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("set_pk", sa.Integer(), sa.ForeignKey("backup_sets.pk"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.Column("index_id", sa.String(32), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=True),
        sa.Column("snapshot_size", sa.Integer(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(64), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("set_pk", "seq", name="uq_commits_set_seq"),
        sa.UniqueConstraint("set_pk", "snapshot_id", name="uq_commits_set_snapshot"),
    )
    op.create_table(
        "index_objects",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("set_pk", sa.Integer(), sa.ForeignKey("backup_sets.pk"), nullable=False),
        sa.Column("index_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("superseded_by", sa.String(32), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("set_pk", "index_id", name="uq_indexes_set_index"),
    )
    op.create_table(
        "recovery_kits",
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "sign_ins",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(32), nullable=True),
        sa.Column("email_norm", sa.String(254), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
    )
    op.create_index("ix_sign_ins_email_time", "sign_ins", ["email_norm", "time"])
    op.create_table(
        "trash",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("object_key", sa.String(200), nullable=False, unique=True),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("delete_after", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "trash",
        "sign_ins",
        "recovery_kits",
        "index_objects",
        "commits",
        "packs",
        "backup_sets",
        "devices",
        "accounts",
        "plans",
    ):
        op.drop_table(table)
