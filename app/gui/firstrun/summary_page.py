"""Last step: what was set up, in a few lines; Finish saves the folders, sets Keepsake to start
when the person signs in (they can turn that off under Schedule), and starts the backup."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard

from app.gui.async_page import AsyncPage
from app.gui.firstrun.context import FirstRun


class SummaryPage(AsyncPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__(ctx.bridge)
        self.ctx = ctx
        self.setTitle(self.tr("All set"))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        layout.addWidget(self.message)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        ctx = self.ctx
        lines = []
        if ctx.signed_in is not None:
            lines.append(
                self.tr("Signed in as <b>{email}</b>.").format(
                    email=html.escape(ctx.signed_in.email)
                )
            )
        if ctx.kit is not None:
            lines.append(
                self.tr("Recovery kit saved to {path}.").format(path=html.escape(str(ctx.kit.path)))
            )
        elif ctx.snapshots_found:
            lines.append(self.tr("Your key was restored from the recovery kit."))
        folders = "".join(f"<li>{html.escape(f)}</li>" for f in ctx.folders)
        lines.append(self.tr("Protected folders:") + f"<ul>{folders}</ul>")
        if ctx.restore_everything:
            lines.append(self.tr("Your files will be restored from the newest backup first."))
        lines.append(
            self.tr(
                "The first backup starts when you press Finish. After that Keepsake works quietly "
                "in the background: look for its icon next to the clock."
            )
        )
        self.text.setText("<p>" + "</p><p>".join(lines) + "</p>")
        wizard = self.wizard()
        if wizard is not None:
            wizard.setButtonText(
                QWizard.WizardButton.FinishButton, self.tr("Start the first backup")
            )

    def work(self) -> Callable[[], Any]:
        folders, controller = list(self.ctx.folders), self.ctx.controller
        return lambda: controller.finish_first_run(folders)
