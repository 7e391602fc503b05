"""The service's SQLite database syncs its log at every commit, on every connection it uses: an
answered commit must survive a power cut, not only the process dying (`synchronous=FULL`)."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.db.engine import Database, sqlite_url

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def settings(session: Session) -> tuple[int, str]:
    synchronous = session.execute(text("PRAGMA synchronous")).scalar_one()
    journal = session.execute(text("PRAGMA journal_mode")).scalar_one()
    return int(synchronous), str(journal)


def test_writes_and_reads_use_a_log_synced_at_every_commit(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "keepsake.db"))
    try:
        with db.write() as session:
            assert settings(session) == (FULL, "wal")
            session.execute(text("CREATE TABLE t (x INTEGER)"))
        with db.write(bulk=True) as session:  # upload records and GC too
            assert settings(session) == (FULL, "wal")
            session.execute(text("INSERT INTO t VALUES (1)"))
        with db.read() as session:
            assert settings(session) == (FULL, "wal")
    finally:
        db.dispose()


def test_every_pooled_connection_is_configured(tmp_path: Path) -> None:
    """Readers run in parallel on connections of their own; each one is set up when opened."""
    db = Database(sqlite_url(tmp_path / "keepsake.db"))
    seen: list[tuple[int, str]] = []
    connections: set[int] = set()
    inside = threading.Barrier(4)
    failures: list[BaseException] = []

    def read() -> None:
        try:
            with db.read() as session:
                seen.append(settings(session))
                connections.add(id(session.connection().connection.dbapi_connection))
                inside.wait(5)  # all four hold a connection at once
        except BaseException as exc:  # told by the test, in its own thread
            failures.append(exc)

    try:
        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert failures == []
        assert len(connections) == 4, "four connections, each configured when it was opened"
        assert seen == [(FULL, "wal")] * 4
    finally:
        db.dispose()
