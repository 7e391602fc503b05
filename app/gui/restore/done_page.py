"""The end: how much came back, and every file that failed or was skipped, with the reason."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.gui.restore.context import RestoreJob
from app.gui.wording import size
from app.gui.wording_reasons import reason_sentence


class DonePage(QWizardPage):
    def __init__(self, job: RestoreJob) -> None:
        super().__init__()
        self.job = job
        self.setTitle(self.tr("Restore finished"))
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.problems_label = QLabel(self.tr("These could not be restored:"), self)
        self.problems = QListWidget(self)
        self.skipped_label = QLabel(self.tr("These were left as they were:"), self)
        self.skipped = QListWidget(self)
        self.open_button = QPushButton(self.tr("Open the folder"), self)
        self.open_button.clicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        outcome = self.job.outcome
        if outcome is None:
            return
        if outcome.cancelled:
            self.setTitle(self.tr("Restore cancelled"))
        text = self.tr("%n file(s) restored", None, outcome.files_restored)
        text += " (" + size(outcome.bytes_written) + ")"
        if self.job.target is not None:
            text += " " + self.tr("into {folder}").format(folder=str(self.job.target))
        else:
            text += " " + self.tr("to their original place")
        text += "."
        if outcome.cancelled:
            text += " " + self.tr("The rest was not restored because you cancelled.")
        self.headline.setText(text)
        self.headline.setObjectName("error" if outcome.failures else "success")
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        self.problems.clear()
        for path, reason in outcome.failures:
            why = reason_sentence(reason)
            self.problems.addItem(f"{path} — {why}" if path else why)
        self.skipped.clear()
        for path, reason in outcome.skipped:
            self.skipped.addItem(f"{path} — {reason_sentence(reason)}" if reason else path)
        self.problems_label.setVisible(bool(outcome.failures))
        self.problems.setVisible(bool(outcome.failures))
        self.skipped_label.setVisible(bool(outcome.skipped))
        self.skipped.setVisible(bool(outcome.skipped))
        self.open_button.setVisible(self.job.target is not None)

    def _open(self) -> None:
        if self.job.target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.job.target)))
