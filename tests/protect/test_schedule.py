"""Scheduling policy tables: the daily slot, catch-up, sleep detection, pauses, back-off."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.protect.schedule import (
    PauseChoice,
    backoff_delay,
    daily_due,
    describe_until,
    describe_wait,
    last_daily_slot,
    next_daily_slot,
    parse_daily_time,
    pause_deadline,
    slept,
)

CPH = ZoneInfo("Europe/Copenhagen")
NOON = time(12, 0)


def cph(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=CPH)


# (now, last full scan, due?)
DAILY_CASES = [
    (cph(2026, 3, 2, 11, 59), None, True),  # never scanned
    (cph(2026, 3, 2, 11, 59), cph(2026, 3, 1, 12, 0), False),  # yesterday's slot is covered
    (cph(2026, 3, 2, 12, 0), cph(2026, 3, 1, 12, 0), True),  # today's slot arrived
    (cph(2026, 3, 2, 12, 0), cph(2026, 3, 2, 8, 0), True),  # start-up scan was before the slot
    (cph(2026, 3, 2, 15, 0), cph(2026, 3, 2, 12, 0), False),  # done at the slot
    (cph(2026, 3, 2, 15, 0), cph(2026, 3, 2, 12, 1), False),
    (cph(2026, 3, 5, 9, 0), cph(2026, 3, 2, 12, 1), True),  # PC was off for days
    (cph(2026, 3, 3, 0, 30), cph(2026, 3, 2, 13, 0), False),  # after midnight, before noon
]


@pytest.mark.parametrize(("now", "last", "due"), DAILY_CASES)
def test_daily_due(now: datetime, last: datetime | None, due: bool) -> None:
    assert daily_due(now, NOON, CPH, last) is due


def test_daily_due_compares_instants_not_wall_text() -> None:
    # 11:30 UTC is 12:30 in Copenhagen in winter: the noon slot has passed there.
    now = datetime(2026, 1, 10, 11, 30, tzinfo=UTC)
    assert daily_due(now, NOON, CPH, datetime(2026, 1, 10, 10, 0, tzinfo=UTC)) is True
    assert daily_due(now, NOON, UTC, datetime(2026, 1, 10, 10, 0, tzinfo=UTC)) is False


# (now, last slot, next slot)
SLOT_CASES = [
    (cph(2026, 3, 2, 12, 0), cph(2026, 3, 2, 12, 0), cph(2026, 3, 3, 12, 0)),
    (cph(2026, 3, 2, 11, 59), cph(2026, 3, 1, 12, 0), cph(2026, 3, 2, 12, 0)),
    # Across the spring daylight-saving change (29 March 2026): noon stays noon local time.
    (cph(2026, 3, 29, 13, 0), cph(2026, 3, 29, 12, 0), cph(2026, 3, 30, 12, 0)),
    (cph(2026, 3, 28, 13, 0), cph(2026, 3, 28, 12, 0), cph(2026, 3, 29, 12, 0)),
]


@pytest.mark.parametrize(("now", "last", "nxt"), SLOT_CASES)
def test_daily_slots(now: datetime, last: datetime, nxt: datetime) -> None:
    assert last_daily_slot(now, NOON, CPH) == last
    assert next_daily_slot(now, NOON, CPH) == nxt
    assert next_daily_slot(now, NOON, CPH).astimezone(CPH).hour == 12


def test_slots_across_dst_are_23_hours_apart_in_real_time() -> None:
    before = next_daily_slot(cph(2026, 3, 27, 13, 0), NOON, CPH)
    after = next_daily_slot(before, NOON, CPH)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=23)


def test_system_zone_is_used_when_none_is_given() -> None:
    now = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    slot = last_daily_slot(now, time(3, 0), None)
    assert slot <= now and slot.astimezone().hour == 3


@pytest.mark.parametrize(
    ("text", "expected"), [("12:00", time(12, 0)), ("07:05", time(7, 5)), ("0:0", time(0, 0))]
)
def test_parse_daily_time(text: str, expected: time) -> None:
    assert parse_daily_time(text) == expected


T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# (wall seconds passed, monotonic seconds passed, slept?)
SLEEP_CASES = [
    (60, 60, False),
    (3600, 3600, False),  # a long busy hour is not sleep
    (3600, 60, True),  # the wall clock ran on while the monotonic clock stood still
    (100, 5, True),
    (80, 5, False),  # below the 90 s threshold: timer jitter, not sleep
]


@pytest.mark.parametrize(("wall", "mono", "expected"), SLEEP_CASES)
def test_sleep_detection(wall: float, mono: float, expected: bool) -> None:
    assert slept(T0, 1000.0, T0 + timedelta(seconds=wall), 1000.0 + mono) is expected


def test_pause_deadlines() -> None:
    now = cph(2026, 3, 2, 22, 15)
    assert pause_deadline(PauseChoice.HOUR, now, CPH) == now + timedelta(hours=1)
    assert pause_deadline(PauseChoice.TOMORROW, now, CPH) == cph(2026, 3, 3, 8, 0)
    assert pause_deadline(PauseChoice.UNTIL_RESUMED, now, CPH) is None
    just_after_midnight = cph(2026, 3, 3, 0, 10)
    assert pause_deadline(PauseChoice.TOMORROW, just_after_midnight, CPH) == cph(2026, 3, 4, 8)


# (attempt, rand, expected seconds) with base 5 s and cap 900 s
BACKOFF_CASES = [
    (0, 0.5, 0.0),
    (1, 0.0, 2.5),
    (1, 1.0, 5.0),
    (2, 0.0, 5.0),
    (3, 0.5, 15.0),
    (8, 0.0, 320.0),
    (9, 0.0, 450.0),  # 5 * 2**8 = 1280 > cap 900: capped
    (9, 1.0, 900.0),
    (500, 1.0, 900.0),  # no overflow however long the outage
]


@pytest.mark.parametrize(("attempt", "rand", "expected"), BACKOFF_CASES)
def test_backoff(attempt: int, rand: float, expected: float) -> None:
    assert backoff_delay(attempt, base=5.0, cap=900.0, rand=lambda: rand) == pytest.approx(expected)


def test_backoff_grows_and_jitters() -> None:
    import random

    rng = random.Random(7)
    delays = [backoff_delay(n, rand=rng.random) for n in range(1, 9)]
    assert all(5.0 / 2 * 2 ** (n - 1) <= d <= 5.0 * 2 ** (n - 1) for n, d in enumerate(delays, 1))
    assert len({round(d, 6) for d in delays}) == len(delays)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.2, "1 s"), (30, "30 s"), (89, "89 s"), (240, "4 min"), (7200, "2 h")]
)
def test_describe_wait(seconds: float, text: str) -> None:
    assert describe_wait(seconds) == text


def test_describe_until() -> None:
    now = cph(2026, 3, 2, 13, 0)
    assert describe_until(cph(2026, 3, 2, 14, 0), now, CPH) == "14:00"
    assert describe_until(cph(2026, 3, 3, 8, 0), now, CPH) == "Tue 08:00"
