"""Sign-up, sign-in (device registration), sign-out, account status, devices, recovery kit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from server import security
from server.clock import iso
from server.db.models import Account, RecoveryKit
from server.domain import accounts
from server.domain.accounts import require_account
from server.domain.export import personal_data
from server.domain.status import account_status
from server.errors import Conflict, Forbidden, NotFound, ServiceError, TooLarge, Unauthorized
from server.policy import subscription

from . import schemas
from .auth import ContextDep, CurrentPrincipal
from .context import Context

router = APIRouter()

MAX_KIT_BYTES = 1024 * 1024


class SignUp(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=accounts.MAX_PASSWORD)


class SignIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=accounts.MAX_PASSWORD)
    device_name: str = Field(min_length=1, max_length=100)
    replace_device: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")


@router.post("/v1/accounts", status_code=201, response_model=schemas.AccountCreatedOut)
def sign_up(body: SignUp, context: ContextDep) -> dict[str, str]:
    """Create a FREE account."""
    accounts.normalize_email(body.email)
    accounts.check_password_rules(body.password)
    password_hash = security.hash_password(body.password)  # slow on purpose: outside the lock
    try:
        with context.db.write() as session:
            account = accounts.create_account(
                session, body.email, password_hash, "FREE", context.clock.now()
            )
            return {"account_id": account.id}
    except IntegrityError:  # the same email signing up twice at the same moment
        raise Conflict("an account with that email already exists") from None


@router.post("/v1/sessions", status_code=201, response_model=schemas.SessionOut)
def sign_in(body: SignIn, context: ContextDep) -> dict[str, str]:
    """Log a device in: returns its token once (the service keeps only its hash)."""
    norm = accounts.normalize_email(body.email)
    now = context.clock.now()
    with context.db.read() as session:
        accounts.check_login_rate(session, norm, now)
        account = accounts.find_by_email(session, body.email)
        account_id = None if account is None else account.id
        stored_hash = None if account is None else account.password_hash
    if not security.verify_password(stored_hash, body.password) or account_id is None:
        with context.db.write() as session:
            accounts.record_sign_in(session, norm, account_id, "bad_credentials", now)
        raise Unauthorized("wrong email or password")
    rehash = stored_hash is not None and security.needs_rehash(stored_hash)
    new_hash = security.hash_password(body.password) if rehash else None
    try:
        with context.db.write() as session:
            fresh = session.get(Account, account_id)
            if fresh is None or fresh.deleted_at is not None:
                raise Unauthorized("wrong email or password")
            if new_hash is not None:
                fresh.password_hash = new_hash
            device, token = accounts.register_device(
                session, fresh, body.device_name, now, body.replace_device
            )
            accounts.record_sign_in(session, norm, account_id, "ok", now, device.id)
            return {"device_id": device.id, "token": token, "account_id": account_id}
    except ServiceError as exc:
        with context.db.write() as session:
            accounts.record_sign_in(session, norm, account_id, exc.code, now)
        raise


@router.delete("/v1/sessions/current", status_code=204)
def sign_out(principal: CurrentPrincipal, context: ContextDep) -> Response:
    with context.db.write() as session:
        accounts.revoke_device(
            session, principal.account_id, principal.device_id, context.clock.now()
        )
    return Response(status_code=204)


@router.head("/v1/account", include_in_schema=False)
@router.get("/v1/account", response_model=schemas.AccountOut)
def get_account(principal: CurrentPrincipal, context: ContextDep) -> dict[str, Any]:
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        return account_status(session, account, context.clock.now())


@router.head("/v1/devices", include_in_schema=False)
@router.get("/v1/devices", response_model=list[schemas.DeviceOut])
def list_devices(principal: CurrentPrincipal, context: ContextDep) -> list[dict[str, Any]]:
    with context.db.read() as session:
        return [
            {
                "device_id": d.id,
                "name": d.name,
                "created_at": iso(d.created_at),
                "last_seen_at": iso(d.last_seen_at),
                "current": d.id == principal.device_id,
            }
            for d in accounts.active_devices(session, principal.account_id)
        ]


@router.delete("/v1/devices/{device_id}", status_code=204)
def revoke_device(device_id: str, principal: CurrentPrincipal, context: ContextDep) -> Response:
    with context.db.write() as session:
        accounts.revoke_device(session, principal.account_id, device_id, context.clock.now())
    return Response(status_code=204)


@router.put("/v1/recovery-kit", status_code=204)
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
@router.get("/v1/recovery-kit")
def get_recovery_kit(principal: CurrentPrincipal, context: ContextDep) -> Response:
    with context.db.read() as session:
        kit = session.get(RecoveryKit, principal.account_id)
        if kit is None:
            raise NotFound("no recovery kit is stored on the service")
        return Response(kit.data, media_type="application/octet-stream")


class Confirm(BaseModel):
    password: str = Field(max_length=accounts.MAX_PASSWORD)


@router.delete("/v1/account", status_code=204)
def delete_account(body: Confirm, principal: CurrentPrincipal, context: ContextDep) -> Response:
    """The owner deletes the account: locked and signed out at once, data removed by the next
    GC run. The password is asked again so a stolen token alone cannot do it."""
    with context.db.read() as session:
        stored_hash = require_account(session, principal.account_id).password_hash
    if not security.verify_password(stored_hash, body.password):
        raise Forbidden("the password is wrong; the account was not deleted")
    now = context.clock.now()
    with context.db.write() as session:
        account = require_account(session, principal.account_id)
        account.state, account.state_since = subscription.ENDED, now
        account.end_reason = subscription.OWNER_DELETED
        for device in accounts.active_devices(session, account.id):
            device.revoked_at = now
    return Response(status_code=204)


@router.head("/v1/account/export", include_in_schema=False)
@router.get("/v1/account/export")
def export_account(principal: CurrentPrincipal, context: ContextDep) -> dict[str, Any]:
    """Everything the service holds about the person, except the encrypted backups themselves
    (which only their key can read; restoring them is the export of those)."""
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        return personal_data(session, account, context.clock.now())
