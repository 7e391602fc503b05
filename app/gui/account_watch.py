"""Keeps the account status fresh: asks the service now and then (and when asked) through the
bridge, and hands every answer to whoever listens (tray, subscription panel, notifications)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import AccountStatus, Controller
from app.gui.bridge import Bridge
from app.gui.wording import error_sentence

REFRESH_MS = 15 * 60 * 1000


class AccountWatch(QObject):
    updated = Signal(object)  # AccountStatus
    failed = Signal(str)

    def __init__(
        self, controller: Controller, bridge: Bridge, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._bridge = bridge
        self._asking = False
        self.latest: AccountStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._asking:
            return
        self._asking = True
        self._bridge.run(self._controller.account_status, self._got, self._failed, owner=self)

    def _got(self, status: AccountStatus) -> None:
        self._asking = False
        self.latest = status
        self.updated.emit(status)

    def _failed(self, exc: BaseException) -> None:
        self._asking = False
        self.failed.emit(error_sentence(exc))
