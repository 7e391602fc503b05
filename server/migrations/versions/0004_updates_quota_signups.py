"""Client releases for `GET /v1/updates`, quota crossing dates, and sign-ups per client.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("quota_nearly_full_since", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("quota_full_since", sa.DateTime(), nullable=True))
    op.create_table(
        "sign_ups",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sign_ups_client_time", "sign_ups", ["client", "time"])
    op.create_table(
        "releases",
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("notes", sa.String(4000), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_releases_platform_published", "releases", ["platform", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_releases_platform_published", table_name="releases")
    op.drop_table("releases")
    op.drop_index("ix_sign_ups_client_time", table_name="sign_ups")
    op.drop_table("sign_ups")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("quota_full_since")
        batch.drop_column("quota_nearly_full_since")
