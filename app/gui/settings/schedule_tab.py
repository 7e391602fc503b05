"""Schedule: continuous protection on or off, the time of the daily full check, and whether
Keepsake starts when the person signs in to the PC.

Starting at sign-in is the OS's state, not a setting: it is read and changed through the
controller on the bridge, never through the settings draft."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QTimeEdit, QVBoxLayout, QWidget

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.settings.draft import Draft
from app.gui.wording_errors import error_sentence
from app.settings import Settings


class ScheduleTab(QWidget):
    def __init__(self, draft: Draft, controller: Controller, bridge: Bridge) -> None:
        super().__init__()
        self.draft = draft
        self._controller = controller
        self._bridge = bridge
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
        self.start_at_sign_in = QCheckBox(self.tr("Start Keepsake when I sign in"), self)
        self.start_at_sign_in.setEnabled(False)  # until the OS's answer is in
        form = QFormLayout()
        form.addRow(self.continuous)
        form.addRow(self.tr("Daily check at:"), self.daily)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.start_at_sign_in)
        layout.addStretch(1)
        self._showing = False
        draft.loaded.connect(self.show_settings)
        self.continuous.toggled.connect(self._edited)
        self.daily.timeChanged.connect(self._edited)
        self.start_at_sign_in.toggled.connect(self._start_at_sign_in_toggled)
        self._bridge.run(
            self._controller.starts_at_sign_in,
            self._show_start_at_sign_in,
            lambda exc: self.draft.failed.emit(error_sentence(exc)),
            owner=self,
        )

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

    def _show_start_at_sign_in(self, on: bool) -> None:
        self._showing = True
        self.start_at_sign_in.setChecked(on)
        self.start_at_sign_in.setEnabled(True)
        self._showing = False

    def _start_at_sign_in_toggled(self, on: bool) -> None:
        if self._showing:
            return
        self.start_at_sign_in.setEnabled(False)
        self._bridge.run(
            lambda: self._controller.set_start_at_sign_in(on),
            self._show_start_at_sign_in,
            self._start_at_sign_in_failed,
            owner=self,
        )

    def _start_at_sign_in_failed(self, exc: BaseException) -> None:
        """Say why, and show what is really in place (the OS may have kept the old entry)."""
        self.draft.failed.emit(error_sentence(exc))
        self._bridge.run(
            self._controller.starts_at_sign_in, self._show_start_at_sign_in, owner=self
        )
