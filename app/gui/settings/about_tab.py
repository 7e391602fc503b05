"""About: the version, checking for updates, the log folder, the language, the backup report."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.controller import Controller, UpdateInfo
from app.gui.bridge import Bridge
from app.gui.settings.draft import Draft
from app.gui.settings.report_view import ReportView
from app.gui.wording_errors import error_sentence
from app.settings import Settings

LANGUAGES = (("", "System"), ("en", "English"), ("da", "Dansk"))


class AboutTab(QWidget):
    def __init__(self, controller: Controller, bridge: Bridge, draft: Draft) -> None:
        super().__init__()
        self._controller = controller
        self._bridge = bridge
        self.draft = draft
        title = QLabel(self.tr("Keepsake {version}").format(version=__version__), self)
        title.setObjectName("headline")
        self.update_button = QPushButton(self.tr("Check for updates"), self)
        self.update_button.clicked.connect(self.check_updates)
        self.update_text = QLabel(self)
        self.update_text.setWordWrap(True)
        self.update_text.setOpenExternalLinks(True)  # the download link opens in the browser
        self.update_notes = QLabel(self)
        self.update_notes.setObjectName("muted")
        self.update_notes.setWordWrap(True)
        self.update_notes.hide()
        self.log_button = QPushButton(self.tr("Open the log folder"), self)
        self.log_button.clicked.connect(self.open_logs)
        self.language = QComboBox(self)
        for code, name in LANGUAGES:
            self.language.addItem(self.tr("Follow the system") if not code else name, code)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_note = QLabel(self.tr("A new language is used from the next start."), self)
        self.language_note.setObjectName("muted")
        self.report = ReportView(self)
        self.refresh_button = QPushButton(self.tr("Refresh the report"), self)
        self.refresh_button.clicked.connect(self.load_report)
        row = QHBoxLayout()
        row.addWidget(self.update_button)
        row.addWidget(self.update_text, 1)
        row.addWidget(self.log_button)
        form = QFormLayout()
        form.addRow(self.tr("Language:"), self.language)
        form.addRow("", self.language_note)
        report_head = QHBoxLayout()
        heading = QLabel(self.tr("Backup report"), self)
        heading.setObjectName("subheadline")
        report_head.addWidget(heading, 1)
        report_head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.update_notes)
        layout.addLayout(form)
        layout.addLayout(report_head)
        layout.addWidget(self.report, 1)
        self._showing = False
        draft.loaded.connect(self.show_settings)

    def show_settings(self, settings: Settings) -> None:
        self._showing = True
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(index, 0))
        self._showing = False

    def _language_changed(self) -> None:
        if self._showing or self.draft.settings is None:
            return
        self.draft.settings.language = str(self.language.currentData())
        self.draft.changed()

    def check_updates(self) -> None:
        self.update_button.setEnabled(False)
        self._say_update(self.tr("Checking…"), "muted")
        self._bridge.run(
            self._controller.check_for_updates, self._show_update, self._update_failed, owner=self
        )

    def _show_update(self, info: UpdateInfo) -> None:
        self.update_button.setEnabled(True)
        if info.available:
            text = html.escape(
                self.tr("Version {version} is available.").format(version=info.latest)
            )
            if info.url:
                link = html.escape(self.tr("Download it"))
                text += f' <a href="{html.escape(info.url, quote=True)}">{link}</a>'
            self._say_update(text, "success")
            if info.notes:
                self.update_notes.setText(self.tr("What is new: {notes}").format(notes=info.notes))
                self.update_notes.show()
        elif info.latest is None:
            self._say_update(
                html.escape(self.tr("The Keepsake service has no update information.")), "muted"
            )
        else:
            self._say_update(
                html.escape(
                    self.tr("Keepsake is up to date (version {version}).").format(
                        version=info.current
                    )
                ),
                "success",
            )

    def _update_failed(self, exc: BaseException) -> None:
        self.update_button.setEnabled(True)
        self._say_update(
            html.escape(
                self.tr("Could not check for updates. {reason}").format(reason=error_sentence(exc))
            ),
            "error",
        )

    def _say_update(self, rich_text: str, look: str) -> None:
        self.update_notes.hide()
        self.update_text.setTextFormat(Qt.TextFormat.RichText)
        self.update_text.setText(rich_text)
        self.update_text.setObjectName(look)
        self.update_text.style().unpolish(self.update_text)
        self.update_text.style().polish(self.update_text)

    def open_logs(self) -> None:
        folder = self._controller.profile.log_dir

        def ensure() -> str:
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder)

        def show(path: str) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

        self._bridge.run(ensure, show, owner=self)

    def load_report(self) -> None:
        self.report.show_message(self.tr("Loading…"))
        self._bridge.run(
            self._controller.report,
            self.report.show_report,
            lambda exc: self.report.show_message(error_sentence(exc)),
            owner=self,
        )
