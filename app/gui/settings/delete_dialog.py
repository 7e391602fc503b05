"""Deleting the account: the confirmation names the consequence, and asks for the password and
for the word DELETE, so it cannot happen by a stray click."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller, ServiceRefused
from app.gui.bridge import Bridge
from app.gui.wording_errors import error_sentence


class DeleteAccountDialog(QDialog):
    deleted = Signal()

    def __init__(
        self, controller: Controller, bridge: Bridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Delete my Keepsake account"))
        self.setMinimumWidth(520)
        self._controller = controller
        self._bridge = bridge
        self.word = self.tr("DELETE")
        self.consequence = consequence = QLabel(
            self.tr(
                "<b>This deletes every backup of every PC on this account.</b> Backup stops at once, "
                "nothing can be restored any more, and all your data is removed from the service "
                "within 30 days. This cannot be undone."
            ),
            self,
        )
        consequence.setWordWrap(True)
        consequence.setObjectName("warning")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setPlaceholderText(self.word)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("error")
        form = QFormLayout()
        form.addRow(self.tr("Your password:"), self.password)
        form.addRow(self.tr("Type {word} to confirm:").format(word=self.word), self.confirm)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Delete my account and all backups"))
        self.ok.setObjectName("danger")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self._delete)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._check)
        self.confirm.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(consequence)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.password.text()) and self.confirm.text().strip() == self.word)

    def _delete(self) -> None:
        password, controller = self.password.text(), self._controller
        self.buttons.setEnabled(False)
        self._bridge.run(
            lambda: controller.delete_account(password), self._done, self._failed, owner=self
        )

    def _done(self, _result: object) -> None:
        self.deleted.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._check()
        if isinstance(exc, ServiceRefused) and exc.status == 403:  # the password did not match
            text = self.tr("The password is wrong; the account was not deleted.")
        else:
            text = error_sentence(exc)
        self.message.setText(text)
