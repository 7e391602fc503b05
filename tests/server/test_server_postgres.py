"""What only PostgreSQL needs on top of the shared suite (which runs every harness test on both
databases): the migrations build the models' schema there too, and commits from many threads
are serialized by row locks instead of SQLite's database-wide write lock."""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db.engine import Database
from server.db.models import Account, BackupSet, Base
from server.domain import history, sets
from server.domain.accounts import create_account
from server.domain.history import CommitInput
from tests.server.conftest import HAVE_POSTGRES
from tests.server.postgres import PostgresServer

pytestmark = pytest.mark.skipif(
    not HAVE_POSTGRES, reason="PostgreSQL server binaries are not installed on this machine"
)


def test_migrations_match_models_on_postgres(postgres: PostgresServer) -> None:
    db = Database(postgres.fresh_database())
    db.upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def test_concurrent_commits_are_serialized_on_postgres(postgres: PostgresServer) -> None:
    db = Database(postgres.fresh_database())
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with db.write() as session:
        account = create_account(session, "pg@example.org", "hash", "PRO", now)
        set_id = secrets.token_hex(16)
        sets.ensure_set(session, account.id, set_id, now)
        account_id = account.id
    seqs: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(10):
                data = CommitInput(
                    secrets.token_hex(16), b"s", secrets.token_hex(16), b"i", "delta", (), (), ()
                )
                with db.write() as session:
                    owner = session.get(Account, account_id)
                    assert owner is not None
                    backup_set = sets.find_set(session, account_id, set_id, lock=True)
                    record, _ = history.commit(session, owner, backup_set, data, None, now)
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
    db.dispose()
