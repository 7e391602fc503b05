"""Storage quota: what fits, and when usage crosses into "nearly full" or "full".

A crossing is dated when it happens and stays until usage falls clearly back (below `REARM` for
nearly full, below `NEARLY_FULL` for full). The date makes it one warning that is e-mailed once;
the gap between the warning level and the level that ends it keeps a person whose usage hovers
around 90 % (uploads in the morning, retention expiring at night) from a mail every day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

NEARLY_FULL = 0.9
REARM = 0.8


@dataclass(frozen=True)
class Crossings:
    """Since when usage has been nearly full / full (None: not now)."""

    nearly_full_since: datetime | None = None
    full_since: datetime | None = None


def exceeds_quota(used: int, incoming: int, allowed: int | None) -> bool:
    return allowed is not None and used + incoming > allowed


def nearly_full(used: int, allowed: int | None) -> bool:
    return allowed is not None and allowed > 0 and used >= allowed * NEARLY_FULL


def track(
    before: Crossings, used: int, allowed: int | None, now: datetime, refused: bool = False
) -> Crossings:
    """The crossings after observing `used` bytes at `now`. `refused`: an upload just did not fit
    into a nearly full quota, which is what "full" means to the person even when a few bytes are
    still free (a pack refused while usage is low was merely too big, not a full quota)."""
    if allowed is None or allowed <= 0:
        return Crossings()
    is_nearly_full = nearly_full(used, allowed)
    nearly = before.nearly_full_since
    if is_nearly_full:
        nearly = nearly or now
    elif used < allowed * REARM:
        nearly = None
    full = before.full_since
    if used >= allowed or (refused and is_nearly_full):
        full = full or now
    elif used < allowed * NEARLY_FULL:
        full = None
    return Crossings(nearly, full)
