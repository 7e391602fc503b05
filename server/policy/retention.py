"""Retention the service enforces without seeing contents (DESIGN §4).

A pack is `leased` (uploaded, not yet committed), `live` (in the current live set) or `removed`
(dropped from the live set at `removed_at`, expiring `retention_days` later). Expired packs may no
longer be committed; their bytes are collected only after a further grace period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

LEASE = timedelta(hours=96)
GRACE = timedelta(days=1)

LEASED, LIVE, REMOVED = "leased", "live", "removed"


def lease_until(now: datetime) -> datetime:
    return now + LEASE


def removal_expiry(removed_at: datetime, retention_days: int) -> datetime:
    return removed_at + timedelta(days=retention_days)


def pack_usable(
    state: str, lease_until: datetime | None, expires_at: datetime | None, now: datetime
) -> bool:
    """May a commit (re)reference this pack, and does it count as storage used?"""
    if state == LIVE:
        return True
    if state == LEASED:
        return lease_until is not None and now < lease_until
    if state == REMOVED:
        return expires_at is not None and now < expires_at
    return False


def pack_collectable(
    state: str,
    lease_until: datetime | None,
    expires_at: datetime | None,
    now: datetime,
    grace: timedelta = GRACE,
) -> bool:
    """May GC delete the bytes now? Only a grace period after the lease or the expiry passed."""
    if state == LEASED:
        return lease_until is not None and lease_until + grace <= now
    if state == REMOVED:
        return expires_at is not None and expires_at + grace <= now
    return False


def visible_snapshots(commits: Sequence[tuple[datetime, int]], now: datetime) -> list[bool]:
    """Which snapshots are still listed, given each commit's (time, retention days in force).

    A snapshot stays while it was the current state at some moment of the window, i.e. until its
    successor is older than the window. That is exactly as long as the packs its successor
    removed are kept (they expire at the successor's time + the retention in force then), so
    every listed snapshot is fully restorable even after a plan's retention changed, and the
    state at the start of the window (promise 2) is never dropped early. The newest always stays.
    """
    visible = []
    for position in range(len(commits)):
        if position == len(commits) - 1:
            visible.append(True)
        else:
            successor_time, successor_days = commits[position + 1]
            visible.append(now < removal_expiry(successor_time, successor_days))
    return visible
