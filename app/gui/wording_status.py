"""The protection state as a tray icon and one sentence. The tray tooltip, the status window and
notifications all word the state through here, so the person reads the same sentence
everywhere."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.gui.wording import ago, aware, clock_time, duration, locked_sentence, size
from app.gui.wording_errors import error_sentence

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
    if now - aware(last) > STALE_AFTER:
        days = (now - aware(last)).days
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
