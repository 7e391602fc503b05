"""The small status window: the state in one sentence, progress, and the everyday buttons.

Opened by a left click on the tray icon. Where the desktop has no system tray it is the app's
face: it opens at start, shows notifications as a banner, closing it only hides it (a second
launch brings it back), and it offers Quit.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.actions import Actions
from app.gui.presence import Presence
from app.gui.resources import app_icon, state_icon
from app.gui.wording_status import Summary


def _button(action_text: str, parent: QWidget) -> QPushButton:
    return QPushButton(action_text, parent)


class StatusWindow(QWidget):
    def __init__(self, actions: Actions, presence: Presence, *, tray: bool) -> None:
        super().__init__()
        self.setObjectName("StatusWindow")
        self.setWindowTitle(self.tr("Keepsake"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        self._has_tray = tray

        self.icon = QLabel(self)
        self.icon.setFixedSize(48, 48)
        self.headline = QLabel(self)
        self.headline.setObjectName("statusHeadline")
        self.headline.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setObjectName("muted")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)

        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.detail)
        top.addLayout(text, 1)

        self.backup_button = _button(actions.back_up_now.text(), self)
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(actions.back_up_now.trigger)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        pause_menu = QMenu(self.pause_button)
        pause_menu.addAction(actions.pause_hour)
        pause_menu.addAction(actions.pause_tomorrow)
        pause_menu.addSeparator()
        pause_menu.addAction(actions.resume)
        self.pause_button.setMenu(pause_menu)
        self.restore_button = _button(actions.restore.text(), self)
        self.restore_button.clicked.connect(actions.restore.trigger)
        self.settings_button = _button(actions.settings.text(), self)
        self.settings_button.clicked.connect(actions.settings.trigger)
        self.account_button = _button(self.tr("Account"), self)
        self.account_button.clicked.connect(actions.account.trigger)
        for action, button in (
            (actions.back_up_now, self.backup_button),
            (actions.restore, self.restore_button),
            (actions.account, self.account_button),
        ):
            action.changed.connect(lambda a=action, b=button: b.setEnabled(a.isEnabled()))
            button.setEnabled(action.isEnabled())

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.pause_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        more = QHBoxLayout()
        more.addWidget(self.settings_button)
        more.addWidget(self.account_button)
        more.addStretch(1)
        self.quit_button = _button(actions.quit.text(), self)
        self.quit_button.setFlat(True)
        self.quit_button.clicked.connect(actions.quit.trigger)
        self.quit_button.setVisible(not tray)
        more.addWidget(self.quit_button)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("separator")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(line)
        layout.addLayout(more)

        presence.changed.connect(self.show_summary)
        self.show_summary(presence.summary)

    def show_summary(self, summary: Summary) -> None:
        self.icon.setPixmap(state_icon(summary.look).pixmap(48, 48))
        self.headline.setText(summary.sentence)
        self.detail.setText(summary.detail)
        self.detail.setVisible(bool(summary.detail))
        self.progress.setVisible(summary.percent is not None)
        if summary.percent is not None:
            self.progress.setValue(summary.percent)
        self._fit()

    def notify(self, title: str, text: str, warning: bool) -> None:
        """Without a tray there are no balloons: the newest notice shows as a banner here."""
        self.banner.setProperty("warning", warning)
        self.banner.setText(f"<b>{html.escape(title)}</b><br>{html.escape(text)}")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink below the minimum) when a longer sentence wraps onto more lines."""
        if self.isVisible():
            QTimer.singleShot(0, self.adjustSize)

    def bring_forward(self) -> None:
        self.adjustSize()
        self.show()
        # A wrapped sentence that changed while the window was hidden is only measured once the
        # window is shown at its width: grow again then, so no line is cut off.
        self._fit()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing never stops protection: the window hides; tray or a second launch reopens it.
        event.ignore()
        self.hide()
