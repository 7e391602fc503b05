"""Bearer-token authentication: every request checks the token against the database, so a
revoked device is refused at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from server.domain import accounts
from server.domain.accounts import Principal
from server.errors import Unauthorized

from .context import Context, get_context

_MAX_TOKEN = 200


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN:
        raise Unauthorized("sign in first: this request needs a device token")
    return token


def current_principal(
    request: Request, context: Annotated[Context, Depends(get_context)]
) -> Principal:
    token = bearer_token(request)
    now = context.clock.now()
    with context.db.read() as session:
        account, device = accounts.authenticate(session, token)
        principal = Principal(account.id, device.id)
        stale = device.last_seen_at < now - accounts.LAST_SEEN_RESOLUTION
    if stale:
        with context.db.write() as session:
            accounts.touch_device(session, device.id, now)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
ContextDep = Annotated[Context, Depends(get_context)]
