"""A throwaway PostgreSQL server for tests (Debian's postgresql binaries, run as `postgres`).

Started once per test run, with one migrated database that each test gets empty: truncating
every table (the plans excepted) takes milliseconds, where a new database per test means copying
a thousand files.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from server.db.engine import Database
from server.db.models import Base
from tests.support.service import free_port

SHARED = "keepsake_tests"
KEPT = {"plans"}  # seeded by the migrations, never changed by tests


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(*command: str) -> list[str]:
    """initdb refuses to run as root: drop to the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@contextmanager
def postgres_server(max_connections: int = 100) -> Iterator[str]:
    """Yields a SQLAlchemy URL of a fresh server's `postgres` database; stops it afterwards."""
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries are not installed")
    base = Path(tempfile.mkdtemp(prefix="keepsake-pg-"))
    if os.geteuid() == 0:
        record = pwd.getpwnam("postgres")
        os.chown(base, record.pw_uid, record.pw_gid)
    data = base / "data"
    port = free_port()
    initdb = [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
    subprocess.run(
        _as_postgres(*initdb, "--no-sync", "-E", "UTF8"), check=True, capture_output=True
    )
    options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c synchronous_commit=off -c full_page_writes=off -c max_connections={max_connections}"
    )
    pg_ctl = str(binaries / "pg_ctl")
    subprocess.run(
        _as_postgres(
            pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


class PostgresServer:
    """A running server with one migrated database for the tests."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self._shared = create_engine(self.database(SHARED))

    @classmethod
    @contextmanager
    def started(cls) -> Iterator[PostgresServer]:
        with postgres_server() as url:
            server = cls(url)
            try:
                with server._admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{SHARED}"'))
                migrated = Database(server.database(SHARED))
                migrated.upgrade()
                migrated.dispose()
                yield server
            finally:
                server._shared.dispose()
                server._admin.dispose()

    def database(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def fresh_database(self) -> str:
        """The shared database, emptied of everything the previous test stored."""
        tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEPT]
        with self._shared.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return self.database(SHARED)
