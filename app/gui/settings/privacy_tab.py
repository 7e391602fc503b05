"""Privacy: what the service stores, in plain words; what the person agrees to; export my data;
delete my account."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.settings.consents_box import ConsentsBox
from app.gui.settings.delete_dialog import DeleteAccountDialog
from app.gui.settings.draft import Draft
from app.gui.wording_errors import error_sentence


class PrivacyTab(QWidget):
    def __init__(self, controller: Controller, bridge: Bridge, draft: Draft) -> None:
        super().__init__()
        self._controller = controller
        self._bridge = bridge
        self.draft = draft
        stores = QLabel(
            self.tr(
                "<p><b>What the Keepsake service stores about you</b></p><ul>"
                "<li>Your e-mail address, your password in scrambled (hashed) form, your plan and "
                "payment state.</li>"
                "<li>The names you gave your PCs, and when each last connected.</li>"
                "<li>Your backups as encrypted blocks, and how much space they take. The service "
                "cannot see file names, folder names or what is inside your files.</li>"
                "<li>If you chose so: an encrypted copy of your recovery kit, which cannot be opened "
                "without your passphrase.</li></ul>"
                "<p>Keepsake sends no usage statistics and no e-mail news unless you allow it "
                "below.</p>"
            ),
            self,
        )
        stores.setWordWrap(True)
        self.consents = ConsentsBox(controller, bridge, draft, self)
        self.telemetry = self.consents.telemetry
        self.export_button = QPushButton(self.tr("Export my data…"), self)
        self.export_button.clicked.connect(self.choose_export)
        self.delete_button = QPushButton(self.tr("Delete my account…"), self)
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(self.open_delete)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        rights = QGroupBox(self.tr("Your data"), self)
        row = QHBoxLayout(rights)
        row.addWidget(self.export_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(stores)
        layout.addWidget(self.consents)
        layout.addWidget(rights)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.consents.load()

    def choose_export(self) -> None:
        start = str(Path(platformdirs.user_documents_dir()) / "keepsake-my-data.json")
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export my data"), start, self.tr("JSON files (*.json)")
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, destination: Path) -> None:
        self.say(self.tr("Exporting…"))
        self._bridge.run(
            lambda: self._controller.export_my_data(destination),
            lambda path: self.say(self.tr("Your data was saved to {path}.").format(path=str(path))),
            lambda exc: self.say(error_sentence(exc), error=True),
            owner=self,
        )

    def open_delete(self) -> DeleteAccountDialog:
        dialog = DeleteAccountDialog(self._controller, self._bridge, self)
        dialog.deleted.connect(
            lambda: self.say(
                self.tr(
                    "Your account is deleted. All your backups are removed from the service within "
                    "30 days."
                )
            )
        )
        dialog.open()
        return dialog

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setObjectName("error" if error else "success")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
