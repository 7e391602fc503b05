"""Builds the FastAPI application around one Context (database, stores, clock, settings)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.routing import APIRoute

from server import __version__
from server.domain.uploads import MAX_PACK_BYTES

from . import health, routes_accounts, routes_devices, routes_history, routes_packs, routes_privacy
from .context import Context
from .errors import install_error_handlers
from .requestlog import RequestLog
from .schemas import errors

if TYPE_CHECKING:
    from server.scheduler import Scheduler

MAX_BODY_BYTES = MAX_PACK_BYTES + 1024 * 1024  # no request may be larger than the largest pack
PUBLIC = {("GET", "/healthz"), ("POST", "/v1/accounts"), ("POST", "/v1/sessions")}


def create_app(
    context: Context, scheduler: Scheduler | None = None, request_log: bool = True
) -> FastAPI:
    """The service. `scheduler` (the maintenance jobs) runs while the app is served."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop()

    app = FastAPI(
        title="Keepsake backup service",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        max_body_size=MAX_BODY_BYTES,
        lifespan=lifespan,
    )
    app.state.context = context
    install_error_handlers(app)
    app.add_middleware(RequestLog, enabled=request_log)
    for module in (
        health,
        routes_accounts,
        routes_devices,
        routes_privacy,
        routes_packs,
        routes_history,
    ):
        app.include_router(module.router)
    _document_common_errors(app)
    return app


def _document_common_errors(app: FastAPI) -> None:
    """Every route may answer 400/422 (a malformed request) and 500; routes behind a token 401;
    routes with ids in the path 404; backup and restore routes 402. All in the error shape."""
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        statuses = [400, 422, 500]
        methods = route.methods or set()
        if not any((method, route.path) in PUBLIC for method in methods):
            statuses.append(401)
        if "{" in route.path:
            statuses.append(404)
        if route.path.startswith("/v1/sets/{set_id}"):
            statuses.append(402)
        for status, answer in errors(*statuses).items():
            route.responses.setdefault(status, answer)
