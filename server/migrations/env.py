"""Alembic environment: uses the caller's connection when given (the service), else a URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from server.db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = os.environ.get("KEEPSAKE_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set KEEPSAKE_DATABASE_URL to the database to migrate")
    engine = create_engine(url)
    with engine.begin() as own_connection:
        _run(own_connection)
