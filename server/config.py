"""Where the service keeps its data: the data folder, database URL and pack store URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from server.db.engine import sqlite_url

DATABASE_ENV = "KEEPSAKE_DATABASE_URL"  # keeps a database password off the command line
STORAGE_ENV = "KEEPSAKE_STORAGE_URL"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    storage_url: str


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("keepsake-server", appauthor=False))


def resolve(data_dir: Path | None, database_url: str | None, storage_url: str | None) -> Settings:
    """Explicit options win, then the environment, then the embedded defaults in data_dir."""
    folder = (data_dir or default_data_dir()).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(
        data_dir=folder,
        database_url=database_url
        or os.environ.get(DATABASE_ENV)
        or sqlite_url(folder / "keepsake.db"),
        storage_url=storage_url or os.environ.get(STORAGE_ENV) or str(folder / "packs"),
    )
