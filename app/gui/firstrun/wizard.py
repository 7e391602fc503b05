"""The first-run wizard itself: assembles the pages; `finished_setup` says what to start next."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

from app.controller import Controller, Setup
from app.gui.bridge import Bridge
from app.gui.firstrun.context import FOLDERS, IMPORT, KIT, RESTORE_OFFER, SIGN_IN, SUMMARY, FirstRun
from app.gui.firstrun.folders_page import FoldersPage
from app.gui.firstrun.import_page import ImportKitPage
from app.gui.firstrun.kit_page import KitPage
from app.gui.firstrun.restore_offer_page import RestoreOfferPage
from app.gui.firstrun.signin_page import SignInPage
from app.gui.firstrun.summary_page import SummaryPage
from app.gui.resources import app_icon


class FirstRunWizard(QWizard):
    finished_setup = Signal(bool)  # True: restore everything from the newest backup

    def __init__(self, controller: Controller, bridge: Bridge, setup: Setup) -> None:
        super().__init__()
        self.setObjectName("FirstRunWizard")
        self.setWindowTitle(self.tr("Set up Keepsake"))
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(48, 48))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(640, 560)
        self.ctx = FirstRun(controller, bridge, setup)
        self.sign_in = SignInPage(self.ctx)
        self.kit = KitPage(self.ctx)
        self.import_kit = ImportKitPage(self.ctx)
        self.restore_offer = RestoreOfferPage(self.ctx)
        self.folders = FoldersPage(self.ctx)
        self.summary = SummaryPage(self.ctx)
        self.setPage(SIGN_IN, self.sign_in)
        self.setPage(KIT, self.kit)
        self.setPage(IMPORT, self.import_kit)
        self.setPage(RESTORE_OFFER, self.restore_offer)
        self.setPage(FOLDERS, self.folders)
        self.setPage(SUMMARY, self.summary)
        self.setStartId(SIGN_IN)
        self.accepted.connect(lambda: self.finished_setup.emit(self.ctx.restore_everything))
