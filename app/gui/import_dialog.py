"""Use a recovery kit from another PC here: the kit file (or the service's copy) and its
passphrase or recovery code; afterwards this PC backs up into, and restores from, that backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.kit_form import default_kit_path
from app.gui.wording_errors import error_sentence


class ImportDialog(QDialog):
    imported = Signal(int)  # snapshots found

    def __init__(
        self, controller: Controller, bridge: Bridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Use a recovery kit"))
        self.setMinimumWidth(560)
        self._controller = controller
        self._bridge = bridge
        self.path = QLineEdit(str(default_kit_path()), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        warning = QLabel(
            self.tr(
                "This PC will switch to the backup the kit belongs to. Backups made with the current "
                "key stay on the service until they age out."
            ),
            self,
        )
        warning.setWordWrap(True)
        warning.setObjectName("warning")
        form = QFormLayout()
        form.addRow(self.tr("Kit file:"), row)
        form.addRow(self.tr("Passphrase or recovery code:"), self.secret)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use this kit"))
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open the recovery kit"),
            self.path.text(),
            self.tr("Keepsake recovery kit (*.json);;All files (*)"),
        )
        if chosen:
            self.path.setText(chosen)

    def _import(self) -> None:
        kit, secret = Path(self.path.text().strip()), self.secret.text().strip()
        controller = self._controller
        self.buttons.setEnabled(False)
        self.message.setObjectName("muted")
        self.message.setText(self.tr("Opening the kit…"))
        self._bridge.run(
            lambda: controller.import_kit(kit, secret), self._done, self._failed, owner=self
        )

    def _done(self, count: int) -> None:
        self.imported.emit(count)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setObjectName("error")
        self.message.setText(error_sentence(exc))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
