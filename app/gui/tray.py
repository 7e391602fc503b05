"""The tray icon: its look and one-sentence tooltip follow the protection state; its menu offers
the everyday commands; a left click opens the small status window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.gui.actions import Actions
from app.gui.presence import Presence
from app.gui.resources import state_icon
from app.gui.wording_status import Summary


class Tray(QObject):
    clicked = Signal()

    def __init__(self, actions: Actions, presence: Presence, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.status_line = QAction(self.menu)
        self.status_line.setEnabled(False)
        self.progress_line = QAction(self.menu)
        self.progress_line.setEnabled(False)
        self.menu.addAction(self.status_line)
        self.menu.addAction(self.progress_line)
        self.menu.addSeparator()
        self.menu.addAction(actions.back_up_now)
        self.pause_menu = self.menu.addMenu(self.tr("Pause"))
        self.pause_menu.addAction(actions.pause_hour)
        self.pause_menu.addAction(actions.pause_tomorrow)
        self.pause_menu.addSeparator()
        self.pause_menu.addAction(actions.resume)
        self.menu.addSeparator()
        self.menu.addAction(actions.restore)
        self.menu.addAction(actions.settings)
        self.menu.addAction(actions.account)
        self.menu.addSeparator()
        self.menu.addAction(actions.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        presence.changed.connect(self.show_summary)
        self.show_summary(presence.summary)

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def show_summary(self, summary: Summary) -> None:
        self.icon.setIcon(state_icon(summary.look))
        self.icon.setToolTip(summary.sentence)
        self.status_line.setText(summary.sentence)
        self.progress_line.setText(summary.detail)
        self.progress_line.setVisible(bool(summary.detail))

    def notify(self, title: str, text: str, warning: bool) -> None:
        kind = (
            QSystemTrayIcon.MessageIcon.Warning
            if warning
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(title, text, kind, 15_000)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.clicked.emit()
