"""The migrations build exactly the schema the models describe, and re-running them is safe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from server.db.engine import Database, sqlite_url
from server.db.models import Base, Plan


def test_migrations_match_models_and_are_idempotent(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "m.db"))
    db.upgrade()
    db.upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() is not None
    assert set(inspect(db.engine).get_table_names()) >= set(Base.metadata.tables)
    db.dispose()


def test_plans_are_seeded_as_data(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "p.db"))
    db.upgrade()
    with db.read() as session:
        plans = {p.code: p for p in session.scalars(select(Plan))}
    assert set(plans) == {"FREE", "UNLIMITED", "PRO"}
    assert plans["FREE"].devices_allowed == 1 and plans["FREE"].inactivity_days == 180
    assert plans["FREE"].quota_bytes is not None and not plans["FREE"].paid
    assert plans["UNLIMITED"].quota_bytes is None and plans["UNLIMITED"].devices_allowed == 1
    assert plans["PRO"].devices_allowed > 1
    assert plans["PRO"].quota_bytes is not None
    assert plans["PRO"].quota_bytes > plans["FREE"].quota_bytes
    assert {p.retention_days for p in plans.values()} == {30}
    db.dispose()
