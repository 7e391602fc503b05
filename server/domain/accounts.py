"""Accounts, sign-in, devices and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server import ids, security
from server.clock import iso
from server.db.models import Account, Device, Plan
from server.errors import BadRequest, Conflict, DeviceLimit, NotFound, Unauthorized
from server.policy import subscription
from server.policy.subscription import Facts, Standing, Terms

LAST_SEEN_RESOLUTION = timedelta(seconds=60)
MAX_DEVICE_NAME = 100


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account and the device whose token was presented."""

    account_id: str
    device_id: str


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively; the form given at sign-up is kept for display."""
    value = email.strip()
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(value) > 254
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise BadRequest("that is not a valid email address")
    return value.casefold()


def require_account(session: Session, account_id: str, lock: bool = False) -> Account:
    """The caller's account; gone (deleted meanwhile) reads as an invalid token.

    `lock` takes the row lock on databases that have them (SQLite's write transaction already
    serializes writers): quota checks and set creation of one account then run one at a time.
    """
    account = session.get(Account, account_id, with_for_update=lock or None)
    if account is None or account.deleted_at is not None:
        raise Unauthorized("the token is not valid; sign in again")
    return account


def find_by_email(session: Session, email: str) -> Account | None:
    norm = normalize_email(email)
    return session.scalars(
        select(Account).where(Account.email_norm == norm, Account.deleted_at.is_(None))
    ).first()


def require_by_email(session: Session, email: str) -> Account:
    account = find_by_email(session, email)
    if account is None:
        raise NotFound(f"no account with email {email}")
    return account


def create_account(
    session: Session, email: str, password_hash: str, plan: str, now: datetime
) -> Account:
    """Insert an account; the password is hashed by the caller, outside the write lock."""
    norm = normalize_email(email)
    if session.get(Plan, plan) is None:
        raise BadRequest(f"unknown plan {plan}")
    if session.scalars(select(Account.id).where(Account.email_norm == norm)).first():
        raise Conflict("an account with that email already exists")
    account = Account(
        id=ids.new_id(),
        email=email.strip(),
        email_norm=norm,
        password_hash=password_hash,
        plan_code=plan,
        state=subscription.ACTIVE,
        state_since=now,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return account


def active_devices(session: Session, account_id: str) -> list[Device]:
    return list(
        session.scalars(
            select(Device)
            .where(Device.account_id == account_id, Device.revoked_at.is_(None))
            .order_by(Device.created_at, Device.id)
        )
    )


def register_device(
    session: Session,
    account: Account,
    name: str,
    now: datetime,
    replace_device: str | None = None,
) -> tuple[Device, str]:
    """Log a device in, within the plan's device limit.

    At the limit the refusal lists the devices (the password was already checked), so the client
    can offer to replace one, e.g. a reinstalled PC, by signing in again with `replace_device`.
    """
    name = device_name(name)
    devices = active_devices(session, account.id)
    if replace_device is not None:
        replaced = [d for d in devices if d.id == replace_device]
        if not replaced:
            raise NotFound("the device to replace does not exist or is already revoked")
        replaced[0].revoked_at = now
        devices = [d for d in devices if d.id != replace_device]
    allowed = terms_of(session, account).devices_allowed
    if len(devices) >= allowed:
        raise DeviceLimit(
            f"this plan allows {allowed} device(s) and all are in use; replace or revoke one first",
            devices_used=len(devices),
            devices_allowed=allowed,
            devices=[
                {"device_id": d.id, "name": d.name, "last_seen_at": iso(d.last_seen_at)}
                for d in devices
            ],
        )
    token = security.new_token()
    device = Device(
        id=ids.new_id(),
        account_id=account.id,
        name=name,
        token_hash=security.token_hash(token),
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    session.flush()
    return device, token


# Built once: every authenticated request runs it, and building the expression costs more than
# running it (SQLAlchemy then finds the compiled form by the statement's cached key).
_BY_TOKEN = (
    select(Account, Device)
    .join(Device, Device.account_id == Account.id)
    .where(
        Device.token_hash == bindparam("token_hash"),
        Device.revoked_at.is_(None),
        Account.deleted_at.is_(None),
    )
)
_PLAN = select(Plan).where(Plan.code == bindparam("code"))


def authenticate(session: Session, token: str) -> tuple[Account, Device]:
    """The account and device of a bearer token; revoked tokens fail at once."""
    row = session.execute(_BY_TOKEN, {"token_hash": security.token_hash(token)}).first()
    if row is None:
        raise Unauthorized("the token is not valid; sign in again")
    return row[0], row[1]


def touch_device(session: Session, device_id: str, now: datetime) -> None:
    device = session.get(Device, device_id)
    if device is not None and device.last_seen_at < now - LAST_SEEN_RESOLUTION:
        device.last_seen_at = now


def device_name(name: str) -> str:
    """Names are for people (\"Anna's laptop\"); they need not be unique."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_DEVICE_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise BadRequest(
            f"the device name must be 1 to {MAX_DEVICE_NAME} characters, without control characters"
        )
    return name


def require_device(session: Session, account_id: str, device_id: str) -> Device:
    """One of the account's active devices; anything else (another account's too) is a 404."""
    device = session.get(Device, device_id) if ids.is_id(device_id) else None
    if device is None or device.account_id != account_id or device.revoked_at is not None:
        raise NotFound("no such device")
    return device


def revoke_device(session: Session, account_id: str, device_id: str, now: datetime) -> None:
    require_device(session, account_id, device_id).revoked_at = now


def rename_device(session: Session, account_id: str, device_id: str, name: str) -> Device:
    device = require_device(session, account_id, device_id)
    device.name = device_name(name)
    return device


def revoke_other_devices(session: Session, account_id: str, keep: str | None, now: datetime) -> int:
    """Sign out every device but `keep`; returns how many were signed out."""
    others = [d for d in active_devices(session, account_id) if d.id != keep]
    for device in others:
        device.revoked_at = now
    return len(others)


def terms_of(session: Session, account: Account) -> Terms:
    plan = session.scalars(_PLAN, {"code": account.plan_code}).first()
    if plan is None:  # the foreign key makes this impossible
        raise RuntimeError(f"account {account.id} has unknown plan {account.plan_code}")
    return Terms(
        plan=plan.code,
        quota_bytes=account.quota_bytes if account.quota_bytes is not None else plan.quota_bytes,
        devices_allowed=plan.devices_allowed,
        retention_days=account.retention_days or plan.retention_days,
        inactivity_days=plan.inactivity_days,
        paid=plan.paid,
    )


def facts_of(account: Account) -> Facts:
    return Facts(
        state=account.state,
        state_since=account.state_since,
        end_reason=account.end_reason,
        paid_until=account.paid_until,
        created_at=account.created_at,
        last_backup_at=account.last_backup_at,
    )


def standing_of(session: Session, account: Account, now: datetime) -> Standing:
    return subscription.standing(terms_of(session, account), facts_of(account), now)
