"""Folders: which folders are protected, what is left out (presets, patterns, a size limit)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.settings.draft import Draft
from app.settings import Settings


class FoldersTab(QWidget):
    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.folders = QListWidget(self)
        self.add_button = QPushButton(self.tr("Add a folder…"), self)
        self.remove_button = QPushButton(self.tr("Stop protecting"), self)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.folders.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))
        self.remove_button.setEnabled(False)
        note = QLabel(
            self.tr(
                "A folder you stop protecting is no longer backed up; its versions stay restorable "
                "for the retention period."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        chosen = QGroupBox(self.tr("Protected folders"), self)
        chosen_layout = QVBoxLayout(chosen)
        chosen_layout.addWidget(self.folders)
        chosen_layout.addLayout(buttons)
        chosen_layout.addWidget(note)

        self.presets = QCheckBox(
            self.tr("Skip system files, caches and temporary files (recommended)"), self
        )
        self.patterns = QPlainTextEdit(self)
        self.patterns.setPlaceholderText(
            self.tr("One pattern per line, e.g. *.iso or node_modules")
        )
        self.patterns.setMaximumHeight(90)
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 1_000_000)
        self.limit.setSuffix(" MB")
        self.limit.setSpecialValueText(self.tr("no limit"))
        self.limit.setMaximumWidth(160)
        excluded = QGroupBox(self.tr("Left out"), self)
        form = QFormLayout(excluded)
        form.addRow(self.presets)
        form.addRow(self.tr("Also skip:"), self.patterns)
        form.addRow(self.tr("Skip files larger than:"), self.limit)

        layout = QVBoxLayout(self)
        layout.addWidget(chosen, 1)
        layout.addWidget(excluded)
        draft.loaded.connect(self.show_settings)
        self.presets.toggled.connect(self._edited)
        self.patterns.textChanged.connect(self._edited)
        self.limit.valueChanged.connect(self._edited)
        self._showing = False

    def show_settings(self, settings: Settings) -> None:
        self._showing = True
        self.folders.clear()
        self.folders.addItems(settings.folders)
        self.presets.setChecked(settings.exclude_presets)
        self.patterns.setPlainText("\n".join(settings.exclude_patterns))
        self.limit.setValue(settings.max_file_size_mb)
        self._showing = False

    def _edited(self) -> None:
        settings = self.draft.settings
        if self._showing or settings is None:
            return
        settings.exclude_presets = self.presets.isChecked()
        settings.exclude_patterns = [
            line.strip() for line in self.patterns.toPlainText().splitlines() if line.strip()
        ]
        settings.max_file_size_mb = self.limit.value()
        settings.folders = [self.folders.item(i).text() for i in range(self.folders.count())]
        self.draft.changed()

    def add_folder(self, folder: str) -> None:
        folder = os.path.normpath(folder)
        existing = [self.folders.item(i).text() for i in range(self.folders.count())]
        if folder not in existing:
            self.folders.addItem(folder)
            self._edited()

    def _add(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder to protect"))
        if folder:
            self.add_folder(folder)

    def _remove(self) -> None:
        row = self.folders.currentRow()
        if row >= 0:
            self.folders.takeItem(row)
            self._edited()
