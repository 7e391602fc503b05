"""Fixtures for service tests: an in-process app on a temp folder with a hand-set clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from server import security
from server.api.app import create_app
from server.api.context import Context
from server.clock import FixedClock
from server.db.engine import Database, sqlite_url
from server.store.folder import FolderStore
from tests.server.apiharness import START, Harness


@pytest.fixture
def harness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    # Still Argon2id, with test-sized costs: the real process keeps the production parameters.
    monkeypatch.setattr(security, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    db = Database(sqlite_url(tmp_path / "keepsake.db"))
    db.upgrade()
    store = FolderStore(tmp_path / "packs")
    clock = FixedClock(START)
    app = create_app(Context(db=db, store=store, clock=clock))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Harness(client=client, clock=clock, db=db, store=store, data_dir=tmp_path)
    db.dispose()
