"""The same service on PostgreSQL (the metadata database for scale): migrations, the API's core
flows, and commits from many threads serialized by row locks instead of SQLite's write lock."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server import security
from server.api.app import create_app
from server.api.context import Context
from server.clock import FixedClock
from server.db.engine import Database
from server.db.models import Account, BackupSet, Base
from server.domain import history, sets
from server.domain.gc import collect
from server.domain.history import CommitInput
from server.store.folder import FolderStore
from tests.server.apiharness import START, Harness
from tests.server.postgres import postgres_bin, postgres_server

# CI installs PostgreSQL (.ci/run), so there the suite fails rather than skips without it.
pytestmark = pytest.mark.skipif(
    postgres_bin() is None and os.environ.get("CI") != "true",
    reason="PostgreSQL server binaries are not installed on this machine",
)


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_harness(
    server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Harness]:
    name = f"t_{secrets.token_hex(6)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    db = Database(server_url.rsplit("/", 1)[0] + "/" + name)
    db.upgrade()
    monkeypatch.setattr(security, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    store = FolderStore(tmp_path / "packs")
    clock = FixedClock(START)
    app = create_app(Context(db=db, store=store, clock=clock))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Harness(client=client, clock=clock, db=db, store=store, data_dir=tmp_path)
    db.dispose()


def test_migrations_match_models_on_postgres(pg_harness: Harness) -> None:
    pg_harness.db.upgrade()
    with pg_harness.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_core_flows_on_postgres(pg_harness: Harness) -> None:
    api = pg_harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, put = api.put_pack(set_id, b"on postgres")
    assert put.status_code == 201
    missing = api.commit(set_id, added=[pack_id, secrets.token_hex(16)])
    assert missing.status_code == 409 and missing.json()["error"] == "missing_packs"
    assert api.commit(set_id, added=[pack_id]).json()["seq"] == 1
    got = api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}", headers={"Range": "bytes=3-"})
    assert got.status_code == 206 and got.content == b"postgres"
    assert api.call("GET", "/v1/account").json()["usage_bytes"] == len(b"on postgres")
    other = pg_harness.user()
    assert other.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").status_code == 404
    duplicate = pg_harness.client.post(
        "/v1/accounts", json={"email": api.email.upper(), "password": "whatever123"}
    )
    assert duplicate.status_code == 409


def test_concurrent_commits_are_serialized_on_postgres(pg_harness: Harness) -> None:
    api = pg_harness.user(plan="PRO")
    set_id = api.new_set()
    db, now = pg_harness.db, pg_harness.clock.now()
    seqs: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(10):
                data = CommitInput(
                    secrets.token_hex(16), b"s", secrets.token_hex(16), b"i", "delta", (), (), ()
                )
                with db.write() as session:
                    account = session.query(Account).filter_by(email_norm=api.email).one()
                    backup_set = sets.find_set(session, account.id, set_id)
                    record, _ = history.commit(session, account, backup_set, data, None, now)
                    seqs.append(record.seq)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(seqs) == list(range(1, 41))
    with db.read() as session:
        assert session.query(BackupSet).filter_by(set_id=set_id).one().head_seq == 40


def test_gc_on_postgres(pg_harness: Harness) -> None:
    api = pg_harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"abandoned")
    collect(pg_harness.db, pg_harness.store, pg_harness.clock.now() + timedelta(days=6))
    assert api.call("HEAD", f"/v1/sets/{set_id}/packs/{pack_id}").status_code == 404
    assert list(pg_harness.store.list()) == []
