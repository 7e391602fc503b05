"""Bearer-token authentication: every request checks the token against the database (a SHA-256
index lookup, no slow hash), so a revoked device is refused at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.domain import accounts
from server.domain.accounts import Principal
from server.errors import Unauthorized

from .clientaddr import request_client
from .context import Context, get_context

_MAX_TOKEN = 200
# Declares the scheme in the OpenAPI schema; the checking (and the 401 shape) is ours.
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="device_token",
    description="a device token from POST /v1/sessions",
)


def current_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    context: Annotated[Context, Depends(get_context)],
) -> Principal:
    token = "" if credentials is None else credentials.credentials.strip()
    if not token or len(token) > _MAX_TOKEN:
        raise Unauthorized("sign in first: this request needs a device token")
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
ClientDep = Annotated[str | None, Depends(request_client)]
