"""What every request handler needs: the database, the pack store and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from server.clock import Clock
from server.db.engine import Database
from server.store import PackStore


@dataclass
class Context:
    db: Database
    store: PackStore
    clock: Clock


def get_context(request: Request) -> Context:
    context = request.app.state.context
    assert isinstance(context, Context)
    return context
