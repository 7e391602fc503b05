"""What Keepsake looks like right now: the newest protection state and account status, worded.

Tray and status window both show `summary`; it is recomputed when either input changes and every
half minute, so "last backup 2 minutes ago" stays true while nothing else happens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import AccountStatus
from app.gui.wording import locked_sentence
from app.gui.wording_status import Look, Summary, summarize

REFRESH_MS = 30_000


class Presence(QObject):
    changed = Signal(object)  # Summary

    def __init__(
        self, now: Callable[[], datetime] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: datetime.now(UTC))
        self.state: Any = None
        self.account: AccountStatus | None = None
        self.summary = summarize(None, self._now())
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def set_state(self, state: Any) -> None:
        self.state = state
        self.refresh()

    def set_account(self, account: AccountStatus | None) -> None:
        self.account = account
        self.refresh()

    def refresh(self) -> None:
        now = self._now()
        summary = summarize(self.state, now)
        if self.account is not None and self.account.locked and summary.look != Look.WORKING:
            sentence = locked_sentence(self.account.lock_reason, self.account.locked_since, now)
            summary = Summary(Look.LOCKED, sentence, summary.detail, None)
        self.summary = summary
        self.changed.emit(summary)
