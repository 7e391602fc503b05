"""The settings window: a side list of pages and the page itself; changes save as they are made."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.gui.account_watch import AccountWatch
from app.gui.bridge import Bridge
from app.gui.resources import app_icon
from app.gui.settings.about_tab import AboutTab
from app.gui.settings.draft import Draft
from app.gui.settings.folders_tab import FoldersTab
from app.gui.settings.network_tab import NetworkTab
from app.gui.settings.privacy_tab import PrivacyTab
from app.gui.settings.schedule_tab import ScheduleTab
from app.gui.settings.security_tab import SecurityTab
from app.gui.subscription_panel import SubscriptionPanel

TABS = ("folders", "schedule", "network", "account", "security", "privacy", "about")


class SettingsWindow(QWidget):
    def __init__(self, controller: Controller, bridge: Bridge, account: AccountWatch) -> None:
        super().__init__()
        self._shown_before = False
        self.setObjectName("SettingsWindow")
        self.setWindowTitle(self.tr("Keepsake settings"))
        self.setWindowIcon(app_icon())
        self.resize(860, 600)
        self.draft = Draft(controller, bridge, self)
        self.folders = FoldersTab(self.draft)
        self.schedule = ScheduleTab(self.draft, controller, bridge)
        self.network = NetworkTab(self.draft)
        self.account = SubscriptionPanel(account)
        self.security = SecurityTab(controller, bridge)
        self.privacy = PrivacyTab(controller, bridge, self.draft)
        self.about = AboutTab(controller, bridge, self.draft)
        names = (
            self.tr("Folders"),
            self.tr("Schedule"),
            self.tr("Network"),
            self.tr("Account"),
            self.tr("Security"),
            self.tr("Privacy"),
            self.tr("About"),
        )
        pages = (
            self.folders,
            self.schedule,
            self.network,
            self.account,
            self.security,
            self.privacy,
            self.about,
        )
        self.side = QListWidget(self)
        self.side.setObjectName("sideList")
        self.side.setFixedWidth(170)
        self.stack = QStackedWidget(self)
        for name, page in zip(names, pages, strict=True):
            self.side.addItem(name)
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
        self.side.currentRowChanged.connect(self._page_chosen)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.draft.failed.connect(self._failed)
        self.draft.saved.connect(self.error.hide)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.addWidget(self.side)
        layout.addLayout(right, 1)
        self.side.setCurrentRow(0)
        self.draft.load()
        account.refresh()

    def show_tab(self, name: str) -> None:
        self.side.setCurrentRow(TABS.index(name))

    def current_tab(self) -> str:
        return TABS[self.side.currentRow()]

    def _page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        if row >= 0 and TABS[row] == "about":
            self.about.load_report()

    def _failed(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.show()

    def showEvent(self, event: QShowEvent) -> None:
        """Opened again later: show the settings as they are now, not as they were then."""
        if self._shown_before and not self.draft.pending:
            self.draft.load()
        self._shown_before = True
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.draft.pending:
            self.draft.save_now()
        super().closeEvent(event)
