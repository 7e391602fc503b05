"""Notifications: failures, "no backup for N days", subscription warnings and finished restores.

Never one for a successful backup: a calm product speaks only when the person should act or has
just asked for something. `NoticePolicy` decides (pure, with the time passed in); `Notifier` feeds
it from the bridge and shows what it decides through the tray, or the status window without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from app.controller import AccountStatus, RestoreOutcome
from app.gui.wording import locked_sentence, parse_time
from app.gui.wording_account import warning_sentence
from app.gui.wording_status import STALE_AFTER, failure_sentence, phase_name

STALE_CHECK_MS = 3_600_000


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    warning: bool


class NoticePolicy:
    """Remembers what was already said, so each problem is told once (stale backups once a day)."""

    def __init__(self) -> None:
        self._phase: str | None = None
        self._last_snapshot: str | None = None
        self._stale_told_on: str | None = None
        self._warnings_told: set[tuple[str, str | None]] = set()

    def on_state(self, state: Any, now: datetime) -> list[Notice]:
        translate = QCoreApplication.translate
        notices: list[Notice] = []
        phase = phase_name(state)
        if phase == "error" and self._phase != "error":
            notices.append(
                Notice(
                    translate("Notifier", "Backup failed"),
                    translate("Notifier", "Keepsake could not finish the backup: {why}").format(
                        why=failure_sentence(state)
                    ),
                    True,
                )
            )
        if phase == "locked" and self._phase != "locked":
            notices.append(
                Notice(
                    translate("Notifier", "Backups are locked"),
                    locked_sentence(state.locked_reason, state.locked_since, now),
                    True,
                )
            )
        self._phase = phase
        snapshot = getattr(state, "last_snapshot_id", None)
        problems = len(getattr(state, "problems", None) or ())
        finished = snapshot and snapshot != self._last_snapshot and self._last_snapshot is not None
        if finished and problems:
            notices.append(
                Notice(
                    translate("Notifier", "Some files were not backed up"),
                    translate(
                        "Notifier",
                        "%n item(s) could not be backed up. Open Keepsake to see why.",
                        None,
                        problems,
                    ),
                    True,
                )
            )
        self._last_snapshot = snapshot or self._last_snapshot
        notices.extend(self.check_stale(state, now))
        return notices

    def check_stale(self, state: Any, now: datetime) -> list[Notice]:
        last = parse_time(getattr(state, "last_success", None))
        if last is None or now - last <= STALE_AFTER:
            return []
        today = now.date().isoformat()
        if self._stale_told_on == today:
            return []
        self._stale_told_on = today
        days = (now - last).days
        translate = QCoreApplication.translate
        return [
            Notice(
                translate("Notifier", "No backup for %n day(s)", None, days),
                translate(
                    "Notifier",
                    "Your files have not been backed up for %n day(s). Open Keepsake to "
                    "see what is wrong.",
                    None,
                    days,
                ),
                True,
            )
        ]

    def on_account(self, status: AccountStatus, now: datetime) -> list[Notice]:
        notices = []
        for warning in status.warnings:
            key = (warning.code, warning.date)
            if key in self._warnings_told:
                continue
            self._warnings_told.add(key)
            notices.append(
                Notice(
                    QCoreApplication.translate("Notifier", "Your Keepsake subscription"),
                    warning_sentence(warning, status.lock_reason),
                    True,
                )
            )
        return notices

    def restore_finished(self, outcome: RestoreOutcome) -> Notice:
        translate = QCoreApplication.translate
        if outcome.failures:
            return Notice(
                translate("Notifier", "Restore finished with problems"),
                translate(
                    "Notifier",
                    "%n file(s) could not be restored. The restore window lists them and why.",
                    None,
                    len(outcome.failures),
                ),
                True,
            )
        if outcome.cancelled:
            return Notice(
                translate("Notifier", "Restore stopped"),
                translate("Notifier", "The restore was cancelled."),
                False,
            )
        return Notice(
            translate("Notifier", "Restore finished"),
            translate("Notifier", "%n file(s) were restored.", None, outcome.files_restored),
            False,
        )


Show = Callable[[str, str, bool], None]


class Notifier(QObject):
    """Feeds the policy and shows its notices through `show(title, text, warning)`."""

    def __init__(
        self,
        show: Show,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._show = show
        self._now = now or (lambda: datetime.now(UTC))
        self.policy = NoticePolicy()
        self._state: Any = None
        self.shown: list[Notice] = []  # for the status window's history and for tests
        self._timer = QTimer(self)
        self._timer.setInterval(STALE_CHECK_MS)
        self._timer.timeout.connect(self._check_stale)
        self._timer.start()

    def set_show(self, show: Show) -> None:
        self._show = show

    def on_state(self, state: Any) -> None:
        self._state = state
        self._tell(self.policy.on_state(state, self._now()))

    def on_account(self, status: AccountStatus) -> None:
        self._tell(self.policy.on_account(status, self._now()))

    def on_restore_finished(self, outcome: RestoreOutcome) -> None:
        self._tell([self.policy.restore_finished(outcome)])

    def on_failure(self, sentence: str) -> None:
        title = QCoreApplication.translate("Notifier", "Keepsake")
        self._tell([Notice(title, sentence, True)])

    def _check_stale(self) -> None:
        if self._state is not None:
            self._tell(self.policy.check_stale(self._state, self._now()))

    def _tell(self, notices: list[Notice]) -> None:
        for notice in notices:
            self.shown.append(notice)
            self._show(notice.title, notice.text, notice.warning)
