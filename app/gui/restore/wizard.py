"""The restore wizard: opens a restore session, loads the snapshots and the retention window, and
closes the session when it goes away."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from app.controller import AccountStatus, Controller, Snapshot
from app.core.errors import KeepsakeError
from app.gui.bridge import Bridge
from app.gui.resources import app_icon
from app.gui.restore.context import DONE, PROGRESS, WHAT, WHEN, WHERE, RestoreJob
from app.gui.restore.done_page import DonePage
from app.gui.restore.progress_page import ProgressPage
from app.gui.restore.what_page import WhatPage
from app.gui.restore.when_page import WhenPage
from app.gui.restore.where_page import WherePage


class RestoreWizard(QWizard):
    restore_finished = Signal(object)  # RestoreOutcome

    def __init__(self, controller: Controller, bridge: Bridge, *, select_all: bool = False) -> None:
        super().__init__()
        self.setObjectName("RestoreWizard")
        self.setWindowTitle(self.tr("Restore files"))
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(48, 48))
        self.setMinimumSize(760, 560)
        self.job = RestoreJob(controller.open_restore(), bridge, select_all=select_all)
        self.when = WhenPage(self.job)
        self.what = WhatPage(self.job)
        self.where = WherePage(self.job)
        self.progress = ProgressPage(self.job)
        self.done_page = DonePage(self.job)
        for page_id, page in (
            (WHEN, self.when),
            (WHAT, self.what),
            (WHERE, self.where),
            (PROGRESS, self.progress),
            (DONE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.progress.finished_restore.connect(self.restore_finished)
        self.finished.connect(self._close_session)
        session = self.job.session

        def load() -> tuple[list[Snapshot], int]:
            snapshots = session.snapshots()
            try:
                status: AccountStatus | None = controller.account_status()
            except KeepsakeError:  # the window works without the account's retention figure
                status = None
            return snapshots, status.retention_days if status is not None else 30

        bridge.run(
            load, lambda found: self.when.show_snapshots(*found), self.when.show_error, owner=self
        )

    def _close_session(self) -> None:
        self.progress.cancel()
        session = self.job.session
        self.job.bridge.run(session.close)
