"""Schedule: continuous protection on or off, and the time of the daily full check."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QTimeEdit, QVBoxLayout, QWidget

from app.gui.settings.draft import Draft
from app.settings import Settings


class ScheduleTab(QWidget):
    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.continuous = QCheckBox(
            self.tr("Back up changes continuously, within moments of saving a file"), self
        )
        self.daily = QTimeEdit(self)
        self.daily.setDisplayFormat("HH:mm")
        self.daily.setMaximumWidth(110)
        note = QLabel(
            self.tr(
                "Once a day Keepsake also checks every protected file, so nothing is missed. If the "
                "PC is off at that time, the check runs when it is next on."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form = QFormLayout()
        form.addRow(self.continuous)
        form.addRow(self.tr("Daily check at:"), self.daily)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        self._showing = False
        draft.loaded.connect(self.show_settings)
        self.continuous.toggled.connect(self._edited)
        self.daily.timeChanged.connect(self._edited)

    def show_settings(self, settings: Settings) -> None:
        self._showing = True
        self.continuous.setChecked(settings.continuous)
        self.daily.setTime(QTime.fromString(settings.daily_time, "HH:mm"))
        self._showing = False

    def _edited(self) -> None:
        settings = self.draft.settings
        if self._showing or settings is None:
            return
        settings.continuous = self.continuous.isChecked()
        settings.daily_time = self.daily.time().toString("HH:mm")
        self.draft.changed()
