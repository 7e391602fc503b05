"""Step 2 (first PC): the key is made here; the recovery kit must be saved before going on."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWizard, QWizardPage

from app.controller import KitSaved
from app.gui.firstrun.context import FOLDERS, FirstRun
from app.gui.kit_form import KitForm


class KitPage(QWizardPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(self.tr("Your key and recovery kit"))
        self.setSubTitle(
            self.tr(
                "Keepsake makes the key that encrypts your files here, on this PC. Choose a "
                "passphrase and save the recovery kit: it is your way back in if the PC is lost."
            )
        )
        self.form = KitForm(ctx.controller, ctx.bridge, create_key=True, parent=self)
        self.form.complete_changed.connect(self.completeChanged)
        self.form.saved.connect(self._saved)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.setCommitPage(True)  # no going back to sign in once the key exists
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Continue"))

    def _saved(self, result: KitSaved) -> None:
        self.ctx.kit = result

    def isComplete(self) -> bool:
        return self.form.is_complete()

    def nextId(self) -> int:
        return FOLDERS
