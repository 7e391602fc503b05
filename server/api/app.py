"""Builds the FastAPI application around one Context (database, stores, clock, settings).

The Keepsake backup service API v1: it stores what clients upload (opaque encrypted packs, sealed
snapshots and index objects), runs retention, and knows each person's subscription. It never
sees names or contents. Errors are `{"error": code, "message": sentence, ...}`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import Receive, Scope, Send

from server import __version__
from server.domain.uploads import MAX_PACK_BYTES

from . import (
    health,
    routes_accounts,
    routes_devices,
    routes_history,
    routes_packs,
    routes_privacy,
    routes_reads,
    routes_updates,
)
from .context import Context
from .errors import install_error_handlers
from .packreads import PackReads
from .requestlog import RequestLog
from .schemas import ErrorOut

if TYPE_CHECKING:
    from server.scheduler import Scheduler

MAX_BODY_BYTES = MAX_PACK_BYTES + 1024 * 1024  # no request may be larger than the largest pack
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/v1/updates"),
    ("POST", "/v1/accounts"),
    ("POST", "/v1/sessions"),
}


class KeepsakeAPI(FastAPI):
    """The application, with a lane of its own for successful pack reads (`PackReads`)."""

    pack_reads: PackReads | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.pack_reads is not None and self.pack_reads.handles(scope):
            await self.pack_reads(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def full(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Every layer and route, for whatever the lane leaves to them."""
        await super().__call__(scope, receive, send)


def create_app(
    context: Context,
    scheduler: Scheduler | None = None,
    request_log: bool = True,
    pack_reads: bool = True,
) -> KeepsakeAPI:
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

    app = KeepsakeAPI(
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
    # Routes are matched in order: the packs' ranged reads (hundreds per restore) come first.
    for module in (
        routes_packs,
        routes_reads,
        routes_history,
        health,
        routes_accounts,
        routes_devices,
        routes_privacy,
        routes_updates,
    ):
        app.include_router(module.router)
    _document_common_errors(app)
    if pack_reads:
        app.pack_reads = PackReads(context, app.full, log=request_log)
    return app


def _document_common_errors(app: FastAPI) -> None:
    """Complete the schema's error answers, all in the `ErrorOut` shape: every operation may
    answer 400/422 (a malformed request) and 500; those behind a token 401; those with ids in
    the path 404; backup and restore operations 402. FastAPI's own 422 shape is not ours."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, routes=app.routes, description=__doc__
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("ErrorOut", ErrorOut.model_json_schema())
            for name in ("HTTPValidationError", "ValidationError"):
                components.pop(name, None)
            error = {"$ref": "#/components/schemas/ErrorOut"}
            for path, operations in schema["paths"].items():
                for method, operation in operations.items():
                    statuses = [400, 422, 500]
                    if (method.upper(), path) not in PUBLIC:
                        statuses.append(401)
                    if "{" in path:
                        statuses.append(404)
                    if path.startswith("/v1/sets/{set_id}"):
                        statuses.append(402)
                    responses = operation.setdefault("responses", {})
                    for status in statuses:
                        responses.setdefault(
                            str(status),
                            {
                                "description": HTTPStatus(status).phrase,
                                "content": {"application/json": {"schema": error}},
                            },
                        )
                    responses["422"]["content"] = {"application/json": {"schema": error}}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
