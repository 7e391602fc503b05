"""How Keepsake says things: the protection state as an icon and one sentence, "2 minutes ago",
sizes, and errors as plain sentences. Every string goes through Qt's translator.

The tray tooltip, the status window and notifications all word the state through here, so the
person reads the same sentence everywhere.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from app.controller import (
    WRONG_CURRENT,
    AutostartError,
    KeystoreError,
    NotInitialised,
    NotLoggedIn,
    PasswordRefused,
    ServiceLacksFeature,
    ServiceRefused,
)
from app.core.errors import (
    AuthenticationFailed,
    CommitRejected,
    IntegrityError,
    KeepsakeError,
    KeyNotFound,
    MissingPacks,
    NotFound,
    ObjectMissing,
    Permanent,
    QuotaExceeded,
    Retryable,
    SnapshotChainError,
    StorageError,
    SubscriptionLocked,
    UnsafePath,
    WrongPassphrase,
)
from app.core.recoverykit import CODE_LENGTH, InvalidKit, InvalidRecoveryCode
from app.core.runlock import AlreadyRunning
from app.gui.wording_reasons import reason_sentence, service_refusal

DEVICE_LIMIT = "device_limit"  # the service's code for "every PC the plan allows is in use"
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
        return _failed(state, last, now)
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


def _failed(state: Any, last: datetime | None, now: datetime) -> Summary:
    """Phase "error": a short headline (it is also the tooltip); why, and what happens next,
    below it."""
    translate = QCoreApplication.translate
    error = getattr(state, "error", None)
    retry_at = getattr(state, "retry_at", None)
    if isinstance(error, BaseException) or retry_at is not None:
        text = translate("Wording", "Needs attention — the last backup failed")
        why = error_sentence(error) if isinstance(error, BaseException) else ""
    else:
        text = translate(
            "Wording", "Needs attention — protection stopped after an unexpected error"
        )
        why = translate(
            "Wording",
            "Quit Keepsake and start it again; the log folder (Settings, About) tells what "
            "happened.",
        )
    lines = [why, _last_line(last, now)]
    if retry_at is not None:
        lines.append(
            translate("Wording", "Keepsake tries again {when}.").format(
                when=clock_time(retry_at, now)
            )
        )
    return Summary(Look.ATTENTION, text, " ".join(line for line in lines if line), None)


def failure_sentence(state: Any) -> str:
    """Why protection needs attention (phase "error"), in the person's language: the failure
    itself where the engine reported one, else what the state says happened."""
    translate = QCoreApplication.translate
    error = getattr(state, "error", None)
    if isinstance(error, BaseException):
        return error_sentence(error)
    if getattr(state, "retry_at", None) is not None:
        return translate("Wording", "the last backup failed")
    return translate("Wording", "protection stopped after an unexpected error")


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
    """An error as one sentence for a person, in their language. Each expected failure has its own
    sentence; the English of the engine, the service or the OS is kept only as a detail where it
    says something the sentence cannot (which file, what the OS or the service said)."""
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
    if type(exc) is KeepsakeError and isinstance(exc.__cause__, OSError):
        return _os_error(exc.__cause__)  # the protector's report of a failing file of its own
    if isinstance(exc, KeepsakeError):
        refused = service_refusal(str(exc))  # the service's password rules, said in English
        if refused is not None:
            return refused
        return _keepsake_error(exc)
    if isinstance(exc, OSError):
        return _os_error(exc)
    return translate("Wording", "Something unexpected went wrong: {detail}").format(
        detail=f"{exc.__class__.__name__}: {exc}"
    )


def _keepsake_error(exc: KeepsakeError) -> str:
    """The expected failures not worded above. The groups are asked in order, and within each a
    subclass is tested before its base: the service's refusals, ObjectMissing and CommitRejected
    (all Permanent) are worded before Permanent, and Permanent before StorageError."""
    detail = str(exc) or exc.__class__.__name__
    for group in (_account_error, _this_pc_error, _kit_error, _backup_error, _storage_error):
        text = group(exc, detail)
        if text is not None:
            return text
    return QCoreApplication.translate("Wording", "Keepsake could not do that: {detail}").format(
        detail=detail
    )


def _account_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, NotLoggedIn):
        return translate(
            "Wording", "This PC is not signed in to a Keepsake account. Sign in, then try again."
        )
    if isinstance(exc, NotInitialised):
        return translate(
            "Wording",
            "Keepsake is not set up on this PC yet: finish setting it up, or use the recovery kit "
            "of your backup.",
        )
    if isinstance(exc, KeyNotFound):
        return translate(
            "Wording",
            "The key to your backup is not on this PC: finish setting up Keepsake, or use your "
            "recovery kit.",
        )
    if isinstance(exc, PasswordRefused):
        if exc.reason == WRONG_CURRENT:
            return translate(
                "Wording", "The current password is wrong; your password was not changed."
            )
        return translate(
            "Wording", "The service did not accept the new password ({detail})."
        ).format(detail=detail)
    if isinstance(exc, ServiceLacksFeature):
        return translate(
            "Wording", "The Keepsake service cannot do this yet: it is older than this app."
        )
    if isinstance(exc, ServiceRefused) and exc.code == DEVICE_LIMIT:
        return translate(
            "Wording",
            "This account is already in use on as many PCs as its plan allows. Sign out of "
            "Keepsake on a PC you no longer use, or choose a plan with more PCs.",
        )
    return None


def _this_pc_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, KeystoreError):
        return translate(
            "Wording",
            "Keepsake could not use this PC's keychain, where it keeps your sign-in and the key "
            "to your backup ({detail}). If the keychain is locked, unlock it and try again.",
        ).format(detail=detail)
    if isinstance(exc, AutostartError):
        return translate(
            "Wording",
            "Keepsake could not check or change whether it starts when you sign in ({detail}).",
        ).format(detail=detail)
    if isinstance(exc, AlreadyRunning):
        return translate(
            "Wording",
            "Another Keepsake program on this PC is already backing up these folders (the "
            "Keepsake app, keepsake agent or keepsake backup). Quit it, or try again when it has "
            "finished.",
        )
    return None


def _kit_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, InvalidRecoveryCode):
        return translate(
            "Wording",
            "That is not a recovery code: a recovery code has {length} letters and digits "
            "(2–7), like {example}.",
        ).format(length=CODE_LENGTH, example="ABCDE-FGHIJ-KLMNO-PQRST-UVWXYZ")
    if isinstance(exc, InvalidKit):
        return translate(
            "Wording",
            "The recovery kit could not be read ({detail}). Check that you chose the right "
            "file, or look for typing mistakes if you typed it in.",
        ).format(detail=detail)
    return None


def _backup_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, UnsafePath):
        return translate("Wording", "For safety, nothing was written to {name} ({reason}).").format(
            name=exc.name, reason=reason_sentence(exc.reason)
        )
    if isinstance(exc, SnapshotChainError):
        return translate(
            "Wording",
            "The list of backups from the Keepsake service does not match what this PC saw "
            "before, so Keepsake does not use it ({detail}).",
        ).format(detail=detail)
    if isinstance(exc, NotFound):
        return translate("Wording", "Keepsake could not find that ({detail}).").format(
            detail=detail
        )
    if isinstance(exc, ObjectMissing):
        return translate(
            "Wording", "Part of your stored backup is missing on the Keepsake service ({detail})."
        ).format(detail=exc.name)
    if isinstance(exc, MissingPacks):
        return translate(
            "Wording",
            "This backup was not saved: part of its data had not reached the Keepsake service, "
            "or had expired there. The next backup tries again.",
        )
    if isinstance(exc, CommitRejected):
        return translate(
            "Wording",
            "This backup was not saved: the Keepsake service did not accept it ({detail}). The "
            "next backup tries again.",
        ).format(detail=detail)
    return None


def _storage_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, ServiceRefused):
        return translate("Wording", "The Keepsake service did not accept that ({detail}).").format(
            detail=detail
        )
    if isinstance(exc, Permanent):
        return translate(
            "Wording", "That could not be done ({detail}); trying the same again will not help."
        ).format(detail=detail)
    if isinstance(exc, StorageError):
        return translate(
            "Wording",
            "Keepsake had a problem with the place where your backup is stored ({detail}).",
        ).format(detail=detail)
    return None


def _os_error(exc: OSError) -> str:
    """The OS's own words (its strerror, in the language the OS speaks) and the file it names."""
    translate = QCoreApplication.translate
    reason = exc.strerror or str(exc) or exc.__class__.__name__
    if exc.filename is None:
        return translate("Wording", "This PC reported a problem: {reason}.").format(reason=reason)
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else str(exc.filename)
    return translate("Wording", "There was a problem with {name}: {reason}.").format(
        name=name, reason=reason
    )
