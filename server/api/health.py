"""`GET /healthz` for monitoring: the database and the stores answer, how long the process has
been up, and how the last maintenance runs went. 503 when a check fails, so a plain HTTP monitor
(or a load balancer) takes the process out of rotation and someone is told.

Public and unauthenticated, so it says "ok" or "failing" per check and nothing more; the reason
goes to the log.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from server import __version__
from server.clock import iso
from server.context import Context
from server.domain import jobs
from server.store import PackStore

from . import schemas
from .auth import ContextDep

router = APIRouter()
log = logging.getLogger("keepsake.server.health")


def _database(context: Context) -> bool:
    with context.db.read() as session:
        session.execute(text("SELECT 1"))
    return True


def _store(store: PackStore) -> bool:
    store.check()
    return True


def _run(name: str, check: Any, *args: Any) -> str:
    try:
        check(*args)
    except Exception as exc:
        log.error("health check failed", extra={"check": name, "error": type(exc).__name__})
        return "failing"
    return "ok"


@router.get(
    "/healthz", response_model=schemas.HealthOut, responses={503: {"model": schemas.HealthOut}}
)
def healthz(context: ContextDep) -> JSONResponse:
    checks = {
        "database": _run("database", _database, context),
        "storage": _run("storage", _store, context.store),
    }
    if context.copy_store is not None:
        checks["copy_storage"] = _run("copy_storage", _store, context.copy_store)
    try:
        runs = {
            name: {
                "last_finished_at": None
                if job.last_finished_at is None
                else iso(job.last_finished_at),
                "last_ok": job.last_ok,
            }
            for name, job in jobs.states(context.db).items()
        }
    except Exception:
        runs = {}
    ok = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if ok else "failing",
        "version": __version__,
        "uptime_seconds": int(time.monotonic() - context.started),
        "checks": checks,
        "jobs": runs,
    }
    return JSONResponse(body, status_code=200 if ok else 503)
