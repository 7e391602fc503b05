"""How Keepsake says things: the protection state as an icon and one sentence, "2 minutes ago",
sizes, and errors as plain sentences. Every string goes through Qt's translator.

The tray tooltip, the status window and notifications all word the state through here, so the
person reads the same sentence everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from app.core.errors import (
    AuthenticationFailed,
    IntegrityError,
    KeepsakeError,
    QuotaExceeded,
    Retryable,
    SubscriptionLocked,
    WrongPassphrase,
)
from app.gui.wording_reasons import service_refusal

STALE_AFTER = timedelta(days=3)  # no successful backup for this long: the tray asks for attention


class Look(enum.Enum):
    """The tray icon states (file names under resources/icons/<theme>/)."""

    PROTECTED = "protected"
    WORKING = "working"
    PAUSED = "paused"
    ATTENTION = "attention"
    LOCKED = "locked"
    OFFLINE = "offline"


@dataclass(frozen=True)
class Summary:
    look: Look
    sentence: str  # the tooltip: "Protected — last backup 2 minutes ago"
    detail: str  # a second line for the status window ("12 of 30 files, 1.2 GB of 3 GB")
    percent: int | None  # progress bar value, None when nothing is running


def phase_name(state: Any) -> str:
    phase = getattr(state, "phase", None)
    return str(getattr(phase, "value", phase) or "idle").lower()


def summarize(state: Any, now: datetime) -> Summary:
    """The protection state in words; `state` is an app.protect ProtectionState (or None)."""
    translate = QCoreApplication.translate
    if state is None:
        return Summary(Look.OFFLINE, translate("Wording", "Starting…"), "", None)
    phase = phase_name(state)
    last = getattr(state, "last_success", None)
    if phase in ("scanning", "uploading"):
        return _working(state, phase)
    if phase == "paused":
        until = getattr(state, "paused_until", None)
        if until is None:
            text = translate("Wording", "Paused — backups resume when you choose Resume")
        else:
            text = translate("Wording", "Paused until {when}").format(when=clock_time(until, now))
        return Summary(Look.PAUSED, text, _last_line(last, now), None)
    if phase == "locked":
        return Summary(
            Look.LOCKED,
            locked_sentence(
                getattr(state, "locked_reason", None), getattr(state, "locked_since", None), now
            ),
            _last_line(last, now),
            None,
        )
    if phase == "offline":
        text = translate(
            "Wording", "Offline — Keepsake will back up when the service can be reached"
        )
        return Summary(Look.OFFLINE, text, _last_line(last, now), None)
    if phase == "error":
        message = getattr(state, "message", None) or translate("Wording", "the last backup failed")
        text = translate("Wording", "Needs attention — {problem}").format(problem=message)
        return Summary(Look.ATTENTION, text, _last_line(last, now), None)
    if last is None:
        return Summary(
            Look.ATTENTION,
            translate("Wording", "Not backed up yet"),
            translate("Wording", "The first backup starts as soon as it can."),
            None,
        )
    problems = len(getattr(state, "problems", None) or ())
    if now - _aware(last) > STALE_AFTER:
        days = (now - _aware(last)).days
        text = translate("Wording", "Needs attention — no backup for %n day(s)", None, days)
        return Summary(Look.ATTENTION, text, _last_line(last, now), None)
    text = translate("Wording", "Protected — last backup {when}").format(when=ago(last, now))
    detail = (
        translate("Wording", "%n item(s) could not be backed up.", None, problems)
        if problems
        else ""
    )
    return Summary(Look.ATTENTION if problems else Look.PROTECTED, text, detail, None)


def _working(state: Any, phase: str) -> Summary:
    translate = QCoreApplication.translate
    done, total = state.bytes_done or 0, state.bytes_total or 0
    if phase == "scanning":
        text = translate("Wording", "Looking for changes…")
        return Summary(Look.WORKING, text, state.current_file or "", None)
    percent = int(done * 100 / total) if total else 0
    text = translate("Wording", "Backing up — {percent}% done").format(percent=percent)
    detail = translate("Wording", "{done} of {total} files, {bytes_done} of {bytes_total}").format(
        done=state.files_done,
        total=state.files_total,
        bytes_done=size(done),
        bytes_total=size(total),
    )
    eta = getattr(state, "eta_seconds", None)
    if eta:
        detail += " · " + translate("Wording", "about {time} left").format(time=duration(eta))
    return Summary(Look.WORKING, text, detail, percent)


def _last_line(last: datetime | None, now: datetime) -> str:
    translate = QCoreApplication.translate
    if last is None:
        return translate("Wording", "No backup has finished yet.")
    return translate("Wording", "Last backup {when}.").format(when=ago(last, now))


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
        return _aware(value)
    try:
        return _aware(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ago(moment: datetime, now: datetime) -> str:
    translate = QCoreApplication.translate
    seconds = int((now - _aware(moment)).total_seconds())
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
    return QDateTime.fromSecsSinceEpoch(int(_aware(moment).timestamp()))


def clock_time(moment: datetime, now: datetime) -> str:
    """'14:30' today, 'tomorrow 06:00', or a short date and time."""
    translate = QCoreApplication.translate
    local, today = _aware(moment).astimezone(), now.astimezone()
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


def error_sentence(exc: BaseException) -> str:
    """An error as one sentence for a person: the engine's own words for expected failures."""
    translate = QCoreApplication.translate
    if isinstance(exc, WrongPassphrase):
        return translate(
            "Wording", "That passphrase or recovery code does not open this recovery kit."
        )
    if isinstance(exc, AuthenticationFailed):
        return translate("Wording", "The service did not accept the e-mail address and password.")
    if isinstance(exc, SubscriptionLocked):
        return locked_sentence(exc.reason, exc.since, datetime.now(UTC))
    if isinstance(exc, QuotaExceeded):
        return translate("Wording", "Your storage is full: {used} of {allowed} used.").format(
            used=size(exc.used), allowed=size(exc.allowed)
        )
    if isinstance(exc, Retryable):
        return translate("Wording", "The Keepsake service could not be reached ({detail}).").format(
            detail=str(exc)
        )
    if isinstance(exc, IntegrityError):
        return translate("Wording", "Damaged data was found and not used: {detail}").format(
            detail=str(exc)
        )
    if isinstance(exc, KeepsakeError | OSError):
        text = str(exc) or exc.__class__.__name__
        refused = service_refusal(text)
        if refused is not None:
            return refused
        return text[:1].upper() + text[1:]
    return translate("Wording", "Something unexpected went wrong: {detail}").format(
        detail=f"{exc.__class__.__name__}: {exc}"
    )
