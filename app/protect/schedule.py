"""Scheduling policy as pure functions of data and a `now`: the daily run, pauses, back-off.

Nothing here reads a clock or sleeps; the planner passes times in, so tests move through days with
tables of cases. Wall-clock times are timezone-aware; the daily time is read in the person's local
time zone (`tz`), so "12:00" keeps meaning noon across daylight-saving changes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

# A wall clock that moved this much further than the monotonic clock means the PC slept.
WAKE_GAP = timedelta(seconds=90)


def parse_daily_time(text: str) -> time:
    hour, _, minute = text.partition(":")
    return time(int(hour), int(minute))


def local_at(day: date, at: time, tz: tzinfo | None) -> datetime:
    """`at` o'clock on `day` in `tz`; None is the system's zone, daylight saving included."""
    if tz is None:
        return datetime.combine(day, at).astimezone()
    return datetime.combine(day, at, tzinfo=tz)


def last_daily_slot(now: datetime, daily: time, tz: tzinfo | None) -> datetime:
    """The most recent moment at or before `now` when the daily run was due."""
    local = now.astimezone(tz)
    slot = local_at(local.date(), daily, tz)
    if slot > now:
        slot = local_at(local.date() - timedelta(days=1), daily, tz)
    return slot


def next_daily_slot(now: datetime, daily: time, tz: tzinfo | None) -> datetime:
    """The first moment after `now` when the daily run falls due."""
    last = last_daily_slot(now, daily, tz)
    return local_at(last.astimezone(tz).date() + timedelta(days=1), daily, tz)


def daily_due(
    now: datetime, daily: time, tz: tzinfo | None, last_full_scan: datetime | None
) -> bool:
    """True when no full scan has finished since the latest daily slot (or ever).

    This one rule covers the daily run, a run missed while the PC was off or asleep (it is due at
    wake-up), and never runs twice for one slot.
    """
    if last_full_scan is None:
        return True
    return last_full_scan < last_daily_slot(now, daily, tz)


def slept(prev_wall: datetime, prev_mono: float, wall: datetime, mono: float) -> bool:
    """Did the PC sleep between two readings? (The monotonic clock stops during suspend.)"""
    return (wall - prev_wall) - timedelta(seconds=mono - prev_mono) > WAKE_GAP


class PauseChoice(StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    UNTIL_RESUMED = "until-resumed"


# The next morning a pause "until tomorrow" ends.
TOMORROW_AT = time(8, 0)


def pause_deadline(choice: PauseChoice, now: datetime, tz: tzinfo | None) -> datetime | None:
    """When a pause chosen now ends; None means until the person resumes."""
    if choice is PauseChoice.HOUR:
        return now + timedelta(hours=1)
    if choice is PauseChoice.TOMORROW:
        return local_at(now.astimezone(tz).date() + timedelta(days=1), TOMORROW_AT, tz)
    return None


def backoff_delay(
    attempt: int,
    *,
    base: float = 5.0,
    cap: float = 900.0,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt` (1 = first retry).

    Exponential with "equal jitter": half of the step is fixed, half random, so retries from many
    PCs spread out after an outage but none comes back immediately.
    """
    if attempt < 1:
        return 0.0
    step = min(cap, base * 2.0 ** min(attempt - 1, 30))
    return step / 2 + step / 2 * rand()


def describe_wait(seconds: float) -> str:
    """'30 s', '4 min', '2 h' for status lines."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600)} h"


def describe_until(until: datetime, now: datetime, tz: tzinfo | None) -> str:
    """'14:00' today, 'Tue 08:00' on another day."""
    local, today = until.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return local.strftime("%a %H:%M")
