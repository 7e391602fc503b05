"""Step 1: sign in, or create an account, on the service whose address is prefilled."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout

from app.controller import SignedIn
from app.gui.async_page import AsyncPage
from app.gui.firstrun.context import FOLDERS, IMPORT, KIT, FirstRun


class SignInPage(AsyncPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__(ctx.bridge)
        self.ctx = ctx
        self.setTitle(self.tr("Welcome to Keepsake"))
        self.setSubTitle(
            self.tr(
                "Keepsake keeps a safe, encrypted copy of your files and lets you bring back any "
                "file as it was on any day of the last 30 days."
            )
        )
        self.new_account = QRadioButton(self.tr("I am new to Keepsake: create my account"), self)
        self.existing = QRadioButton(self.tr("I already have a Keepsake account"), self)
        self.new_account.setChecked(not ctx.setup.email)
        self.existing.setChecked(bool(ctx.setup.email))
        self.server = QLineEdit(os.environ.get("KEEPSAKE_SERVER_URL") or ctx.setup.server_url)
        self.email = QLineEdit(ctx.setup.email or "")
        self.email.setPlaceholderText(self.tr("you@example.com"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_label = QLabel(self.tr("Repeat password:"))
        self.already = QLabel(self)
        self.already.setWordWrap(True)
        self.already.setObjectName("success")

        form = QFormLayout()
        form.addRow(self.tr("E-mail:"), self.email)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.confirm_label, self.confirm)
        form.addRow(self.tr("Service address:"), self.server)
        layout = QVBoxLayout(self)
        layout.addWidget(self.already)
        layout.addWidget(self.new_account)
        layout.addWidget(self.existing)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)

        for field in (self.email, self.password, self.confirm, self.server):
            field.textChanged.connect(self.completeChanged)
        self.new_account.toggled.connect(self._mode_changed)
        self._mode_changed()
        if ctx.setup.signed_in:
            self.already.setText(
                self.tr(
                    "This PC is signed in as {email}. Press Next to continue, or type another "
                    "account's password to switch."
                ).format(email=ctx.setup.email)
            )
        else:
            self.already.hide()

    def _mode_changed(self) -> None:
        creating = self.new_account.isChecked()
        self.confirm.setVisible(creating)
        self.confirm_label.setVisible(creating)
        self.completeChanged.emit()

    def _reuse_session(self) -> bool:
        return (
            self.ctx.setup.signed_in
            and not self.password.text()
            and self.email.text().strip() == (self.ctx.setup.email or "")
        )

    def isComplete(self) -> bool:
        if self._reuse_session():
            return True
        if not (self.email.text().strip() and self.password.text() and self.server.text()):
            return False
        return not self.new_account.isChecked() or self.password.text() == self.confirm.text()

    def work(self) -> Callable[[], Any]:
        controller = self.ctx.controller
        if self._reuse_session():
            return controller.signed_in
        server, email, password = (
            self.server.text(),
            self.email.text().strip(),
            self.password.text(),
        )
        create = self.new_account.isChecked()
        return lambda: controller.sign_in(server, email, password, create_account=create)

    def done(self, result: SignedIn) -> None:
        self.ctx.signed_in = result
        self.password.clear()
        self.confirm.clear()

    def nextId(self) -> int:
        if self.ctx.setup.has_key:
            return FOLDERS
        return IMPORT if self.ctx.new_pc else KIT
