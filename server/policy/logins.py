"""Brute-force limits on password checks: soft, time-limited lockouts, never permanent ones.

Two limits, each over a sliding window of failed password checks:
- per account (by email address, known or not): 100 failures in an hour. Guessing one person's
  password then takes years even for a weak one, while the owner is never locked out for longer
  than the hour that the attacker keeps failing.
- per client address: 300 failures in an hour, across all emails. That slows one machine trying a
  leaked password list against many accounts (credential stuffing), and stays far above what a
  household or an office behind one address fails by mistake.

A lockout ends by itself when enough failures leave the window; attempts refused during a lockout
are not counted, so hammering does not extend it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    max_failures: int
    window: timedelta


ACCOUNT_LIMIT = Limit(max_failures=100, window=timedelta(hours=1))
CLIENT_LIMIT = Limit(max_failures=300, window=timedelta(hours=1))


def locked_until(failures: Sequence[datetime], now: datetime, limit: Limit) -> datetime | None:
    """When the next attempt will be allowed, or None when it is allowed now.

    `failures` are the times of failed checks (any order; older ones are ignored). At the limit,
    the lockout lasts until the oldest failure that keeps the count at the limit leaves the window.
    """
    recent = sorted(t for t in failures if now - limit.window < t <= now)
    if len(recent) < limit.max_failures:
        return None
    return recent[len(recent) - limit.max_failures] + limit.window


def retry_after_seconds(until: datetime, now: datetime) -> int:
    """The `Retry-After` value: whole seconds, at least 1."""
    return max(1, int((until - now).total_seconds() + 0.999))
