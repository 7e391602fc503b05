"""Wires the desktop app together and starts it: controller, bridge, actions, tray or status
window, notifications, account watch, windows. The parts do the work; this only connects them
and decides the start-up path (first-run wizard, or protection straight away)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QSystemTrayIcon

from app.controller import Controller, Setup
from app.gui.account_watch import AccountWatch
from app.gui.actions import Actions
from app.gui.bridge import Bridge
from app.gui.notifier import Notifier
from app.gui.presence import Presence
from app.gui.tray import Tray
from app.gui.windows import Windows

QUIT_GRACE_MS = 35_000  # the protector stops at its next safe point; never hang on quit longer


class Desktop(QObject):
    def __init__(self, controller: Controller, *, has_tray: bool | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable() if has_tray is None else has_tray
        self.bridge = Bridge(parent=self)
        self.presence = Presence(parent=self)
        self.actions = Actions(controller, self.bridge, parent=self)
        self.account = AccountWatch(controller, self.bridge, parent=self)
        self.notifier = Notifier(lambda *_: None, parent=self)
        self.windows = Windows(
            controller,
            self.bridge,
            self.actions,
            self.presence,
            self.account,
            self.notifier,
            has_tray=self.has_tray,
        )
        self.tray: Tray | None = None
        if self.has_tray:
            self.tray = Tray(self.actions, self.presence, parent=self)
            self.tray.clicked.connect(self.windows.show_status)
            self.notifier.set_show(self.tray.notify)
        else:
            self.notifier.set_show(self.windows.status.notify)
        self.protecting = False
        self.quitting = False
        self.bridge.state_changed.connect(self.presence.set_state)
        self.bridge.state_changed.connect(self.notifier.on_state)
        self.account.updated.connect(self.presence.set_account)
        self.account.updated.connect(self.notifier.on_account)
        self.account.updated.connect(self.actions.on_account)
        self.actions.failed.connect(self.notifier.on_failure)
        self.actions.quit_requested.connect(self.quit)
        self.windows.setup_finished.connect(self._setup_finished)

    def start(self, *, show_status: bool = False) -> None:
        if self.tray is not None:
            self.tray.show()
        if show_status or not self.has_tray:
            self.windows.show_status()
        self.bridge.run(self.controller.setup, self._got_setup, self._start_failed, owner=self)

    def _got_setup(self, setup: Setup) -> None:
        if self.quitting:
            return
        if setup.ready and setup.folders:
            self.start_protection()
        else:
            self.windows.show_first_run(setup)

    def _setup_finished(self, restore_everything: bool) -> None:
        if restore_everything:
            # Back up only after the files are back: a backup of still-empty folders would
            # start ageing the old data out of the retention window.
            self.windows.restore_closed.connect(self._after_first_restore)
            self.windows.show_restore(select_all=True)
        else:
            self.start_protection(first_backup=True)

    def _after_first_restore(self) -> None:
        self.windows.restore_closed.disconnect(self._after_first_restore)
        self.start_protection(first_backup=True)

    def start_protection(self, *, first_backup: bool = False) -> None:
        controller, bridge = self.controller, self.bridge

        def work() -> None:
            controller.start_protection(bridge.publish_state)
            if first_backup:
                controller.back_up_now()

        self.bridge.run(work, lambda _none: self._protecting(), self._start_failed, owner=self)

    def _protecting(self) -> None:
        self.protecting = True
        self.actions.set_ready(True)
        self.account.start()

    def _start_failed(self, exc: BaseException) -> None:
        from app.gui.wording_errors import error_sentence

        if self.quitting:
            return  # a start refused because Keepsake is quitting is no news

        self.notifier.on_failure(error_sentence(exc))

    def quit(self) -> None:
        """Stop protection on a worker, then leave the event loop (never wait on the UI thread)."""
        self.quitting = True
        self.windows.close_all()
        if self.tray is not None:
            self.tray.hide()
        app = QCoreApplication.instance()
        if app is None:
            return
        QTimer.singleShot(QUIT_GRACE_MS, app.quit)
        # shut_down, not stop: a start still queued behind this (quit during start-up) must not
        # leave a protector running, whose thread would keep the process alive.
        self.bridge.run(self.controller.shut_down, lambda _r: app.quit(), lambda _e: app.quit())
