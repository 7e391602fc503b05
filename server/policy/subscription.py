"""Subscription standing: is the account locked, since when, what gets deleted when, and the
dated warnings that announce each lock or deletion before it happens (DESIGN §5).

- Paid plans run while paid: an explicit `overdue` state, or a `paid_until` date that has passed,
  locks backup and restore (HTTP 402) until payment is recorded. Nothing is deleted for being
  overdue.
- FREE expires after `inactivity_days` (180) without backup activity; a warning comes
  14 days before. Expiry ends the subscription.
- An ended subscription is locked, and its data is deleted 30 days after the end.
- An account its owner deleted is locked at once and its data goes at the next GC run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.clock import iso

ACTIVE, OVERDUE, ENDED = "active", "overdue", "ended"
# Why backup and restore are locked (`Standing.lock_reason`); an ended subscription is locked for
# its end reason (stored on the account), one of END_REASONS.
PAYMENT_OVERDUE = "payment_overdue"
SUBSCRIPTION_ENDED = "subscription_ended"  # ended by billing: cancelled or unpaid for good
INACTIVE = "inactive"  # a FREE account expired without backup activity
OWNER_DELETED = "deleted_by_owner"
END_REASONS = (SUBSCRIPTION_ENDED, INACTIVE, OWNER_DELETED)

# The codes of the dated warnings (`Notice.code`) an account status carries. The app words each
# code in the person's language and shows the English `message` only for a code it does not
# know, so a new code here needs its wording in the app (tests/gui checks every one).
LOCKED = "locked"
PAYMENT_DUE = "payment_due"
INACTIVITY_EXPIRY = "inactivity_expiry"
DATA_DELETION = "data_deletion"
QUOTA_NEARLY_FULL = "quota_nearly_full"  # server.domain.quota_alerts
QUOTA_FULL = "quota_full"  # server.domain.quota_alerts
DAMAGED_PACKS = "damaged_packs"  # server.domain.status
WARNING_CODES = (
    LOCKED,
    PAYMENT_DUE,
    INACTIVITY_EXPIRY,
    DATA_DELETION,
    QUOTA_NEARLY_FULL,
    QUOTA_FULL,
    DAMAGED_PACKS,
)
WARN_BEFORE = timedelta(days=14)
DELETE_AFTER_END = timedelta(days=30)


@dataclass(frozen=True)
class Terms:
    """The plan as it applies to one account (overrides already applied)."""

    plan: str
    quota_bytes: int | None
    devices_allowed: int
    retention_days: int
    inactivity_days: int | None
    paid: bool


@dataclass(frozen=True)
class Facts:
    """What the records say about an account's subscription."""

    state: str
    state_since: datetime
    end_reason: str | None
    paid_until: datetime | None
    created_at: datetime
    last_backup_at: datetime | None


@dataclass(frozen=True)
class Notice:
    code: str
    date: datetime
    message: str


@dataclass(frozen=True)
class Standing:
    state: str  # effective state: active | overdue | ended
    since: datetime | None  # when the effective state began (None while active)
    lock_reason: str | None  # None: backup and restore allowed
    delete_data_at: datetime | None
    warnings: tuple[Notice, ...]

    @property
    def locked(self) -> bool:
        return self.lock_reason is not None


def inactivity_expiry(terms: Terms, facts: Facts) -> datetime | None:
    if terms.inactivity_days is None:
        return None
    last_activity = max(facts.created_at, facts.last_backup_at or facts.created_at)
    return last_activity + timedelta(days=terms.inactivity_days)


def standing(terms: Terms, facts: Facts, now: datetime) -> Standing:
    if facts.state == ENDED:
        return _ended(facts.state_since, facts.end_reason or SUBSCRIPTION_ENDED)
    expiry = inactivity_expiry(terms, facts)
    if expiry is not None and now >= expiry:
        return _ended(expiry, INACTIVE)

    warnings: list[Notice] = []
    overdue_since = _overdue_since(facts)
    if overdue_since is not None and now >= overdue_since:
        warnings.append(
            Notice(
                LOCKED,
                overdue_since,
                f"Backup and restore are locked since {_day(overdue_since)}: payment is overdue. "
                "Nothing is deleted while the subscription is only overdue.",
            )
        )
        return Standing(OVERDUE, overdue_since, PAYMENT_OVERDUE, None, tuple(warnings))
    if overdue_since is not None and now >= overdue_since - WARN_BEFORE:
        warnings.append(
            Notice(
                PAYMENT_DUE,
                overdue_since,
                f"Payment is due by {_day(overdue_since)}; backup and restore lock after that.",
            )
        )
    if expiry is not None and now >= expiry - WARN_BEFORE:
        warnings.append(
            Notice(
                INACTIVITY_EXPIRY,
                expiry,
                f"This free account expires on {_day(expiry)} unless a backup runs before then; "
                f"its backups are deleted {DELETE_AFTER_END.days} days after it expires.",
            )
        )
    return Standing(ACTIVE, None, None, None, tuple(warnings))


def _overdue_since(facts: Facts) -> datetime | None:
    dates = []
    if facts.state == OVERDUE:
        dates.append(facts.state_since)
    if facts.paid_until is not None:
        dates.append(facts.paid_until)
    return min(dates) if dates else None


def _ended(since: datetime, reason: str) -> Standing:
    delete_at = since if reason == OWNER_DELETED else since + DELETE_AFTER_END
    why = {
        INACTIVE: "this free account expired after a long time without backups",
        OWNER_DELETED: "the account owner asked for its deletion",
    }.get(reason, "the subscription ended")
    notice = Notice(
        DATA_DELETION,
        delete_at,
        f"Backup and restore are locked since {_day(since)} because {why}; "
        f"the backups will be deleted on {_day(delete_at)}.",
    )
    return Standing(ENDED, since, reason, delete_at, (notice,))


def _day(at: datetime) -> str:
    return iso(at)[:10]
