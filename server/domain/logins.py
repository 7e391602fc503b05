"""Password checks with brute-force limits: sign-in, and the re-confirmation that changing the
password or deleting the account asks for. Every check is recorded in the sign-in history (what
the person sees in their export, and what the limits count).

Argon2 is slow on purpose, so it always runs outside write transactions: a burst of sign-ins
must never hold the database lock while hashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from server import security
from server.db.engine import Database
from server.db.models import Account, SignIn
from server.errors import RateLimited, ServiceError, Unauthorized
from server.policy import logins
from server.policy.logins import Limit

from . import accounts

OK = "ok"
BAD_CREDENTIALS = "bad_credentials"
WRONG_PASSWORD = "wrong_password"  # noqa: S105 - an outcome name; a device re-confirming failed
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an outcome name
SUCCESSES = frozenset({OK, PASSWORD_CHANGED})


@dataclass(frozen=True)
class SignedIn:
    account_id: str
    device_id: str
    token: str


def _failure_times(
    session: Session, whose: ColumnElement[bool], now: datetime, limit: Limit
) -> list[datetime]:
    """The newest failures inside the window: no more than the limit needs to decide."""
    rows = session.scalars(
        select(SignIn.time)
        .where(
            whose,
            SignIn.success.is_(False),
            SignIn.time > now - limit.window,
        )
        .order_by(SignIn.time.desc())
        .limit(limit.max_failures)
    )
    return list(rows)


def check_limits(session: Session, email_norm: str, client: str | None, now: datetime) -> None:
    """Refuse with 429 (and when to retry) while the account or the client is locked out."""
    checks = [(SignIn.email_norm == email_norm, logins.ACCOUNT_LIMIT, "this account")]
    if client:
        checks.append((SignIn.client == client, logins.CLIENT_LIMIT, "this network address"))
    for whose, limit, what in checks:
        until = logins.locked_until(_failure_times(session, whose, now, limit), now, limit)
        if until is not None:
            raise RateLimited(
                f"too many failed sign-ins for {what}; try again after {until:%H:%M} UTC",
                retry_after=logins.retry_after_seconds(until, now),
            )


def record(
    session: Session,
    email_norm: str,
    account_id: str | None,
    outcome: str,
    now: datetime,
    client: str | None,
    device_id: str | None = None,
) -> None:
    session.add(
        SignIn(
            account_id=account_id,
            email_norm=email_norm,
            time=now,
            success=outcome in SUCCESSES,
            device_id=device_id,
            outcome=outcome,
            client=client,
        )
    )


def sign_in(
    db: Database,
    email: str,
    password: str,
    device_name: str,
    replace_device: str | None,
    client: str | None,
    now: datetime,
) -> SignedIn:
    """Check the password and register a device; the same 401 for a wrong email or password."""
    norm = accounts.normalize_email(email)
    with db.read() as session:
        check_limits(session, norm, client, now)
        account = accounts.find_by_email(session, email)
        account_id = None if account is None else account.id
        stored_hash = None if account is None else account.password_hash
    if not security.verify_password(stored_hash, password) or account_id is None:
        with db.write() as session:
            record(session, norm, account_id, BAD_CREDENTIALS, now, client)
        raise Unauthorized("wrong email or password")
    rehash = stored_hash is not None and security.needs_rehash(stored_hash)
    new_hash = security.hash_password(password) if rehash else None
    try:
        with db.write() as session:
            fresh = session.get(Account, account_id)
            if fresh is None or fresh.deleted_at is not None:
                raise Unauthorized("wrong email or password")
            if new_hash is not None:
                fresh.password_hash = new_hash
            device, token = accounts.register_device(
                session, fresh, device_name, now, replace_device
            )
            record(session, norm, account_id, OK, now, client, device.id)
            return SignedIn(account_id, device.id, token)
    except ServiceError as exc:
        with db.write() as session:
            record(session, norm, account_id, exc.code, now, client)
        raise


def confirm_password(
    db: Database, account_id: str, device_id: str, password: str, client: str | None, now: datetime
) -> bool:
    """Re-check the owner's password for a grave action; failures count like failed sign-ins, so
    a stolen token cannot be used to guess the password."""
    with db.read() as session:
        account = accounts.require_account(session, account_id)
        norm, stored_hash = account.email_norm, account.password_hash
        check_limits(session, norm, client, now)
    if security.verify_password(stored_hash, password):
        return True
    with db.write() as session:
        record(session, norm, account_id, WRONG_PASSWORD, now, client, device_id)
    return False
