"""Fixtures for service tests: the in-process app on SQLite and on PostgreSQL (the same tests run
against both metadata databases), a hand-set clock, and the loopback S3 endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from server import security
from server.api.app import create_app
from server.clock import FixedClock
from server.context import Context
from server.db.engine import Database, sqlite_url
from server.store.folder import FolderStore
from tests.server.apiharness import START, Harness
from tests.server.postgres import PostgresServer, postgres_bin
from tests.server.s3 import moto_endpoint

# CI installs PostgreSQL (.ci/run): there a missing server fails the suite instead of skipping.
HAVE_POSTGRES = postgres_bin() is not None or os.environ.get("CI") == "true"
DATABASES = ["sqlite", "postgresql"] if HAVE_POSTGRES else ["sqlite"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run, started when a test first needs it."""
    with PostgresServer.started() as server:
        yield server


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty metadata database of each kind."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "keepsake.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.fresh_database()


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Still Argon2id, with test-sized costs: the real process keeps the production parameters.
    monkeypatch.setattr(security, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def harness(database_url: str, tmp_path: Path, cheap_hashing: None) -> Iterator[Harness]:
    db = Database(database_url)
    db.upgrade()
    store = FolderStore(tmp_path / "packs")
    clock = FixedClock(START)
    context = Context(db=db, store=store, clock=clock)
    app = create_app(context, request_log=False)
    # The peer address a real client has (limits per client key on it).
    with TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 50000)) as client:
        yield Harness(client=client, clock=clock, db=db, store=store, data_dir=tmp_path)
    db.dispose()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 protocol server (moto) on loopback, shared by the run."""
    with moto_endpoint() as endpoint:
        yield endpoint
