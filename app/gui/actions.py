"""The commands a person can give from the tray menu or the status window, as shared QActions.

Each action hands one controller call to the bridge; the tray and the status window only show
these actions, so "Back up now" behaves the same wherever it is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from app.controller import AccountStatus, Controller, pause_until_tomorrow
from app.gui.bridge import Bridge
from app.gui.wording_errors import error_sentence
from app.gui.wording_status import phase_name


class Actions(QObject):
    """Owns the QActions; window-opening actions emit signals the window registry listens to."""

    failed = Signal(str)  # a sentence to show the person
    open_restore = Signal()
    open_settings = Signal()
    open_account = Signal()
    open_status = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        controller: Controller,
        bridge: Bridge,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._bridge = bridge
        self._now = now or (lambda: datetime.now(UTC))
        self.back_up_now = self._action(self.tr("Back up now"), self._back_up_now)
        self.pause_hour = self._action(self.tr("For 1 hour"), self._pause_hour)
        self.pause_tomorrow = self._action(self.tr("Until tomorrow"), self._pause_tomorrow)
        self.resume = self._action(self.tr("Resume"), self._resume)
        self.restore = self._action(self.tr("Restore files…"), self.open_restore.emit)
        self.settings = self._action(self.tr("Settings…"), self.open_settings.emit)
        self.account = self._action(self.tr("Account && subscription…"), self.open_account.emit)
        self.status = self._action(self.tr("Show status"), self.open_status.emit)
        self.quit = self._action(self.tr("Quit Keepsake"), self.quit_requested.emit)
        self._state: Any = None
        self._locked = False
        self.set_ready(False)
        bridge.state_changed.connect(self.on_state)

    def _action(self, text: str, handler: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: handler())
        return action

    def set_ready(self, ready: bool) -> None:
        """Before setup is finished only Settings, status and Quit make sense."""
        for action in (
            self.back_up_now,
            self.pause_hour,
            self.pause_tomorrow,
            self.resume,
            self.restore,
            self.account,
        ):
            action.setEnabled(ready)
        if ready:
            self.resume.setEnabled(False)

    def on_account(self, status: AccountStatus) -> None:
        """A locked subscription locks restore and pausing; "Back up now" stays as the retry."""
        self._locked = status.locked
        self.on_state(self._state)

    def on_state(self, state: Any) -> None:
        self._state = state
        if state is None:
            return
        phase = "locked" if self._locked else phase_name(state)
        paused = phase == "paused"
        self.resume.setEnabled(paused)
        self.pause_hour.setEnabled(not paused and phase != "locked")
        self.pause_tomorrow.setEnabled(not paused and phase != "locked")
        # Always on: during a run the request waits and merges into one more run; while locked
        # it is the way to try again at once, the moment the person has paid.
        self.back_up_now.setEnabled(not paused)
        self.restore.setEnabled(phase != "locked")
        self.account.setEnabled(True)

    def _call(self, fn: Callable[[], Any]) -> None:
        self._bridge.run(fn, on_error=lambda exc: self.failed.emit(error_sentence(exc)), owner=self)

    def _back_up_now(self) -> None:
        self._call(self._controller.back_up_now)

    def _pause_hour(self) -> None:
        until = self._now() + timedelta(hours=1)
        self._call(lambda: self._controller.pause(until))

    def _pause_tomorrow(self) -> None:
        until = pause_until_tomorrow(self._now())
        self._call(lambda: self._controller.pause(until))

    def _resume(self) -> None:
        self._call(self._controller.resume)
