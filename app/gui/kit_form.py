"""The recovery-kit form: passphrase with strength feedback, where to save, the optional copy on
the service, the plain warning, Save, the recovery code, Print, and the "I have kept it" tick.

Used by the first-run wizard (which cannot go on until the kit is saved and the tick is set) and by
the key backup dialog (export again, change the passphrase).
"""

from __future__ import annotations

import html
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller, KitSaved
from app.gui.bridge import Bridge
from app.gui.passphrase import strength
from app.gui.wording_errors import error_sentence

KIT_FILE_NAME = "Keepsake recovery kit.json"


def default_kit_path() -> Path:
    return Path(platformdirs.user_documents_dir()) / KIT_FILE_NAME


class KitForm(QWidget):
    complete_changed = Signal()
    saved = Signal(object)  # KitSaved

    def __init__(
        self,
        controller: Controller,
        bridge: Bridge,
        *,
        create_key: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._bridge = bridge
        self._create_key = create_key
        self.result: KitSaved | None = None

        self.warning = QLabel(
            self.tr(
                "Your files are encrypted on this PC with a key that only you hold. Keepsake cannot "
                "see it and cannot reset it. <b>If this PC is lost and you have neither the recovery "
                "kit nor its passphrase (or recovery code), your backed-up files are gone for good — "
                "nobody, not even Keepsake, can restore them.</b> Keep the kit somewhere other than "
                "this PC: a USB stick, a printout in a drawer, your e-mail."
            ),
            self,
        )
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)

        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("muted")
        self.location = QLineEdit(str(default_kit_path()), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(browse)
        self.upload = QCheckBox(
            self.tr("Also keep an encrypted copy on the Keepsake service"), self
        )
        upload_hint = QLabel(self.tr("The copy cannot be opened without your passphrase."), self)
        upload_hint.setObjectName("muted")

        form = QFormLayout()
        form.addRow(self.tr("Passphrase:"), self.passphrase)
        form.addRow(self.tr("Repeat it:"), self.confirm)
        form.addRow("", self.meter)
        form.addRow("", self.feedback)
        form.addRow(self.tr("Save the kit to:"), where)
        form.addRow("", self.upload)
        form.addRow("", upload_hint)

        self.save_button = QPushButton(self.tr("Save recovery kit"), self)
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.clicked.connect(self.print_kit)
        self.print_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kept = QCheckBox(
            self.tr("I have saved my recovery kit and I know its passphrase"), self
        )
        self.kept.setEnabled(False)
        self.kept.toggled.connect(lambda _on: self.complete_changed.emit())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        layout.addWidget(self.kept)
        layout.addStretch(1)

        self.passphrase.textChanged.connect(self._on_typed)
        self.confirm.textChanged.connect(self._on_typed)
        self._on_typed()

    def is_complete(self) -> bool:
        return self.result is not None and self.kept.isChecked()

    def _on_typed(self) -> None:
        rating = strength(self.passphrase.text())
        self.meter.setValue(rating.score)
        self.meter.setProperty("score", rating.score)
        self.meter.style().unpolish(self.meter)
        self.meter.style().polish(self.meter)
        text = rating.word
        if self.confirm.text() and self.confirm.text() != self.passphrase.text():
            text = self.tr("The two passphrases are not the same.")
        self.feedback.setText(text)
        self.save_button.setEnabled(
            rating.acceptable and self.confirm.text() == self.passphrase.text()
        )

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the recovery kit"),
            self.location.text(),
            self.tr("Keepsake recovery kit (*.json)"),
        )
        if chosen:
            self.location.setText(chosen)

    def save(self) -> None:
        path = Path(self.location.text()).expanduser()
        passphrase, upload, create = (
            self.passphrase.text(),
            self.upload.isChecked(),
            self._create_key,
        )
        controller = self._controller

        def work() -> KitSaved:
            if create:
                controller.create_key()
            return controller.save_kit(path, passphrase, upload=upload)

        self.save_button.setEnabled(False)
        self.outcome.setText(self.tr("Saving…"))
        self._bridge.run(work, self._on_saved, self._on_failed, owner=self)

    def _on_saved(self, result: KitSaved) -> None:
        self.result = result
        self.save_button.setEnabled(True)
        self.save_button.setText(self.tr("Save again"))
        self.print_button.setEnabled(True)
        self.kept.setEnabled(True)
        where = self.tr("Saved to {path}.").format(path=html.escape(str(result.path)))
        if result.uploaded:
            where += " " + self.tr("An encrypted copy is stored on the Keepsake service.")
        code = self.tr("Your recovery code opens the kit too — write it down:")
        code += '<br><span style="font-family: monospace; font-size: 13pt; font-weight: 600">'
        code += f"{html.escape(result.recovery_code)}</span>"
        self.outcome.setObjectName("success")
        self.outcome.setText(f"{where}<br>{code}")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.saved.emit(result)
        self.complete_changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.outcome.setObjectName("error")
        self.outcome.setText(error_sentence(exc))
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)

    def print_kit(self) -> None:
        if self.result is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setDefaultFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            document.setPlainText(self.result.printable)
            document.print_(printer)
