"""The ASGI application factory that `serve` hands to uvicorn (`server.asgi:app`).

uvicorn imports it by name so that `--workers N` can start N processes; each builds its own
database pool, stores and scheduler from the same options, passed in the environment as JSON
(options only: secrets such as the SMTP password are read from the environment or the config
file by each process, as in the parent).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from server import logs
from server.config import Settings, resolve

SETTINGS_ENV = "KEEPSAKE_SERVE_OPTIONS"


@dataclass(frozen=True)
class ServeOptions:
    data_dir: Path | None = None
    config: Path | None = None
    database_url: str | None = None
    storage_url: str | None = None
    copy_storage_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    clock_file: Path | None = None
    scheduler: bool = True
    job_check_seconds: float = 60.0
    request_log: bool = True
    log_level: str = "info"
    json_logs: bool = True

    def settings(self) -> Settings:
        return resolve(
            self.data_dir,
            self.database_url,
            self.storage_url,
            copy_storage_url=self.copy_storage_url,
            trusted_proxies=self.trusted_proxies,
            config_file=self.config,
        )

    def prepare(self, settings: Settings) -> None:
        """Once, before any worker starts: bring the schema to the newest migration."""
        from server.db.engine import Database

        database = Database(settings.database_url)
        try:
            database.upgrade()
        finally:
            database.dispose()

    def to_json(self) -> str:
        values: dict[str, Any] = asdict(self)
        for key in ("data_dir", "config", "clock_file"):
            if values[key] is not None:
                values[key] = str(values[key])
        values["trusted_proxies"] = list(self.trusted_proxies)
        return json.dumps(values)

    @classmethod
    def from_json(cls, text: str) -> ServeOptions:
        values = json.loads(text)
        for key in ("data_dir", "config", "clock_file"):
            if values.get(key) is not None:
                values[key] = Path(values[key])
        values["trusted_proxies"] = tuple(values.get("trusted_proxies", ()))
        return cls(**values)


def app() -> FastAPI:
    from server.api.app import create_app
    from server.clock import Clock, FileClock, SystemClock
    from server.context import Context
    from server.db.engine import Database
    from server.scheduler import Scheduler
    from server.store import open_store

    # Request threads mostly wait on SQLite and the disk, then need the GIL back for a moment;
    # with the default 5 ms switch interval each such moment can wait 5 ms behind a busy thread,
    # which under load adds up to hundreds of ms per request. 1 ms keeps them responsive.
    sys.setswitchinterval(0.001)
    options = ServeOptions.from_json(os.environ.get(SETTINGS_ENV, "{}"))
    logs.configure(options.log_level, json_lines=options.json_logs)  # also in worker processes
    settings = options.settings()
    clock: Clock = FileClock(options.clock_file) if options.clock_file else SystemClock()
    copy_url = settings.copy_storage_url
    context = Context(
        db=Database(settings.database_url),
        store=open_store(settings.storage_url),
        clock=clock,
        copy_store=None if copy_url is None else open_store(copy_url),
        smtp=settings.smtp,
        trusted_proxies=settings.trusted_proxies,
    )
    scheduler = Scheduler(context, options.job_check_seconds) if options.scheduler else None
    return create_app(context, scheduler, request_log=options.request_log)
