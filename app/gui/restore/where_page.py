"""Step 3: where. The original place or another folder, and what to do when a file is already
there: overwrite it, keep both (the restored one gets a suffix), or leave it alone."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.gui.restore.context import KEEP_BOTH, OVERWRITE, PROGRESS, SKIP, RestoreJob


class WherePage(QWizardPage):
    def __init__(self, job: RestoreJob) -> None:
        super().__init__()
        self.job = job
        self.setTitle(self.tr("Where?"))
        self.setSubTitle(
            self.tr("Choose where the files go and what to do with files already there.")
        )
        self.original = QRadioButton(self.tr("To their original place"), self)
        self.elsewhere = QRadioButton(self.tr("Into another folder:"), self)
        self.original.setChecked(True)
        default = Path(platformdirs.user_desktop_dir()) / self.tr("Restored files")
        self.folder = QLineEdit(str(default), self)
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addSpacing(24)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        place = QGroupBox(self.tr("Restore"), self)
        place_layout = QVBoxLayout(place)
        place_layout.addWidget(self.original)
        place_layout.addWidget(self.elsewhere)
        place_layout.addLayout(row)

        self.keep_both = QRadioButton(
            self.tr(
                "Keep both: the restored file gets \u201c(restored\u00a0date)\u201d added to its name"
            ),
            self,
        )
        self.overwrite = QRadioButton(self.tr("Replace the file that is there"), self)
        self.skip = QRadioButton(
            self.tr("Leave the file that is there, skip the restored one"), self
        )
        self.keep_both.setChecked(True)
        self.policy = QButtonGroup(self)
        for button in (self.keep_both, self.overwrite, self.skip):
            self.policy.addButton(button)
        conflicts = QGroupBox(self.tr("When a file already exists"), self)
        conflict_layout = QVBoxLayout(conflicts)
        for button in (self.keep_both, self.overwrite, self.skip):
            conflict_layout.addWidget(button)

        self.count = QLabel(self)
        self.count.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(place)
        layout.addWidget(conflicts)
        layout.addStretch(1)
        layout.addWidget(self.count)
        self.elsewhere.toggled.connect(self._place_changed)
        self.folder.textChanged.connect(self.completeChanged)
        self._place_changed()
        self.setCommitPage(True)

    def initializePage(self) -> None:
        self.count.setText(self.tr("%n item(s) will be restored.", None, len(self.job.items)))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Restore"))

    def _place_changed(self) -> None:
        on = self.elsewhere.isChecked()
        self.folder.setEnabled(on)
        self.browse.setEnabled(on)
        self.completeChanged.emit()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Restore into"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def isComplete(self) -> bool:
        return self.original.isChecked() or bool(self.folder.text().strip())

    def validatePage(self) -> bool:
        self.job.target = Path(self.folder.text().strip()) if self.elsewhere.isChecked() else None
        if self.overwrite.isChecked():
            self.job.conflict = OVERWRITE
        elif self.skip.isChecked():
            self.job.conflict = SKIP
        else:
            self.job.conflict = KEEP_BOTH
        return True

    def nextId(self) -> int:
        return PROGRESS
