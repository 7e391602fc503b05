"""The metadata database: engine set-up, read and write sessions, and migration to head.

Locking discipline: every write runs in a `write()` session. On SQLite that transaction starts with
`BEGIN IMMEDIATE`, so writers (the service's threads, an admin `gc` in another process) queue on the
database lock instead of failing half-way; readers never block thanks to WAL. On other databases
write paths lock the rows they depend on with `SELECT ... FOR UPDATE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

_WRITE_OPTION = "keepsake_write"
_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url,
                connect_args={"timeout": 60, "check_same_thread": False},
                pool_size=8,
                hide_parameters=True,  # errors and logs never carry hashes or sealed bytes
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=8, hide_parameters=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only view. Closing (not rolling back) keeps loaded objects readable after."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One serialized transaction: committed if the block succeeds, rolled back otherwise."""
        with self._write() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (run at every start; a no-op when current)."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.execution_options(**{_WRITE_OPTION: True}).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def compact_log(self) -> None:
        """SQLite: fold the write-ahead log into the database and empty it. With `secure_delete`
        on, deleted rows are zeroed in the database file, but older copies of their pages stay
        in the WAL until it is checkpointed; GC calls this so deleted accounts leave no trace in
        either file. (A checkpoint that readers hold up is finished by the next call.)"""
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    """Take transaction control from pysqlite so writers can ask for BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted accounts leave no readable pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
