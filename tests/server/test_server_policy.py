"""Policy tables: pack usability and collection, snapshot trimming, subscription standing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.policy import quota, retention
from server.policy.subscription import Facts, Terms, standing

T0 = datetime(2026, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)

# state, lease_until, expires_at, now -> usable, collectable
PACKS = [
    ("live", None, None, T0, True, False),
    ("live", None, None, T0 + 1000 * D, True, False),
    ("leased", T0 + 96 * H, None, T0, True, False),
    ("leased", T0 + 96 * H, None, T0 + 96 * H, False, False),  # lease over, grace running
    ("leased", T0 + 96 * H, None, T0 + 96 * H + D - H, False, False),
    ("leased", T0 + 96 * H, None, T0 + 96 * H + D, False, True),
    ("removed", None, T0 + 30 * D, T0 + 30 * D - H, True, False),
    ("removed", None, T0 + 30 * D, T0 + 30 * D, False, False),
    ("removed", None, T0 + 30 * D, T0 + 31 * D, False, True),
    ("removed", None, None, T0, False, False),  # malformed row: never usable, never collected
    ("bogus", None, None, T0, False, False),
]


@pytest.mark.parametrize(("state", "lease", "expires", "now", "usable", "collectable"), PACKS)
def test_pack_lifecycle(
    state: str,
    lease: datetime | None,
    expires: datetime | None,
    now: datetime,
    usable: bool,
    collectable: bool,
) -> None:
    assert retention.pack_usable(state, lease, expires, now) is usable
    assert retention.pack_collectable(state, lease, expires, now) is collectable


def test_lease_and_expiry_arithmetic() -> None:
    assert retention.lease_until(T0) == T0 + 96 * H
    assert retention.removal_expiry(T0, 30) == T0 + 30 * D
    assert retention.removal_expiry(T0, 90) == T0 + 90 * D


# commit days, now (days), retention -> visible flags
SNAPSHOTS = [
    ([], 0, 30, []),
    ([0], 500, 30, [True]),
    ([0, 10, 20, 40], 45, 30, [False, True, True, True]),
    ([0, 10, 20, 40], 39, 30, [True, True, True, True]),  # day 0 was current on day 39-30
    ([0, 10, 20, 40], 40, 30, [False, True, True, True]),  # replaced exactly at window start
    ([0, 10, 20, 40], 71, 30, [False, False, False, True]),
    ([0, 10, 20, 40], 50, 30, [False, False, True, True]),
    ([0, 1, 2], 33, 30, [False, False, True]),
    ([0, 1, 2], 31, 30, [False, True, True]),
    ([0, 1, 2], 31, 7, [False, False, True]),
]


@pytest.mark.parametrize(("days", "now", "keep", "expected"), SNAPSHOTS)
def test_snapshot_window(days: list[int], now: int, keep: int, expected: list[bool]) -> None:
    times = [T0 + d * D for d in days]
    commits = [(t, keep) for t in times]
    assert retention.visible_snapshots(commits, T0 + now * D) == expected


def test_every_listed_snapshot_outlives_no_pack_it_needs() -> None:
    """A snapshot is listed exactly while the packs its successor removed are kept."""
    times = [T0 + d * D for d in (0, 3, 9, 27, 28, 60)]
    for hour in range(0, 100 * 24, 7):
        now = T0 + hour * H
        past = [t for t in times if t <= now]
        flags = retention.visible_snapshots([(t, 30) for t in past], now)
        for i, visible in enumerate(flags[:-1]):
            removed_by_successor_expire = retention.removal_expiry(past[i + 1], 30)
            kept = retention.pack_usable("removed", None, removed_by_successor_expire, now)
            assert visible == kept, (i, now)


def test_quota() -> None:
    assert not quota.exceeds_quota(90, 10, 100)
    assert quota.exceeds_quota(91, 10, 100)
    assert not quota.exceeds_quota(10**15, 10**15, None)
    assert quota.nearly_full(90, 100) and not quota.nearly_full(89, 100)
    assert not quota.nearly_full(5, None)


FREE = Terms("FREE", 5 * 2**30, 1, 30, 180, False)
PRO = Terms("PRO", 2**41, 5, 30, None, True)


def facts(
    state: str = "active",
    since: datetime = T0,
    reason: str | None = None,
    paid_until: datetime | None = None,
    last_backup: datetime | None = None,
) -> Facts:
    return Facts(state, since, reason, paid_until, T0, last_backup)


# terms, facts, now -> state, lock_reason, since, delete_at, warning codes (with dates)
STANDINGS = [
    (PRO, facts(), T0 + 400 * D, "active", None, None, None, []),
    (PRO, facts(paid_until=T0 + 60 * D), T0 + 45 * D, "active", None, None, None, []),
    (
        PRO,
        facts(paid_until=T0 + 60 * D),
        T0 + 46 * D,
        "active",
        None,
        None,
        None,
        [("payment_due", T0 + 60 * D)],
    ),
    (
        PRO,
        facts(paid_until=T0 + 60 * D),
        T0 + 60 * D,
        "overdue",
        "payment_overdue",
        T0 + 60 * D,
        None,
        [("locked", T0 + 60 * D)],
    ),
    (
        PRO,
        facts("overdue", T0 + 5 * D),
        T0 + 500 * D,
        "overdue",
        "payment_overdue",
        T0 + 5 * D,
        None,
        [("locked", T0 + 5 * D)],
    ),
    (
        PRO,
        facts("ended", T0 + 10 * D, "subscription_ended"),
        T0 + 11 * D,
        "ended",
        "subscription_ended",
        T0 + 10 * D,
        T0 + 40 * D,
        [("data_deletion", T0 + 40 * D)],
    ),
    (
        PRO,
        facts("ended", T0 + 10 * D, "deleted_by_owner"),
        T0 + 11 * D,
        "ended",
        "deleted_by_owner",
        T0 + 10 * D,
        T0 + 10 * D,
        [("data_deletion", T0 + 10 * D)],
    ),
    (FREE, facts(), T0 + 165 * D, "active", None, None, None, []),
    (
        FREE,
        facts(),
        T0 + 166 * D,
        "active",
        None,
        None,
        None,
        [("inactivity_expiry", T0 + 180 * D)],
    ),
    (
        FREE,
        facts(),
        T0 + 180 * D,
        "ended",
        "inactive",
        T0 + 180 * D,
        T0 + 210 * D,
        [("data_deletion", T0 + 210 * D)],
    ),
    (FREE, facts(last_backup=T0 + 100 * D), T0 + 200 * D, "active", None, None, None, []),
    (
        FREE,
        facts(last_backup=T0 + 100 * D),
        T0 + 267 * D,
        "active",
        None,
        None,
        None,
        [("inactivity_expiry", T0 + 280 * D)],
    ),
    (
        FREE,
        facts("ended", T0 + 3 * D, "subscription_ended"),
        T0 + 4 * D,
        "ended",
        "subscription_ended",
        T0 + 3 * D,
        T0 + 33 * D,
        [("data_deletion", T0 + 33 * D)],
    ),
]


@pytest.mark.parametrize(
    ("terms", "record", "now", "state", "reason", "since", "delete_at", "warnings"), STANDINGS
)
def test_standing(
    terms: Terms,
    record: Facts,
    now: datetime,
    state: str,
    reason: str | None,
    since: datetime | None,
    delete_at: datetime | None,
    warnings: list[tuple[str, datetime]],
) -> None:
    result = standing(terms, record, now)
    assert (result.state, result.lock_reason, result.since) == (state, reason, since)
    assert result.delete_data_at == delete_at
    assert result.locked is (reason is not None)
    assert [(w.code, w.date) for w in result.warnings] == warnings
    for warning in result.warnings:
        assert warning.date.date().isoformat() in warning.message


def test_every_lock_and_deletion_is_announced_before_it_happens() -> None:
    """Walking day by day, a lock or deletion is never the first news: a dated warning came first
    (overdue set by an operator is the exception: it is dated the day it is recorded)."""
    cases = [(PRO, facts(paid_until=T0 + 90 * D)), (FREE, facts(last_backup=T0 + 20 * D))]
    for terms, record in cases:
        announced: set[str] = set()
        for day in range(0, 400):
            result = standing(terms, record, T0 + day * D)
            if result.locked:
                assert announced, f"locked on day {day} without warning"
                break
            announced.update(w.code for w in result.warnings)


def test_snapshot_window_follows_the_retention_each_removal_was_dated_with() -> None:
    """Retention raised from 30 to 90 days after a commit: the snapshot before that commit goes
    when the packs the commit removed go (30 days), not 90; lowered, it stays while they stay."""
    raised = [(T0, 30), (T0 + 10 * D, 30), (T0 + 20 * D, 90)]
    assert retention.visible_snapshots(raised, T0 + 40 * D - H) == [True, True, True]
    assert retention.visible_snapshots(raised, T0 + 40 * D) == [False, True, True]
    assert retention.visible_snapshots(raised, T0 + 110 * D - H) == [False, True, True]
    assert retention.visible_snapshots(raised, T0 + 110 * D) == [False, False, True]
    lowered = [(T0, 90), (T0 + 10 * D, 7)]
    assert retention.visible_snapshots(lowered, T0 + 16 * D) == [True, True]
    assert retention.visible_snapshots(lowered, T0 + 17 * D) == [False, True]
