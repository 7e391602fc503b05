"""Security: the recovery kit again, a new passphrase, a kit from another PC, the account
password, signing out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.controller import Controller, PasswordChanged
from app.gui.bridge import Bridge
from app.gui.import_dialog import ImportDialog
from app.gui.key_dialog import KeyDialog
from app.gui.settings.password_dialog import ChangePasswordDialog
from app.gui.wording_errors import error_sentence


class SecurityTab(QWidget):
    def __init__(self, controller: Controller, bridge: Bridge) -> None:
        super().__init__()
        self._controller = controller
        self._bridge = bridge
        explain = QLabel(
            self.tr(
                "Your files are encrypted on this PC before they leave it. The key lives in this PC's "
                "keychain and in your recovery kit — nowhere else. Keep a current kit somewhere safe."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Save the recovery kit again…"), self)
        self.change_button = QPushButton(self.tr("Change the passphrase…"), self)
        self.import_button = QPushButton(self.tr("Use a recovery kit from another PC…"), self)
        self.sign_out_button = QPushButton(self.tr("Sign this PC out"), self)
        self.password_button = QPushButton(self.tr("Change account password…"), self)
        self.password_button.clicked.connect(self.open_password_dialog)
        self.export_button.clicked.connect(lambda: self.open_key_dialog(change=False))
        self.change_button.clicked.connect(lambda: self.open_key_dialog(change=True))
        self.import_button.clicked.connect(self.open_import)
        self.sign_out_button.clicked.connect(self._sign_out)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        kit = QGroupBox(self.tr("Recovery kit"), self)
        kit_layout = QVBoxLayout(kit)
        for button in (self.export_button, self.change_button, self.import_button):
            kit_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        account = QGroupBox(self.tr("Your Keepsake account"), self)
        account_layout = QVBoxLayout(account)
        account_layout.addWidget(self.password_button, 0, Qt.AlignmentFlag.AlignLeft)
        device = QGroupBox(self.tr("This PC"), self)
        device_layout = QVBoxLayout(device)
        device_layout.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(kit)
        layout.addWidget(account)
        layout.addWidget(device)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def open_key_dialog(self, *, change: bool) -> KeyDialog:
        dialog = KeyDialog(self._controller, self._bridge, change_passphrase=change, parent=self)
        dialog.open()
        return dialog

    def open_password_dialog(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self._controller, self._bridge, self)
        dialog.changed.connect(self._password_changed)
        dialog.open()
        return dialog

    def _password_changed(self, result: PasswordChanged) -> None:
        self.message.setText(
            self.tr(
                "Your account password is changed. %n other PC(s) were signed out and must sign "
                "in with the new password.",
                None,
                result.devices_signed_out,
            )
            if result.devices_signed_out
            else self.tr("Your account password is changed.")
        )

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self._controller, self._bridge, self)
        dialog.imported.connect(
            lambda n: self.message.setText(
                self.tr("The kit opened a backup with %n snapshot(s).", None, n)
            )
        )
        dialog.open()
        return dialog

    def _sign_out(self) -> None:
        self.sign_out_button.setEnabled(False)
        self._bridge.run(
            self._controller.sign_out,
            lambda _r: self.message.setText(
                self.tr("This PC is signed out; backups stopped. Start Keepsake again to sign in.")
            ),
            lambda exc: self.message.setText(error_sentence(exc)),
            owner=self,
        )
