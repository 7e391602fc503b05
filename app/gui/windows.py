"""Opens each window once, and brings it forward when it is asked for again.

Windows are created on first use (start-up stays quick) and kept while open; a closed wizard is
forgotten so the next "Restore files…" starts fresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.controller import Controller, Setup
from app.gui.account_watch import AccountWatch
from app.gui.actions import Actions
from app.gui.bridge import Bridge
from app.gui.firstrun.wizard import FirstRunWizard
from app.gui.notifier import Notifier
from app.gui.presence import Presence
from app.gui.restore.wizard import RestoreWizard
from app.gui.settings.window import SettingsWindow
from app.gui.status_window import StatusWindow


def bring_forward(window: QWidget) -> None:
    window.show()
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.raise_()
    window.activateWindow()


class Windows(QObject):
    setup_finished = Signal(bool)  # from the first-run wizard: restore everything first?
    restore_closed = Signal()

    def __init__(
        self,
        controller: Controller,
        bridge: Bridge,
        actions: Actions,
        presence: Presence,
        account: AccountWatch,
        notifier: Notifier,
        *,
        has_tray: bool,
    ) -> None:
        super().__init__()
        self._controller = controller
        self._bridge = bridge
        self._actions = actions
        self._account = account
        self._notifier = notifier
        self.status = StatusWindow(actions, presence, tray=has_tray)
        self.settings: SettingsWindow | None = None
        self.restore: RestoreWizard | None = None
        self.first_run: FirstRunWizard | None = None
        actions.open_status.connect(self.show_status)
        actions.open_settings.connect(lambda: self.show_settings())
        actions.open_account.connect(lambda: self.show_settings("account"))
        actions.open_restore.connect(lambda: self.show_restore())

    def show_status(self) -> None:
        self.status.bring_forward()

    def show_settings(self, tab: str | None = None) -> SettingsWindow:
        if self.settings is None:
            self.settings = SettingsWindow(self._controller, self._bridge, self._account)
            self.settings.destroyed.connect(lambda: setattr(self, "settings", None))
        if tab is not None:
            self.settings.show_tab(tab)
        bring_forward(self.settings)
        return self.settings

    def show_restore(self, *, select_all: bool = False) -> RestoreWizard:
        if self.restore is None:
            wizard = RestoreWizard(self._controller, self._bridge, select_all=select_all)
            wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            wizard.restore_finished.connect(self._notifier.on_restore_finished)
            wizard.finished.connect(lambda _r: self._restore_gone())
            self.restore = wizard
        bring_forward(self.restore)
        return self.restore

    def _restore_gone(self) -> None:
        self.restore = None
        self.restore_closed.emit()

    def show_first_run(self, setup: Setup) -> FirstRunWizard:
        if self.first_run is None:
            wizard = FirstRunWizard(self._controller, self._bridge, setup)
            wizard.finished_setup.connect(self.setup_finished)
            wizard.finished.connect(lambda _r: setattr(self, "first_run", None))
            self.first_run = wizard
        bring_forward(self.first_run)
        return self.first_run

    def close_all(self) -> None:
        for window in (self.settings, self.restore, self.first_run):
            if window is not None:
                window.close()
        self.status.hide()
