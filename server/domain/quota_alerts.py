"""Quota crossings of one account (nearly full, full): observed at each upload, at each refused
upload and by the hourly notify run, and stored on the account, so that each crossing is one
dated warning: shown in the account status, and e-mailed once by the notices job."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from server.clock import iso
from server.db.engine import Database
from server.db.models import Account
from server.policy import quota
from server.policy.quota import Crossings
from server.policy.subscription import QUOTA_FULL, QUOTA_NEARLY_FULL, Notice

from .accounts import require_account, terms_of
from .sets import usage_bytes

NEARLY_FULL, FULL = QUOTA_NEARLY_FULL, QUOTA_FULL


def stored(account: Account) -> Crossings:
    return Crossings(account.quota_nearly_full_since, account.quota_full_since)


def current(
    session: Session, account: Account, now: datetime, used: int | None = None
) -> Crossings:
    """The crossings as they are at `now`, without recording anything (what a status shows)."""
    allowed = terms_of(session, account).quota_bytes
    if used is None:
        used = usage_bytes(session, account.id, now) if allowed is not None else 0
    return quota.track(stored(account), used, allowed, now)


def observe(
    session: Session,
    account: Account,
    now: datetime,
    used: int | None = None,
    refused: bool = False,
) -> None:
    """Record the crossings at `now` on the account (inside the caller's write transaction).
    `used` saves a query when the caller has just computed it."""
    allowed = terms_of(session, account).quota_bytes
    if used is None:
        used = usage_bytes(session, account.id, now) if allowed is not None else 0
    after = quota.track(stored(account), used, allowed, now, refused)
    if after != stored(account):
        account.quota_nearly_full_since = after.nearly_full_since
        account.quota_full_since = after.full_since


def note_refused(db: Database, account_id: str, now: datetime) -> None:
    """An upload did not fit: that may be the moment the quota became full."""
    with db.read() as session:
        if require_account(session, account_id).quota_full_since is not None:
            return  # already full: refused retries cost no write
    with db.write() as session:
        observe(session, require_account(session, account_id, lock=True), now, refused=True)


def settle(db: Database, account_ids: Iterable[str], now: datetime) -> None:
    """Record crossings that time alone made (packs expiring, a plan or quota changed), before
    the notices job reads the warnings; only accounts whose crossings changed are written."""
    with db.read() as session:
        found = [session.get(Account, account_id) for account_id in account_ids]
        changed = [
            account.id
            for account in found
            if account is not None and current(session, account, now) != stored(account)
        ]
    if changed:
        with db.write(bulk=True) as session:
            for account_id in changed:
                account = session.get(Account, account_id, with_for_update=True)
                if account is not None and account.deleted_at is None:
                    observe(session, account, now)


def notices(crossings: Crossings, used: int, allowed: int | None) -> list[Notice]:
    """The warnings for the crossings, dated when each one happened."""
    if allowed is None:
        return []
    share = f"{_size(used)} of {_size(allowed)} ({100 * used // max(allowed, 1)} %)"
    found = []
    if crossings.full_since is not None:
        found.append(
            Notice(
                FULL,
                crossings.full_since,
                f"The backup storage has been full since {iso(crossings.full_since)[:10]}: "
                f"{share} is used, and new backups no longer fit. Upgrade the plan, or back up "
                "fewer folders and let older versions expire.",
            )
        )
    elif crossings.nearly_full_since is not None:
        found.append(
            Notice(
                NEARLY_FULL,
                crossings.nearly_full_since,
                f"The backup storage is nearly full: {share} is used. Backups stop when it is "
                "full; upgrade the plan or back up fewer folders.",
            )
        )
    return found


def _size(count: int) -> str:
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"
