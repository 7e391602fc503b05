"""The migrations build exactly the schema the models describe, and re-running them is safe."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

import server
from server.db.engine import Database, sqlite_url
from server.db.models import Base, Pack, Plan


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


def _migrate(db: Database, step: Callable[[Config, str], None], revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(server.__file__).parent / "migrations"))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)


def test_packs_stored_before_blake3_keep_their_sha256_checksums(tmp_path: Path) -> None:
    """0005: the packs of a service that ran before it keep a checksum that names SHA-256, so
    scrub and the safety copy still verify them; going back is refused once BLAKE3 is in use."""
    db = Database(sqlite_url(tmp_path / "c.db"))
    _migrate(db, command.upgrade, "0004")
    digest = hashlib.sha256(b"pack").hexdigest()
    when = datetime(2026, 11, 1)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, email, email_norm, plan_code, state, state_since,"
                " created_at) VALUES ('a' , 'a@example.com', 'a@example.com', 'PRO', 'active',"
                " :when, :when)"
            ),
            {"when": when},
        )
        connection.execute(
            text(
                "INSERT INTO backup_sets (pk, account_id, set_id, created_at, head_seq)"
                " VALUES (1, 'a', :set_id, :when, 0)"
            ),
            {"set_id": "b" * 32, "when": when},
        )
        connection.execute(
            text(
                "INSERT INTO packs (set_pk, pack_id, object_key, size, sha256, state, created_at)"
                " VALUES (1, :pack_id, 'key', 4, :digest, 'live', :when)"
            ),
            {"pack_id": "c" * 32, "digest": digest, "when": when},
        )
    db.upgrade()
    with db.read() as session:
        assert session.scalars(select(Pack.checksum)).all() == [f"sha256:{digest}"]
    _migrate(db, command.downgrade, "0004")  # only SHA-256 packs: nothing is lost going back
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT sha256 FROM packs")).scalars().all() == [digest]
    db.upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE packs SET checksum = :c"), {"c": "blake3:" + "0" * 64})
    with pytest.raises(RuntimeError, match="BLAKE3"):
        _migrate(db, command.downgrade, "0004")
    with db.read() as session:
        assert session.scalars(select(Pack.checksum)).all() == ["blake3:" + "0" * 64]
    db.dispose()
