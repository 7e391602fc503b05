"""Pack checksums name their algorithm: `packs.sha256` becomes `packs.checksum`, stored as
`<algorithm>:<hex>` (`sha256:` for every pack stored before; BLAKE3 from current clients).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("packs") as batch:
        batch.alter_column(
            "sha256",
            new_column_name="checksum",
            existing_type=sa.String(64),
            type_=sa.String(80),
            existing_nullable=False,
        )
    op.execute("UPDATE packs SET checksum = 'sha256:' || checksum")


def downgrade() -> None:
    newer = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM packs WHERE checksum NOT LIKE 'sha256:%'")
    )
    if newer.scalar_one():
        raise RuntimeError(
            "packs stored with a BLAKE3 checksum cannot be described by the older schema; "
            "downgrade refused, nothing changed"
        )
    op.execute("UPDATE packs SET checksum = substr(checksum, 8)")
    with op.batch_alter_table("packs") as batch:
        batch.alter_column(
            "checksum",
            new_column_name="sha256",
            existing_type=sa.String(80),
            type_=sa.String(64),
            existing_nullable=False,
        )
