"""The backup report: what is covered, what is left out on purpose and why, and what could not
be read — so a person can check that what matters is really backed up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.gui.wording import ago, when_exactly
from app.gui.wording_reasons import reason_sentence


class ReportView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Why")])
        self.tree.setColumnWidth(0, 330)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def show_report(self, report: Any) -> None:
        """`report` is an app.protect BackupReport."""
        now = datetime.now(UTC)
        if report.finished is None:
            self.summary.setText(self.tr("No backup has finished since Keepsake started."))
        else:
            self.summary.setText(
                self.tr(
                    "Last backup {when}: {new} new, {changed} changed and {same} unchanged files."
                ).format(
                    when=ago(report.finished, now),
                    new=report.files_new,
                    changed=report.files_changed,
                    same=report.files_unmodified,
                )
            )
        self.tree.clear()
        covered = self._section(self.tr("Backed up"), len(report.folders))
        for folder in report.folders:
            why = (
                self.tr("missing: the folder is not there")
                if folder in report.missing_folders
                else self.tr("protected")
            )
            QTreeWidgetItem(covered, [folder, why])
        left_out = self._section(self.tr("Left out on purpose"), len(report.excluded))
        for path, why in report.excluded:
            QTreeWidgetItem(left_out, [path, reason_sentence(why)])
        unreadable = self._section(
            self.tr("Could not be read (tried again later)"), len(report.unreadable)
        )
        for problem in report.unreadable:
            QTreeWidgetItem(
                unreadable,
                [
                    problem.path,
                    self.tr("{reason} (since {when})").format(
                        reason=reason_sentence(problem.reason),
                        when=when_exactly(problem.since),
                    ),
                ],
            )
        covered.setExpanded(True)
        unreadable.setExpanded(True)

    def _section(self, title: str, count: int) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [f"{title} ({count})", ""])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        return item

    def show_message(self, text: str) -> None:
        self.summary.setText(text)
        self.tree.clear()
