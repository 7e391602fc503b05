"""Step 1: when. The retention window as a calendar with the days that have backups marked, the
backups of the chosen day listed, and the newest one chosen to begin with."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.controller import Snapshot
from app.gui.restore.context import WHAT, RestoreJob
from app.gui.wording_errors import error_sentence


def local_day(moment: datetime) -> QDate:
    local = moment.astimezone()
    return QDate(local.year, local.month, local.day)


class WhenPage(QWizardPage):
    def __init__(self, job: RestoreJob) -> None:
        super().__init__()
        self.job = job
        self.setTitle(self.tr("When?"))
        self.setSubTitle(
            self.tr(
                "Pick the moment to go back to. Days with a backup are marked; the newest backup "
                "is chosen for you."
            )
        )
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.selectionChanged.connect(self._day_chosen)
        self.moments = QListWidget(self)
        self.moments.currentItemChanged.connect(lambda *_: self._moment_chosen())
        self.newest = QPushButton(self.tr("Newest backup"), self)
        self.newest.clicked.connect(self.choose_newest)
        self.status = QLabel(self.tr("Looking up your backups…"), self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Backups that day:"), self))
        side.addWidget(self.moments, 1)
        side.addWidget(self.newest)
        row = QHBoxLayout()
        row.addWidget(self.calendar, 3)
        row.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)

    def show_snapshots(self, snapshots: list[Snapshot], retention_days: int) -> None:
        self.job.snapshots = snapshots
        self.job.retention_days = retention_days
        today = local_day(datetime.now(UTC))
        first = today.addDays(-retention_days)
        if snapshots:
            first = min(first, local_day(snapshots[0].time))
        self.calendar.setDateRange(first, today)
        marked = QTextCharFormat()
        marked.setFontWeight(QFont.Weight.Bold)
        marked.setBackground(QBrush(QColor(46, 157, 91, 70)))
        for snap in snapshots:
            self.calendar.setDateTextFormat(local_day(snap.time), marked)
        if snapshots:
            self.status.setText(
                self.tr(
                    "%n backup(s) from the last {days} days can be restored.", None, len(snapshots)
                ).format(days=retention_days)
            )
            self.choose_newest()
        else:
            self.status.setText(self.tr("There are no backups to restore from yet."))
        self.completeChanged.emit()

    def show_error(self, exc: BaseException) -> None:
        self.status.setObjectName("error")
        self.status.setText(error_sentence(exc))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def choose_newest(self) -> None:
        if not self.job.snapshots:
            return
        newest = self.job.snapshots[-1]
        self.calendar.setSelectedDate(local_day(newest.time))
        self._day_chosen()
        self.moments.setCurrentRow(0)

    def _day_chosen(self) -> None:
        day = self.calendar.selectedDate()
        self.moments.clear()
        on_day = [s for s in self.job.snapshots if local_day(s.time) == day]
        for snap in sorted(on_day, key=lambda s: s.seq, reverse=True):
            local = snap.time.astimezone()
            item = QListWidgetItem(
                self.tr("{time} — from {device}").format(
                    time=local.strftime("%H:%M:%S"), device=snap.device
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, snap.snapshot_id)
            self.moments.addItem(item)
        if not on_day:
            before = [s for s in self.job.snapshots if local_day(s.time) < day]
            if before:  # no backup that day: the state at that day is the last one before it
                snap = before[-1]
                item = QListWidgetItem(
                    self.tr("As it was then (backup of {when})").format(
                        when=snap.time.astimezone().strftime("%Y-%m-%d %H:%M")
                    )
                )
                item.setData(Qt.ItemDataRole.UserRole, snap.snapshot_id)
                self.moments.addItem(item)
        if self.moments.count():
            self.moments.setCurrentRow(0)
        self._moment_chosen()

    def _moment_chosen(self) -> None:
        item = self.moments.currentItem()
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.job.snapshot = next((s for s in self.job.snapshots if s.snapshot_id == chosen), None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.job.snapshot is not None

    def nextId(self) -> int:
        return WHAT
