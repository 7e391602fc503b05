"""Bearer-token authentication: every request checks the token against the database (a SHA-256
index lookup, no slow hash), so a revoked device is refused at once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server.db.models import Account
from server.domain import accounts
from server.domain.accounts import Principal
from server.errors import Unauthorized

from .clientaddr import request_client
from .context import Context, get_context

MAX_TOKEN = 200
# Declares the scheme in the OpenAPI schema; the checking (and the 401 shape) is ours.
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="device_token",
    description="a device token from POST /v1/sessions",
)


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> str:
    """The presented device token, checked for shape only. A coroutine on purpose: FastAPI runs
    plain-function dependencies on a worker thread, and a hop costs more than this check."""
    token = "" if credentials is None else credentials.credentials.strip()
    if not token or len(token) > MAX_TOKEN:
        raise Unauthorized("sign in first: this request needs a device token")
    return token


BearerToken = Annotated[str, Depends(bearer_token)]


def principal_in(session: Session, token: str, now: datetime) -> tuple[Principal, Account, bool]:
    """Who `token` belongs to, their account, and whether the device's last-seen time is due an
    update (see `note_seen`), read in the caller's session so a hot endpoint needs only one."""
    account, device = accounts.authenticate(session, token)
    stale = device.last_seen_at < now - accounts.LAST_SEEN_RESOLUTION
    return Principal(account.id, device.id), account, stale


def note_seen(context: Context, principal: Principal, now: datetime) -> None:
    with context.db.write() as session:
        accounts.touch_device(session, principal.device_id, now)


def current_principal(
    token: BearerToken, context: Annotated[Context, Depends(get_context)]
) -> Principal:
    now = context.clock.now()
    with context.db.read() as session:
        principal, _account, stale = principal_in(session, token, now)
    if stale:
        note_seen(context, principal, now)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
ContextDep = Annotated[Context, Depends(get_context)]
ClientDep = Annotated[str | None, Depends(request_client)]
