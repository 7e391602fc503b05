"""The person's own data: export it, delete the account, consent flags, and the optional copy
of their recovery kit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from server import passwords
from server.db.models import RecoveryKit
from server.domain import accounts, logins
from server.domain.accounts import require_account
from server.domain.consents import consents_of, set_consents
from server.domain.export import personal_data
from server.errors import Forbidden, NotFound, TooLarge
from server.policy import subscription

from . import schemas
from .auth import ClientDep, ContextDep, CurrentPrincipal
from .context import Context
from .schemas import errors

router = APIRouter()

MAX_KIT_BYTES = 1024 * 1024


class Confirm(BaseModel):
    password: str = Field(max_length=passwords.MAX_LENGTH)


class ConsentChanges(BaseModel):
    """Each flag true or false (JSON booleans only); a flag left out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    telemetry: StrictBool | None = None
    product_news_email: StrictBool | None = None


@router.head("/v1/account/export", include_in_schema=False)
@router.get("/v1/account/export", response_model=schemas.ExportOut, responses=errors(401))
def export_account(principal: CurrentPrincipal, context: ContextDep) -> dict[str, Any]:
    """Everything the service holds about the person, except the encrypted backups themselves
    (which only their key can read; restoring them is the export of those)."""
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        return personal_data(session, account, context.clock.now())


@router.delete("/v1/account", status_code=204, responses=errors(401, 403, 429))
def delete_account(
    body: Confirm, principal: CurrentPrincipal, context: ContextDep, client: ClientDep
) -> Response:
    """The owner deletes the account: locked and signed out at once, data removed by the next
    GC run. The password is asked again so a stolen token alone cannot do it."""
    now = context.clock.now()
    if not logins.confirm_password(
        context.db, principal.account_id, principal.device_id, body.password, client, now
    ):
        raise Forbidden("the password is wrong; the account was not deleted")
    with context.db.write() as session:
        account = require_account(session, principal.account_id)
        account.state, account.state_since = subscription.ENDED, now
        account.end_reason = subscription.OWNER_DELETED
        accounts.revoke_other_devices(session, account.id, None, now)
    return Response(status_code=204)


@router.head("/v1/account/consents", include_in_schema=False)
@router.get(
    "/v1/account/consents", response_model=dict[str, schemas.ConsentOut], responses=errors(401)
)
def get_consents(principal: CurrentPrincipal, context: ContextDep) -> dict[str, Any]:
    with context.db.read() as session:
        return consents_of(session, principal.account_id)


@router.put(
    "/v1/account/consents", response_model=dict[str, schemas.ConsentOut], responses=errors(401)
)
def put_consents(
    body: ConsentChanges, principal: CurrentPrincipal, context: ContextDep
) -> dict[str, Any]:
    """Turn consent flags on or off; flags left out (or null) keep their value."""
    changes = {name: value for name, value in body.model_dump().items() if value is not None}
    with context.db.write() as session:
        set_consents(session, principal.account_id, changes, context.clock.now())
        return consents_of(session, principal.account_id)


@router.put(
    "/v1/recovery-kit",
    status_code=204,
    responses=errors(401, 413),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def put_recovery_kit(
    request: Request, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_KIT_BYTES:
            raise TooLarge(f"a recovery kit may be at most {MAX_KIT_BYTES} bytes")
    await run_in_threadpool(_save_kit, context, principal, bytes(body))
    return Response(status_code=204)


def _save_kit(context: Context, principal: accounts.Principal, data: bytes) -> None:
    now = context.clock.now()
    with context.db.write() as session:
        kit = session.get(RecoveryKit, principal.account_id)
        if kit is None:
            session.add(RecoveryKit(account_id=principal.account_id, updated_at=now, data=data))
        else:
            kit.data, kit.updated_at = data, now


@router.head("/v1/recovery-kit", include_in_schema=False)
@router.get(
    "/v1/recovery-kit",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
        **errors(401, 404),
    },
)
def get_recovery_kit(principal: CurrentPrincipal, context: ContextDep) -> Response:
    with context.db.read() as session:
        kit = session.get(RecoveryKit, principal.account_id)
        if kit is None:
            raise NotFound("no recovery kit is stored on the service")
        return Response(kit.data, media_type="application/octet-stream")
