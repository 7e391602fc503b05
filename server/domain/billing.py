"""Payment state changes: the one function through which an account's subscription is paid,
becomes overdue or ends.

Today the admin CLI calls it (`set-payment`, `end-subscription`); a payment provider's webhook
handler would call the same function with what the provider reported, inside its own write
transaction, after checking the provider's signature. Nothing here knows who is calling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from server.db.models import Account, Plan
from server.errors import BadRequest, Conflict
from server.policy import subscription
from server.policy.subscription import SUBSCRIPTION_ENDED, Standing

from .accounts import standing_of

PaymentState = Literal["paid", "overdue", "ended"]


@dataclass(frozen=True)
class PaymentUpdate:
    """What is known about an account's payment.

    - `paid`: the subscription runs (until `paid_until`, or open-ended when None); this also
      reopens an ended account whose data is not deleted yet, and restarts a FREE account's
      inactivity clock.
    - `overdue`: payment is late; backup and restore lock from now (nothing is deleted).
    - `ended`: cancelled or unpaid for good; locked now, data deleted 30 days later.
    `plan`, when given, switches the plan in the same transaction (an upgrade paid for).
    """

    state: PaymentState
    paid_until: datetime | None = None
    plan: str | None = None


def apply_payment(
    session: Session, account: Account, update: PaymentUpdate, now: datetime
) -> Standing:
    """Apply one update to the account (the caller commits) and return its new standing."""
    if account.deleted_at is not None or account.end_reason == subscription.OWNER_DELETED:
        raise Conflict("the account was deleted by its owner; a payment cannot reopen it")
    if update.plan is not None:
        if session.get(Plan, update.plan) is None:
            raise BadRequest(f"unknown plan {update.plan}")
        account.plan_code = update.plan
    if update.state == "paid":
        account.state, account.end_reason, account.state_since = subscription.ACTIVE, None, now
        account.paid_until = update.paid_until
        if account.last_backup_at is None or account.last_backup_at < now:
            account.last_backup_at = now  # restarts a FREE account's inactivity clock
    elif update.state == "overdue":
        if account.state == subscription.ENDED:
            raise BadRequest("the subscription has ended; record a payment to reopen it")
        account.state, account.state_since = subscription.OVERDUE, now
        if update.paid_until is not None:
            account.paid_until = update.paid_until
    elif update.state == "ended":
        if account.state != subscription.ENDED:
            account.state, account.state_since = subscription.ENDED, now
            account.end_reason = SUBSCRIPTION_ENDED
    else:
        raise BadRequest(f"unknown payment state {update.state!r}")
    session.flush()
    return standing_of(session, account, now)
