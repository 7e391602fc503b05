"""How Keepsake says the everyday things: "2 minutes ago", "tomorrow 06:00", sizes, why backups
are locked. Every string goes through Qt's translator.

The protection state as an icon and one sentence is `wording_status`; errors as sentences are
`wording_errors`; the engine's reasons are `wording_reasons`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale


def locked_sentence(reason: str | None, since: Any, now: datetime) -> str:
    """Why backup and restore are locked, and since when, in one sentence."""
    translate = QCoreApplication.translate
    why = {
        "payment_overdue": translate("Wording", "payment is overdue"),
        "overdue": translate("Wording", "payment is overdue"),
        "inactive": translate(
            "Wording", "the free account expired after a long time without backups"
        ),
        "ended": translate("Wording", "the subscription has ended"),
        "subscription_ended": translate("Wording", "the subscription has ended"),
        "deleted_by_owner": translate("Wording", "the account is being deleted"),
    }.get(reason or "", translate("Wording", "of the subscription's state"))
    when = parse_time(since)
    if when is None:
        return translate("Wording", "Locked — backup and restore are paused because {why}").format(
            why=why
        )
    return translate(
        "Wording", "Locked since {date} — backup and restore are paused because {why}"
    ).format(date=day(when), why=why)


def parse_time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return aware(value)
    try:
        return aware(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return None


def aware(moment: datetime) -> datetime:
    """A time without a zone is UTC (the service and the engine speak UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ago(moment: datetime, now: datetime) -> str:
    translate = QCoreApplication.translate
    seconds = int((now - aware(moment)).total_seconds())
    if seconds < 60:
        return translate("Wording", "just now")
    if seconds < 3600:
        return translate("Wording", "%n minute(s) ago", None, seconds // 60)
    if seconds < 86400:
        return translate("Wording", "%n hour(s) ago", None, seconds // 3600)
    return translate("Wording", "%n day(s) ago", None, seconds // 86400)


def duration(seconds: float) -> str:
    translate = QCoreApplication.translate
    if seconds < 90:
        return translate("Wording", "a minute")
    if seconds < 5400:
        return translate("Wording", "%n minute(s)", None, round(seconds / 60))
    return translate("Wording", "%n hour(s)", None, round(seconds / 3600))


def _qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(aware(moment).timestamp()))


def clock_time(moment: datetime, now: datetime) -> str:
    """'14:30' today, 'tomorrow 06:00', or a short date and time."""
    translate = QCoreApplication.translate
    local, today = aware(moment).astimezone(), now.astimezone()
    hhmm = QLocale().toString(_qt(moment).time(), QLocale.FormatType.ShortFormat)
    if local.date() == today.date():
        return hhmm
    if local.date() == (today + timedelta(days=1)).date():
        return translate("Wording", "tomorrow {time}").format(time=hhmm)
    return when_exactly(moment)


def day(moment: datetime) -> str:
    """'23 November 2026' (no weekday: it makes sentences long and says little)."""
    return QLocale().toString(_qt(moment).date(), "d MMMM yyyy")


def when_exactly(moment: datetime) -> str:
    return QLocale().toString(_qt(moment), QLocale.FormatType.ShortFormat)


def size(n: int | float | None) -> str:
    if n is None:
        return QCoreApplication.translate("Wording", "unlimited")
    return QLocale().formattedDataSize(int(n), 1, QLocale.DataSizeFormat.DataSizeSIFormat)
