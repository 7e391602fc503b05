"""Builds the FastAPI application around one Context (database, pack store, clock)."""

from __future__ import annotations

from fastapi import FastAPI

from server import __version__
from server.domain.uploads import MAX_PACK_BYTES

from . import routes_accounts, routes_history, routes_packs
from .context import Context
from .errors import install_error_handlers
from .schemas import HealthOut

MAX_BODY_BYTES = MAX_PACK_BYTES + 1024 * 1024  # no request may be larger than the largest pack


def create_app(context: Context) -> FastAPI:
    app = FastAPI(
        title="Keepsake backup service",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.context = context
    install_error_handlers(app)

    @app.get("/healthz", response_model=HealthOut)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(routes_accounts.router)
    app.include_router(routes_packs.router)
    app.include_router(routes_history.router)
    return app
