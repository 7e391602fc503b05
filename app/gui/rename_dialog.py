"""Renaming this PC: the name the account's device list shows (and the next sign-in keeps).
Names are for people, so any 1 to 100 characters will do and they need not be unique."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.controller import Device
from app.gui.account_watch import AccountWatch
from app.gui.wording_errors import error_sentence

MAX_NAME = 100  # the service's limit, so the field stops where the service would refuse


class RenameDeviceDialog(QDialog):
    renamed = Signal(object)  # Device

    def __init__(self, account: AccountWatch, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename this PC"))
        self.setMinimumWidth(420)
        self._account = account
        explain = QLabel(
            self.tr(
                "The name your Keepsake account shows for this PC, so you can tell your PCs apart."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.name = QLineEdit(current, self)
        self.name.setMaxLength(MAX_NAME)
        self.name.selectAll()
        self.name.textChanged.connect(self._check)
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Rename"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.name)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip()))

    def submit(self) -> None:
        if not self.ok.isEnabled():
            return
        self.buttons.setEnabled(False)
        self.message.hide()
        self._account.rename_this_device(self.name.text(), self._done, self._failed, owner=self)

    def _done(self, device: Device) -> None:
        self.renamed.emit(device)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._check()
        self.message.setText(error_sentence(exc))
        self.message.show()
        self.adjustSize()  # room for the sentence, without clipping the text above it
