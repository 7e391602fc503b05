"""The key backup dialog: save the recovery kit again, or with a new passphrase.

A new kit does not disable old ones (each old copy still opens the backup with its old
passphrase), and the dialog says so, so the person knows to destroy copies they no longer trust.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.kit_form import KitForm


class KeyDialog(QDialog):
    def __init__(
        self,
        controller: Controller,
        bridge: Bridge,
        *,
        change_passphrase: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KeyDialog")
        self.setWindowTitle(
            self.tr("Change the passphrase")
            if change_passphrase
            else self.tr("Save the recovery kit again")
        )
        self.setMinimumWidth(620)
        intro = QLabel(
            self.tr(
                "A new recovery kit is written with the passphrase you choose now. Kits you saved "
                "before still open your backup with their old passphrase: destroy any copy you no "
                "longer trust."
            )
            if change_passphrase
            else self.tr("Write a fresh copy of your recovery kit, for example onto a USB stick."),
            self,
        )
        intro.setWordWrap(True)
        self.form = KitForm(controller, bridge, create_key=False, parent=self)
        self.form.kept.hide()  # the first-run promise is not asked again
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form, 1)
        layout.addWidget(buttons)
