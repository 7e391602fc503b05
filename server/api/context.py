"""The request's view of the process-wide Context (database, stores, clock, settings)."""

from __future__ import annotations

from fastapi import Request

from server.context import Context

__all__ = ["Context", "context_of", "get_context"]


def context_of(request: Request) -> Context:
    context = request.app.state.context
    assert isinstance(context, Context)
    return context


async def get_context(request: Request) -> Context:
    """A coroutine on purpose: FastAPI runs a plain-function dependency on a worker thread, and
    a thread hop per request costs more than the lookup."""
    return context_of(request)
