"""Step 2 (new PC): bring the key back from the recovery kit file, or from the copy on the service,
with its passphrase or recovery code. Or start a new, separate backup instead."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.gui.async_page import AsyncPage
from app.gui.firstrun.context import KIT, RESTORE_OFFER, FirstRun
from app.gui.kit_form import default_kit_path


class ImportKitPage(AsyncPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__(ctx.bridge)
        self.ctx = ctx
        self.setTitle(self.tr("Welcome back"))
        self.setSubTitle(
            self.tr(
                "Your account already has backups. To reach them from this PC, open your recovery "
                "kit with its passphrase or your recovery code."
            )
        )
        self.from_file = QRadioButton(self.tr("Use my recovery kit file"), self)
        self.from_service = QRadioButton(
            self.tr("Use the copy stored on the Keepsake service"), self
        )
        self.from_file.setChecked(True)
        self.path = QLineEdit(str(default_kit_path()), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("passphrase, or a code like ABCDE-FGHIJ-…"))
        self.fresh = QCheckBox(
            self.tr("I have neither: start a new, empty backup on this PC instead"), self
        )
        hint = QLabel(
            self.tr(
                "Without the kit and its passphrase or code, the existing backups cannot be opened "
                "by anyone. A new backup leaves them untouched."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")

        form = QFormLayout()
        form.addRow(self.from_file)
        form.addRow(self.tr("Kit file:"), row)
        form.addRow(self.from_service)
        form.addRow(self.tr("Passphrase or recovery code:"), self.secret)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.fresh)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addWidget(self.message)

        for signal in (self.secret.textChanged, self.path.textChanged):
            signal.connect(self.completeChanged)
        self.fresh.toggled.connect(self._fresh_toggled)
        self.from_file.toggled.connect(lambda on: self.path.setEnabled(on))

    def initializePage(self) -> None:
        on_service = bool(self.ctx.signed_in and self.ctx.signed_in.kit_on_service)
        self.from_service.setEnabled(on_service)
        if on_service:
            self.from_service.setChecked(True)

    def _fresh_toggled(self, on: bool) -> None:
        self.ctx.start_fresh = on
        for widget in (self.from_file, self.from_service, self.path, self.secret):
            widget.setEnabled(not on)
        if not on:
            self.initializePage()
        self.completeChanged.emit()

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open the recovery kit"),
            self.path.text(),
            self.tr("Keepsake recovery kit (*.json);;All files (*)"),
        )
        if chosen:
            self.path.setText(chosen)

    def isComplete(self) -> bool:
        if self.fresh.isChecked():
            return True
        has_source = self.from_service.isChecked() or bool(self.path.text().strip())
        return has_source and bool(self.secret.text())

    def work(self) -> Callable[[], Any] | None:
        if self.fresh.isChecked():
            return None
        kit = None if self.from_service.isChecked() else Path(self.path.text().strip())
        secret, controller = self.secret.text().strip(), self.ctx.controller
        return lambda: controller.import_kit(kit, secret)

    def done(self, result: int) -> None:
        self.ctx.snapshots_found = result
        self.secret.clear()

    def nextId(self) -> int:
        return KIT if self.fresh.isChecked() else RESTORE_OFFER
