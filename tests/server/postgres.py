"""A throwaway PostgreSQL server for tests (Debian's postgresql binaries, run as `postgres`)."""

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

from tests.support.service import free_port


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
def postgres_server() -> Iterator[str]:
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
    subprocess.run(
        _as_postgres(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)
