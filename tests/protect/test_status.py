"""The status line between runs, and when uploads must wait for power or network."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from app.core.errors import KeepsakeError, Retryable, SubscriptionLocked
from app.protect.conditions import upload_blocker
from app.protect.planner import OutcomeKind, Planner, RunRequest
from app.protect.state import Phase
from app.protect.status import LOCKED_FALLBACK, between_runs
from app.settings import Settings

NOW = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
LOCK = SubscriptionLocked("payment_overdue", "2026-03-01T00:00:00Z", "Backups are locked: pay")


def planner(**kw: object) -> Planner:
    p = Planner(daily=time(12, 0), tz=UTC, last_full_scan=NOW)
    for key, value in kw.items():
        setattr(p, key, value)
    return p


# (planner state, last outcome, last error, has folders, settling, phase, message)
CASES: list[
    tuple[dict[str, object], OutcomeKind | None, KeepsakeError | None, bool, bool, Phase, str]
] = [
    ({}, None, None, True, False, Phase.IDLE, "Up to date"),
    ({}, OutcomeKind.DONE, None, False, False, Phase.IDLE, "No folders are chosen yet"),
    ({}, OutcomeKind.DONE, None, True, True, Phase.IDLE, "Waiting for changes to settle"),
    (
        {"pending": RunRequest.full_scan("start-up")},
        None,
        None,
        True,
        False,
        Phase.IDLE,
        "A backup is about to start",
    ),
    ({"paused": True}, None, None, True, False, Phase.PAUSED, "Paused until you resume"),
    (
        {"paused": True, "paused_until": NOW + timedelta(hours=1)},
        None,
        None,
        True,
        False,
        Phase.PAUSED,
        "Paused until 14:00",
    ),
    (
        {"paused": True, "paused_until": NOW + timedelta(days=1)},
        None,
        None,
        True,
        False,
        Phase.PAUSED,
        "Paused until Tue 13:00",
    ),
    (
        {"blocked": "on battery power"},
        None,
        None,
        True,
        False,
        Phase.PAUSED,
        "Waiting to upload: on battery power",
    ),
    ({"locked": True}, OutcomeKind.LOCKED, LOCK, True, False, Phase.LOCKED, str(LOCK)),
    ({"locked": True}, None, None, True, False, Phase.LOCKED, LOCKED_FALLBACK),
    (
        {"retry_at": 130.0},
        OutcomeKind.OFFLINE,
        Retryable("x"),
        True,
        False,
        Phase.OFFLINE,
        "Offline — will retry in 30 s",
    ),
    (
        {"retry_at": 400.0},
        OutcomeKind.FAILED,
        KeepsakeError("the index is damaged"),
        True,
        False,
        Phase.ERROR,
        "the index is damaged — will retry in 5 min",
    ),
    # A pause is what the person chose: it is shown even while offline.
    (
        {"paused": True, "retry_at": 130.0},
        OutcomeKind.OFFLINE,
        Retryable("x"),
        True,
        False,
        Phase.PAUSED,
        "Paused until you resume",
    ),
]


@pytest.mark.parametrize(
    ("state", "kind", "error", "folders", "settling", "phase", "message"), CASES
)
def test_between_runs(
    state: dict[str, object],
    kind: OutcomeKind | None,
    error: KeepsakeError | None,
    folders: bool,
    settling: bool,
    phase: Phase,
    message: str,
) -> None:
    got = between_runs(
        planner(**state),
        kind,
        error,
        has_folders=folders,
        settling=settling,
        now=NOW,
        mono=100.0,
        tz=UTC,
    )
    assert got == (phase, message)


class Probe:
    def __init__(self, battery: bool | None, metered: bool | None) -> None:
        self.battery, self.is_metered = battery, metered

    def on_battery(self) -> bool | None:
        return self.battery

    def metered(self) -> bool | None:
        return self.is_metered


@pytest.mark.parametrize(
    ("skip_battery", "skip_metered", "battery", "metered", "expected"),
    [
        (False, False, True, True, None),  # the person did not ask
        (True, False, True, False, "on battery power"),
        (True, False, None, None, None),  # the platform cannot tell: upload
        (False, True, False, True, "on a metered connection"),
        (True, True, False, False, None),
    ],
)
def test_upload_blocker(
    skip_battery: bool,
    skip_metered: bool,
    battery: bool | None,
    metered: bool | None,
    expected: str | None,
) -> None:
    settings = Settings(skip_on_battery=skip_battery, skip_on_metered=skip_metered)
    assert upload_blocker(settings, Probe(battery, metered)) == expected


def test_protection_never_imports_qt_or_the_gui() -> None:
    code = (
        "import sys, pkgutil, importlib, app.protect\n"
        "for m in pkgutil.iter_modules(app.protect.__path__):\n"
        "    importlib.import_module('app.protect.' + m.name)\n"
        "import app.commands.agent\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'app.gui')))\n"
        "print(','.join(bad))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
