"""Changing the account password: the current one, the new one twice, and what happens to the
other PCs (the service signs them out). The service judges the new password; its sentence (too
short, too common) is shown as it is."""

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

from app.controller import WRONG_CURRENT, Controller, PasswordChanged, PasswordRefused
from app.gui.bridge import Bridge
from app.gui.wording_errors import error_sentence


class ChangePasswordDialog(QDialog):
    changed = Signal(object)  # PasswordChanged

    def __init__(
        self, controller: Controller, bridge: Bridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change your account password"))
        self.setMinimumWidth(480)
        self._controller = controller
        self._bridge = bridge
        explain = QLabel(
            self.tr(
                "This is the password you sign in to your Keepsake account with. It does not change "
                "your recovery kit's passphrase. Every other PC signed in to your account is signed "
                "out and must sign in again with the new password; this PC stays signed in."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.current = self._password_field()
        self.new = self._password_field()
        self.confirm = self._password_field()
        self.mismatch = QLabel(self.tr("The new passwords are not the same."), self)
        self.mismatch.setObjectName("muted")
        self.mismatch.hide()
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("Current password:"), self.current)
        form.addRow(self.tr("New password:"), self.new)
        form.addRow(self.tr("New password again:"), self.confirm)
        form.addRow("", self.mismatch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Change password"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _password_field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.textChanged.connect(self._check)
        return field

    def _check(self) -> None:
        new, confirm = self.new.text(), self.confirm.text()
        differ = bool(confirm) and new != confirm
        self.mismatch.setVisible(differ)
        self.ok.setEnabled(bool(self.current.text()) and bool(new) and new == confirm)

    def submit(self) -> None:
        if not self.ok.isEnabled():
            return
        current, new, controller = self.current.text(), self.new.text(), self._controller
        self.buttons.setEnabled(False)
        self.message.hide()
        self._bridge.run(
            lambda: controller.change_password(current, new),
            self._done,
            self._failed,
            owner=self,
        )

    def _done(self, result: PasswordChanged) -> None:
        for field in (self.current, self.new, self.confirm):
            field.clear()
        self.changed.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._check()
        if isinstance(exc, PasswordRefused) and exc.reason == WRONG_CURRENT:
            text = self.tr("The current password is wrong; your password was not changed.")
            self.current.selectAll()
            self.current.setFocus()
        else:
            text = error_sentence(exc)  # the service's own words: too short, too common...
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # room for the sentence, without clipping the text above it
