"""Safety copy, e-mailed warnings, scheduled jobs, consents, and the client of each sign-in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("packs") as batch:
        batch.add_column(sa.Column("copied_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("sign_ins") as batch:
        batch.add_column(sa.Column("client", sa.String(64), nullable=True))
        batch.create_index("ix_sign_ins_client_time", ["client", "time"])
    op.create_table(
        "consents",
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "notices_sent",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("date", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("account_id", "code", "date", name="uq_notices_account_code_date"),
    )
    op.create_table(
        "jobs",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("running_until", sa.DateTime(), nullable=True),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.Column("last_ok", sa.Boolean(), nullable=True),
        sa.Column("last_summary", sa.String(500), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("jobs")
    op.drop_table("notices_sent")
    op.drop_table("consents")
    with op.batch_alter_table("sign_ins") as batch:
        batch.drop_index("ix_sign_ins_client_time")
        batch.drop_column("client")
    with op.batch_alter_table("packs") as batch:
        batch.drop_column("copied_at")
