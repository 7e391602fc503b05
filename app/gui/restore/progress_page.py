"""Step 4: the restore runs on a worker; progress arrives through the bridge; Cancel stops it at
the next safe point. When it ends the wizard moves on to the summary by itself."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.controller import RestoreOutcome
from app.core.progress import CancelToken, Progress
from app.gui.restore.context import DONE, RestoreJob
from app.gui.wording import size
from app.gui.wording_errors import error_sentence

CHANNEL = "restore"


class ProgressPage(QWizardPage):
    finished_restore = Signal(object)  # RestoreOutcome

    def __init__(self, job: RestoreJob) -> None:
        super().__init__()
        self.job = job
        self.setTitle(self.tr("Restoring"))
        self.setSubTitle(self.tr("Your files are coming back. You can keep using your PC."))
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.line = QLabel(self.tr("Starting…"), self)
        self.line.setWordWrap(True)
        self.current = QLabel(self)
        self.current.setObjectName("muted")
        self.current.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel restore"), self)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.line)
        layout.addWidget(self.current)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self._cancel: CancelToken | None = None
        self._running = False
        job.bridge.progress.connect(self._progress)
        self.setCommitPage(True)  # once it ran, there is no going back to it
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Continue"))

    def initializePage(self) -> None:
        if self._running or self.job.outcome is not None:
            return
        self._running = True
        self._cancel = CancelToken()
        job, cancel = self.job, self._cancel
        events = job.bridge.events(CHANNEL)
        job.bridge.run(
            lambda: job.session.restore(
                job.items, job.target, job.conflict, events=events, cancel=cancel
            ),
            self._finished,
            self._failed,
            owner=self,
        )

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.line.setText(self.tr("Stopping…"))

    def _progress(self, channel: str, p: Progress) -> None:
        if channel != CHANNEL or not self._running:
            return
        if p.bytes_total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(p.bytes_done * 1000 / p.bytes_total))
        self.line.setText(
            self.tr("{done} of {total} files, {bytes_done} of {bytes_total}").format(
                done=p.files_done,
                total=p.files_total,
                bytes_done=size(p.bytes_done),
                bytes_total=size(p.bytes_total),
            )
        )
        self.current.setText(p.current or "")

    def _finished(self, outcome: RestoreOutcome) -> None:
        self._running = False
        self.job.outcome = outcome
        self.finished_restore.emit(outcome)
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _failed(self, exc: BaseException) -> None:
        self._finished(RestoreOutcome(0, 0, (), (("", error_sentence(exc)),), False))

    def isComplete(self) -> bool:
        return self.job.outcome is not None

    def nextId(self) -> int:
        return DONE
