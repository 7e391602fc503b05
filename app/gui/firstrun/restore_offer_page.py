"""Step 3 (new PC): the kit opened; offer to bring every file back to this PC."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWizardPage

from app.gui.firstrun.context import FOLDERS, FirstRun


class RestoreOfferPage(QWizardPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(self.tr("Your backups are here"))
        self.found = QLabel(self)
        self.found.setWordWrap(True)
        self.found.setObjectName("success")
        self.restore_all = QCheckBox(
            self.tr("Restore all my files to this PC now (from the newest backup)"), self
        )
        self.restore_all.setChecked(True)
        self.restore_all.toggled.connect(self._toggled)
        later = QLabel(
            self.tr(
                "You can also pick single files or older versions at any time with "
                "\u201cRestore files…\u201d in the Keepsake menu."
            ),
            self,
        )
        later.setWordWrap(True)
        later.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.found)
        layout.addWidget(self.restore_all)
        layout.addWidget(later)
        layout.addStretch(1)

    def initializePage(self) -> None:
        count = self.ctx.snapshots_found
        self.found.setText(
            self.tr(
                "The recovery kit opened your backup: %n backup(s) can be restored.", None, count
            )
        )
        self.restore_all.setEnabled(count > 0)
        self.restore_all.setChecked(count > 0)
        self._toggled(self.restore_all.isChecked())

    def _toggled(self, on: bool) -> None:
        self.ctx.restore_everything = on and self.ctx.snapshots_found > 0

    def nextId(self) -> int:
        return FOLDERS
