"""The metadata database: engine set-up, read and write sessions, and migration to head.

Locking discipline: every write runs in a `write()` session. On SQLite that transaction starts with
`BEGIN IMMEDIATE`, so writers (the service's threads, an admin `gc` in another process) queue on the
database lock instead of failing half-way; readers never block thanks to WAL. Within one process,
writers first queue on a lock (a Python lock between threads, an `flock` of `DATABASE.lock` between
service processes): SQLite's own busy handler polls with sleeps of up to 100 ms, which under load
turns a queue of short transactions into seconds of latency, while a lock hands over at once.
On other databases write paths lock the rows they depend on with
`SELECT ... FOR UPDATE`, and writers of different accounts run in parallel.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None  # type: ignore[assignment]

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
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
                pool_size=16,  # readers run in parallel (WAL); at most one writer at a time
                max_overflow=32,
                hide_parameters=True,  # errors and logs never carry hashes or sealed bytes
            )
            _configure_sqlite(self.engine)
        else:
            # No pre-ping: it costs a round trip per request. After a database restart the
            # first query on a dead connection fails and SQLAlchemy then drops the whole pool.
            self.engine = create_engine(
                url,
                pool_pre_ping=False,
                pool_recycle=600,
                pool_size=16,
                max_overflow=16,
                hide_parameters=True,
            )
        self._writers = WriterLock(make_url(url).database) if self.is_sqlite else None
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only view. Closing (not rolling back) keeps loaded objects readable after."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self, bulk: bool = False) -> Iterator[Session]:
        """One serialized transaction: committed if the block succeeds, rolled back otherwise.
        Keep it short: on SQLite every other writer waits for it. `bulk`: background or bulk
        work that yields to waiting short writers (see `WriterLock`)."""
        queue = self._writers.hold(bulk) if self._writers else contextlib.nullcontext()
        with queue, self._write() as session, session.begin():
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
        if self._writers is not None:
            self._writers.close()


class WriterLock:
    """One writer at a time: threads queue here, processes on an `flock` beside the database
    file (where the platform has one; elsewhere SQLite's busy handler still serializes them,
    only less promptly).

    Bulk writers (recording an upload, GC, scrub) let waiting short writers (a commit, a sign-in)
    go first: a commit is the moment a backup becomes safe, and must not queue behind other
    people's uploads. A bulk writer waits at most `BULK_PATIENCE` before it goes next anyway.
    """

    BULK_PATIENCE = 0.5  # seconds

    def __init__(self, database: str | None) -> None:
        self._state = threading.Condition()
        self._busy = False
        self._short_waiting = 0
        self._bulk_since: list[float] = []  # when each waiting bulk writer started waiting
        self._file: BinaryIO | None = None
        if fcntl is not None and database and database != ":memory:":
            self._file = open(f"{database}.lock", "ab")  # noqa: SIM115 - held for the process

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    @contextmanager
    def hold(self, bulk: bool = False) -> Iterator[None]:
        self._acquire(bulk)
        try:
            if self._file is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if self._file is not None:
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        finally:
            with self._state:
                self._busy = False
                self._state.notify_all()

    def _acquire(self, bulk: bool) -> None:
        with self._state:
            if bulk:
                since = time.monotonic()
                self._bulk_since.append(since)
                try:
                    while self._busy or (self._short_waiting and not self._impatient()):
                        self._state.wait(self.BULK_PATIENCE)
                finally:
                    self._bulk_since.remove(since)
            else:
                self._short_waiting += 1
                try:
                    while self._busy or self._impatient():
                        if not self._busy:
                            self._state.notify_all()  # wake the impatient bulk writer now
                        self._state.wait()
                finally:
                    self._short_waiting -= 1
            self._busy = True

    def _impatient(self) -> bool:
        """A bulk writer has waited its patience out: it goes before the next short one."""
        return (
            bool(self._bulk_since) and time.monotonic() - self._bulk_since[0] > self.BULK_PATIENCE
        )


def _configure_sqlite(engine: Engine) -> None:
    """Take transaction control from pysqlite so writers can ask for BEGIN IMMEDIATE, and make
    every committed transaction durable before it is answered.

    `synchronous=FULL`: in WAL mode SQLite then syncs the log at each commit. With NORMAL, a
    commit survives the process dying but may roll back when the machine loses power, after the
    service has told a client its snapshot is safe, or after GC has already unlinked the files
    of packs whose rows the lost transaction removed. One log sync per write costs a first
    backup of the benchmark's tree about 84 more syncs (one per pack recorded, one commit).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted accounts leave no readable pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
