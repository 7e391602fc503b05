"""The subscription panel: plan and state in words, storage against the quota, devices with their
names (and renaming this one), paid-until, every dated warning from the service, and the way to
the account page.

When backup and restore are locked it says so first, with the reason and since when.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import AccountStatus
from app.gui.account_watch import AccountWatch
from app.gui.rename_dialog import RenameDeviceDialog
from app.gui.wording import day, locked_sentence, parse_time, size
from app.gui.wording_account import plan_name, state_sentence, warning_sentence


class SubscriptionPanel(QWidget):
    def __init__(self, account: AccountWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.status: AccountStatus | None = None
        self.locked = QLabel(self)
        self.locked.setObjectName("lockedBanner")
        self.locked.setWordWrap(True)
        self.plan = QLabel(self)
        self.plan.setObjectName("headline")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.storage = QProgressBar(self)
        self.storage.setTextVisible(False)
        self.storage.setFixedHeight(10)
        self.storage_text = QLabel(self)
        self.devices = QLabel(self)
        self.devices.setWordWrap(True)
        self.rename_button = QPushButton(self.tr("Rename this PC…"), self)
        self.rename_button.clicked.connect(self.open_rename)
        self.rename_button.setEnabled(False)
        self.renewal = QLabel(self)
        self.retention = QLabel(self)
        self.retention.setWordWrap(True)
        self.warnings = QVBoxLayout()
        self.message = QLabel(self.tr("Asking the Keepsake service…"), self)
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.page_button = QPushButton(self.tr("Open my account page"), self)
        self.page_button.clicked.connect(self._open_page)
        self.page_button.setEnabled(False)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(account.refresh)

        form = QFormLayout()
        form.addRow(self.tr("Storage:"), self.storage)
        form.addRow("", self.storage_text)
        pcs = QHBoxLayout()
        pcs.addWidget(self.devices, 1)
        pcs.addWidget(self.rename_button)
        form.addRow(self.tr("PCs:"), pcs)
        form.addRow(self.tr("Paid until:"), self.renewal)
        form.addRow(self.tr("Versions kept:"), self.retention)
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_button)
        buttons.addWidget(refresh)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.locked)
        layout.addWidget(self.plan)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addLayout(self.warnings)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.locked.hide()
        account.updated.connect(self.show_status)
        account.failed.connect(self._failed)
        if account.latest is not None:
            self.show_status(account.latest)

    def show_status(self, status: AccountStatus) -> None:
        self.status = status
        self.message.hide()
        self.page_button.setEnabled(True)
        if status.locked:
            self.locked.setText(
                locked_sentence(status.lock_reason, status.locked_since, datetime.now(UTC))
            )
            self.locked.show()
        else:
            self.locked.hide()
        self.plan.setText(self.tr("Keepsake {plan}").format(plan=plan_name(status.plan)))
        self.state.setText(state_sentence(status))
        if status.quota_bytes:
            permille = min(1000, int(status.usage_bytes * 1000 / status.quota_bytes))
            self.storage.setRange(0, 1000)
            self.storage.setValue(permille)
            self.storage.setVisible(True)
            self.storage_text.setText(
                self.tr("{used} of {quota} used").format(
                    used=size(status.usage_bytes), quota=size(status.quota_bytes)
                )
            )
        else:
            self.storage.setVisible(False)
            self.storage_text.setText(
                self.tr("{used} used (no limit)").format(used=size(status.usage_bytes))
            )
        names = ", ".join(
            html.escape(d.name) + (" <i>" + self.tr("(this PC)") + "</i>" if d.current else "")
            for d in status.devices
        )
        allowed = status.devices_allowed
        count = (
            self.tr("{used} of {allowed}").format(used=status.devices_used, allowed=allowed)
            if allowed
            else str(status.devices_used)
        )
        self.devices.setText(f"{count}: {names}" if names else count)
        self.rename_button.setEnabled(any(d.current for d in status.devices))
        paid = parse_time(status.paid_until)
        self.renewal.setText(day(paid) if paid else self.tr("not applicable"))
        self.retention.setText(self.tr("%n day(s)", None, status.retention_days))
        self._show_warnings(status)

    def _show_warnings(self, status: AccountStatus) -> None:
        while self.warnings.count():
            item = self.warnings.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for warning in status.warnings:
            label = QLabel(warning_sentence(warning, status.lock_reason), self)
            label.setObjectName("warning")
            label.setWordWrap(True)
            self.warnings.addWidget(label)

    def warning_texts(self) -> list[str]:
        texts = []
        for i in range(self.warnings.count()):
            item = self.warnings.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                texts.append(widget.text())
        return texts

    def _failed(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.show()

    def open_rename(self) -> RenameDeviceDialog:
        current = ""
        if self.status is not None:
            current = next((d.name for d in self.status.devices if d.current), "")
        dialog = RenameDeviceDialog(self.account, current, self)
        dialog.open()
        return dialog

    def _open_page(self) -> None:
        if self.status is not None:
            QDesktopServices.openUrl(QUrl(self.status.account_page))
