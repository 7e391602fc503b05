"""Network: an upload speed limit, and whether to wait on metered connections or on battery."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.gui.settings.draft import Draft
from app.settings import Settings


class NetworkTab(QWidget):
    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.limit = QSpinBox(self)
        self.limit.setRange(0, 10_000_000)
        self.limit.setSingleStep(128)
        self.limit.setSuffix(" KB/s")
        self.limit.setSpecialValueText(self.tr("no limit"))
        self.limit.setMaximumWidth(180)
        self.metered = QCheckBox(
            self.tr("Wait with uploads while on a metered connection (mobile data)"), self
        )
        self.battery = QCheckBox(self.tr("Wait with uploads while running on battery"), self)
        note = QLabel(
            self.tr("A limit keeps video calls and games smooth while a large backup runs."), self
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form = QFormLayout()
        form.addRow(self.tr("Upload speed limit:"), self.limit)
        form.addRow("", note)
        form.addRow(self.metered)
        form.addRow(self.battery)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        self._showing = False
        draft.loaded.connect(self.show_settings)
        self.limit.valueChanged.connect(self._edited)
        self.metered.toggled.connect(self._edited)
        self.battery.toggled.connect(self._edited)

    def show_settings(self, settings: Settings) -> None:
        self._showing = True
        self.limit.setValue(settings.upload_limit_kib)
        self.metered.setChecked(settings.skip_on_metered)
        self.battery.setChecked(settings.skip_on_battery)
        self._showing = False

    def _edited(self) -> None:
        settings = self.draft.settings
        if self._showing or settings is None:
            return
        settings.upload_limit_kib = self.limit.value()
        settings.skip_on_metered = self.metered.isChecked()
        settings.skip_on_battery = self.battery.isChecked()
        self.draft.changed()
