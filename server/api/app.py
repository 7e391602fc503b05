"""Builds the FastAPI application around one Context (database, pack store, clock)."""

from __future__ import annotations

from fastapi import FastAPI

from server import __version__

from . import routes_accounts, routes_history, routes_packs
from .context import Context
from .errors import install_error_handlers


def create_app(context: Context) -> FastAPI:
    app = FastAPI(
        title="Keepsake backup service",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    app.state.context = context
    install_error_handlers(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(routes_accounts.router)
    app.include_router(routes_packs.router)
    app.include_router(routes_history.router)
    return app
