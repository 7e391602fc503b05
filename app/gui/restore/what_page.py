"""Step 2: what. The snapshot as a lazily loaded tree with check boxes, a search by name, deleted
files on request, and a file's versions to pick from."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWizardPage,
)

from app.controller import Entry, RestoreItem
from app.core.progress import CancelToken
from app.gui.restore.context import WHERE, RestoreJob
from app.gui.restore.tree_model import SnapshotTreeModel
from app.gui.restore.versions_dialog import VersionsDialog
from app.gui.wording import size, when_exactly
from app.gui.wording_errors import error_sentence

SEARCH_DELAY_MS = 300
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class WhatPage(QWizardPage):
    def __init__(self, job: RestoreJob) -> None:
        super().__init__()
        self.job = job
        self.setTitle(self.tr("What?"))
        self.setSubTitle(
            self.tr("Tick the files and folders to bring back. Open a folder to see inside it.")
        )
        self.model = SnapshotTreeModel(job.session, job.bridge, self)
        self.model.selection_changed.connect(self._selection_changed)
        self.model.loading_changed.connect(self._loading_changed)
        self.model.failed.connect(lambda exc: self._say(error_sentence(exc), error=True))
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # keeps very large folders fast to show
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 90)
        self.tree.setColumnWidth(2, 150)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._current_changed())

        self.results = QStandardItemModel(self)
        self.results.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Folder"), self.tr("Size")]
        )
        self.results.itemChanged.connect(lambda *_: self._selection_changed())
        self.results_view = QTreeView(self)
        self.results_view.setModel(self.results)
        self.results_view.setRootIsDecorated(False)
        self.results_view.setUniformRowHeights(True)
        self.results_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results_view.selectionModel().currentChanged.connect(
            lambda *_: self._current_changed()
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.results_view)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._search_changed)
        self._search_cancel: CancelToken | None = None
        self.deleted = QCheckBox(self.tr("Show deleted files"), self)
        self.deleted.toggled.connect(self._reload)
        self.versions_button = QPushButton(self.tr("Versions…"), self)
        self.versions_button.setEnabled(False)
        self.versions_button.clicked.connect(self.open_versions)
        self.status = QLabel(self)
        self.status.setObjectName("muted")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.deleted)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.versions_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self._shown_snapshot: str | None = None
        self._pinned: dict[str, RestoreItem] = {}  # versions picked from search results

    def initializePage(self) -> None:
        snap = self.job.snapshot
        if snap is not None and snap.snapshot_id != self._shown_snapshot:
            self._shown_snapshot = snap.snapshot_id
            self._reload()

    def _reload(self) -> None:
        if self._shown_snapshot is None:
            return
        self.model.show_snapshot(self._shown_snapshot, include_deleted=self.deleted.isChecked())
        if self.job.select_all:
            self.model.loading_changed.connect(self._select_all_once)
        if self.search.text():
            self._run_search()
        self._selection_changed()

    def _select_all_once(self, loading: int) -> None:
        if loading == 0:
            self.model.loading_changed.disconnect(self._select_all_once)
            self.model.check_all()

    def _loading_changed(self, loading: int) -> None:
        if loading:
            self._say(self.tr("Loading…"))
        else:
            self._selection_changed()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("error" if error else "muted")
        self.status.setText(text)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # -- search ----------------------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        self.stack.setCurrentIndex(1 if text.strip() else 0)
        self._search_timer.start()
        self._current_changed()

    def _run_search(self) -> None:
        if self._search_cancel is not None:
            self._search_cancel.cancel()
        text = self.search.text().strip()
        self.results.removeRows(0, self.results.rowCount())
        if not text or self._shown_snapshot is None:
            return
        cancel = self._search_cancel = CancelToken()
        session, snapshot_id = self.job.session, self._shown_snapshot
        self._say(self.tr("Searching…"))
        self.job.bridge.run(
            lambda: session.search(snapshot_id, text, cancel=cancel),
            lambda found: self._show_results(cancel, found),
            lambda exc: self._say(error_sentence(exc), error=True),
            owner=self,
        )

    def _show_results(self, cancel: CancelToken, found: list[Entry]) -> None:
        if cancel is not self._search_cancel or cancel.cancelled:
            return
        for entry in found:
            name = QStandardItem(entry.name)
            name.setCheckable(True)
            name.setEditable(False)
            name.setData(entry, ENTRY_ROLE)
            folder = QStandardItem(entry.path.rsplit("/", 1)[0] if "/" in entry.path else "")
            folder.setEditable(False)
            weight = QStandardItem("" if entry.is_dir else size(entry.size))
            weight.setEditable(False)
            if entry.mtime is not None:
                name.setToolTip(when_exactly(entry.mtime))
            self.results.appendRow([name, folder, weight])
        self._say(self.tr("%n match(es).", None, len(found)))

    # -- versions --------------------------------------------------------------------------------

    def current_entry(self) -> tuple[Entry | None, QModelIndex | None]:
        if self.stack.currentIndex() == 0:
            index = self.tree.currentIndex()
            return self.model.entry(index), index
        index = self.results_view.currentIndex()
        item = self.results.item(index.row(), 0) if index.isValid() else None
        return (item.data(ENTRY_ROLE) if item is not None else None), None

    def _current_changed(self) -> None:
        entry, _ = self.current_entry()
        self.versions_button.setEnabled(entry is not None and entry.kind == "file")

    def open_versions(self) -> VersionsDialog | None:
        entry, index = self.current_entry()
        if entry is None:
            return None
        dialog = VersionsDialog(self.job.session, self.job.bridge, entry.path, self)
        dialog.finished.connect(lambda result: self._version_chosen(dialog, result, entry, index))
        dialog.open()
        return dialog

    def _version_chosen(
        self, dialog: VersionsDialog, result: int, entry: Entry, index: QModelIndex | None
    ) -> None:
        if result != VersionsDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        if index is not None and index.isValid():
            self.model.set_version(index.siblingAtColumn(0), dialog.chosen)
        else:
            self._pinned[entry.path] = RestoreItem(dialog.chosen.snapshot_id, entry.path)
            self._selection_changed()

    # -- the selection ---------------------------------------------------------------------------

    def selection(self) -> list[RestoreItem]:
        chosen = {item.path: item for item in self.model.selection()}
        for row in range(self.results.rowCount()):
            item = self.results.item(row, 0)
            if item.checkState() == Qt.CheckState.Checked:
                entry: Entry = item.data(ENTRY_ROLE)
                chosen.setdefault(entry.path, RestoreItem(entry.snapshot_id, entry.path))
        chosen.update(self._pinned)
        return list(chosen.values())

    def _selection_changed(self) -> None:
        count = len(self.selection())
        self._say(
            self.tr("%n item(s) chosen.", None, count) if count else self.tr("Nothing chosen yet.")
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.selection())

    def validatePage(self) -> bool:
        self.job.items = self.selection()
        return bool(self.job.items)

    def nextId(self) -> int:
        return WHERE
