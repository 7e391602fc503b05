"""Keeps the account status fresh: asks the service now and then (and when asked) through the
bridge, and hands every answer to whoever listens (tray, subscription panel, notifications).
Changes to what it shows (this PC's name) go through it too, so the answer is fresh afterwards."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import AccountStatus, Controller, Device
from app.gui.bridge import Bridge, OnDone, OnError
from app.gui.wording_errors import error_sentence

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
        self._again = False
        self.latest: AccountStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._asking:
            self._again = True  # the answer on its way may predate a change: ask once more
            return
        self._asking, self._again = True, False
        self._bridge.run(self._controller.account_status, self._got, self._failed, owner=self)

    def rename_this_device(
        self, name: str, on_done: OnDone, on_error: OnError, *, owner: QObject
    ) -> None:
        """Rename this PC on the service, then refresh what every listener shows."""
        controller = self._controller

        def renamed(device: Device) -> None:
            self.refresh()
            on_done(device)

        self._bridge.run(
            lambda: controller.rename_this_device(name), renamed, on_error, owner=owner
        )

    def _got(self, status: AccountStatus) -> None:
        self._asking = False
        self.latest = status
        self.updated.emit(status)
        if self._again:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._asking = False
        self.failed.emit(error_sentence(exc))
        if self._again:
            self.refresh()
