"""Sign-up, sign-in (device registration), sign-out, password change and the account status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from server import passwords, security
from server.domain import accounts, logins, signups
from server.domain.accounts import require_account
from server.domain.status import account_status
from server.errors import Conflict, Forbidden

from . import schemas
from .auth import ClientDep, ContextDep, CurrentPrincipal
from .schemas import errors

router = APIRouter()

Password = Field(max_length=passwords.MAX_LENGTH)


class SignUp(BaseModel):
    email: str = Field(max_length=254)
    password: str = Password


class SignIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Password
    device_name: str = Field(min_length=1, max_length=accounts.MAX_DEVICE_NAME)
    replace_device: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")


class PasswordChange(BaseModel):
    current_password: str = Password
    new_password: str = Password
    sign_out_other_devices: bool = True


@router.post(
    "/v1/accounts",
    status_code=201,
    response_model=schemas.AccountCreatedOut,
    responses=errors(409, 429),
)
def sign_up(body: SignUp, context: ContextDep, client: ClientDep) -> dict[str, str]:
    """Create a FREE account. At most 20 sign-ups per client address per hour (429)."""
    accounts.normalize_email(body.email)
    passwords.check_password(body.password)
    signups.admit(context.db, client, context.clock.now())
    password_hash = security.hash_password(body.password)  # slow on purpose: outside the lock
    try:
        with context.db.write() as session:
            account = accounts.create_account(
                session, body.email, password_hash, "FREE", context.clock.now()
            )
            return {"account_id": account.id}
    except IntegrityError:  # the same email signing up twice at the same moment
        raise Conflict("an account with that email already exists") from None


@router.post(
    "/v1/sessions",
    status_code=201,
    response_model=schemas.SessionOut,
    responses=errors(401, 403, 404, 429),
)
def sign_in(body: SignIn, context: ContextDep, client: ClientDep) -> dict[str, str]:
    """Log a device in: returns its token once (the service keeps only its hash)."""
    done = logins.sign_in(
        context.db,
        body.email,
        body.password,
        body.device_name,
        body.replace_device,
        client,
        context.clock.now(),
    )
    return {"device_id": done.device_id, "token": done.token, "account_id": done.account_id}


@router.delete("/v1/sessions/current", status_code=204, responses=errors(401))
def sign_out(principal: CurrentPrincipal, context: ContextDep) -> Response:
    with context.db.write() as session:
        accounts.revoke_device(
            session, principal.account_id, principal.device_id, context.clock.now()
        )
    return Response(status_code=204)


@router.put(
    "/v1/account/password",
    response_model=schemas.PasswordChangedOut,
    responses=errors(401, 403, 429),
)
def change_password(
    body: PasswordChange, principal: CurrentPrincipal, context: ContextDep, client: ClientDep
) -> dict[str, int]:
    """Change the password, confirmed with the current one. Every other device is signed out
    unless `sign_out_other_devices` is false: a password is usually changed because someone
    else may know it, and they may have signed in with it."""
    passwords.check_password(body.new_password)
    now = context.clock.now()
    if not logins.confirm_password(
        context.db, principal.account_id, principal.device_id, body.current_password, client, now
    ):
        raise Forbidden("the current password is wrong; the password was not changed")
    new_hash = security.hash_password(body.new_password)
    with context.db.write() as session:
        account = require_account(session, principal.account_id)
        account.password_hash = new_hash
        signed_out = 0
        if body.sign_out_other_devices:
            signed_out = accounts.revoke_other_devices(
                session, account.id, principal.device_id, now
            )
        logins.record(session, account.email_norm, account.id, logins.PASSWORD_CHANGED, now, client)
    return {"devices_signed_out": signed_out}


@router.head("/v1/account", include_in_schema=False)
@router.get("/v1/account", response_model=schemas.AccountOut, responses=errors(401))
def get_account(principal: CurrentPrincipal, context: ContextDep) -> dict[str, Any]:
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        return account_status(session, account, context.clock.now())
