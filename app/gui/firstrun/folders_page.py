"""Step 4: which folders to protect. Documents and Pictures come ticked; sizes add up in the
background so the list appears at once."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.controller import FolderSize
from app.gui.firstrun.context import SUMMARY, FirstRun
from app.gui.wording import size


class FoldersPage(QWizardPage):
    def __init__(self, ctx: FirstRun) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(self.tr("What should Keepsake protect?"))
        self.setSubTitle(
            self.tr(
                "Ticked folders are backed up continuously, with everything inside them. You can "
                "change this later in Settings."
            )
        )
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Folder"), self.tr("Size")])
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(lambda *_: self.completeChanged.emit())
        add = QPushButton(self.tr("Add a folder…"), self)
        add.clicked.connect(self._add)
        self.total = QLabel(self)
        self.total.setObjectName("muted")
        note = QLabel(
            self.tr("System files, caches and temporary files inside these folders are skipped."),
            self,
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(note)
        self._loaded = False
        self._sizes: dict[str, FolderSize] = {}

    def initializePage(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self.ctx.bridge.run(self.ctx.controller.suggested_folders, self._show_folders, owner=self)

    def _show_folders(self, folders: list[str]) -> None:
        for folder in folders:
            self.add_folder(folder, checked=True)

    def add_folder(self, folder: str, *, checked: bool) -> None:
        if self._item(folder) is not None:
            return
        item = QTreeWidgetItem([folder, self.tr("counting…")])
        item.setData(0, Qt.ItemDataRole.UserRole, folder)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tree.addTopLevelItem(item)
        controller = self.ctx.controller
        self.ctx.bridge.run(lambda: controller.folder_size(folder), self._show_size, owner=self)
        self.completeChanged.emit()

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _item(self, folder: str) -> QTreeWidgetItem | None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == folder:
                return item
        return None

    def _show_size(self, measured: FolderSize) -> None:
        self._sizes[measured.path] = measured
        item = self._item(measured.path)
        if item is not None:
            text = size(measured.size)
            item.setText(
                1, text if measured.complete else self.tr("more than {size}").format(size=text)
            )
        self._update_total()

    def _update_total(self) -> None:
        chosen = [self._sizes[f] for f in self.chosen() if f in self._sizes]
        total = sum(m.size for m in chosen)
        self.total.setText(self.tr("Selected: {size}").format(size=size(total)))

    def _add(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder to protect"))
        if folder:
            self.add_folder(os.path.normpath(folder), checked=True)

    def chosen(self) -> list[str]:
        return [
            str(item.data(0, Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def isComplete(self) -> bool:
        return bool(self.chosen())

    def validatePage(self) -> bool:
        self.ctx.folders = self.chosen()
        return True

    def nextId(self) -> int:
        return SUMMARY
