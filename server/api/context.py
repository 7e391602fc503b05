"""The request's view of the process-wide Context (database, stores, clock, settings)."""

from __future__ import annotations

from fastapi import Request

from server.context import Context

__all__ = ["Context", "get_context"]


def get_context(request: Request) -> Context:
    context = request.app.state.context
    assert isinstance(context, Context)
    return context
