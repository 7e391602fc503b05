"""For one file: every version the backups hold, newest first, to pick the one to restore."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.controller import RestoreSession, Version
from app.gui.bridge import Bridge
from app.gui.wording import size, when_exactly
from app.gui.wording_errors import error_sentence


class VersionsDialog(QDialog):
    def __init__(
        self, session: RestoreSession, bridge: Bridge, path: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Versions of {name}").format(name=path.rsplit("/", 1)[-1]))
        self.setMinimumSize(480, 320)
        self.chosen: Version | None = None
        self.status = QLabel(self.tr("Looking up versions…"), self)
        self.status.setObjectName("muted")
        self.list = QTreeWidget(self)
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Backed up"), self.tr("Changed"), self.tr("Size")])
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use this version"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.currentItemChanged.connect(
            lambda cur, _prev: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
                cur is not None
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(path, self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._versions: list[Version] = []
        bridge.run(lambda: session.versions(path), self.show_versions, self._failed, owner=self)

    def show_versions(self, versions: list[Version]) -> None:
        self._versions = sorted(versions, key=lambda v: v.time, reverse=True)
        for i, version in enumerate(self._versions):
            item = QTreeWidgetItem(
                [
                    when_exactly(version.time),
                    when_exactly(version.mtime) if version.mtime else "",
                    size(version.size),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            self.list.addTopLevelItem(item)
        self.status.setText(self.tr("%n version(s) can be restored.", None, len(versions)))
        for column in range(3):
            self.list.resizeColumnToContents(column)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_sentence(exc))

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = self._versions[int(item.data(0, Qt.ItemDataRole.UserRole))]
        super().accept()
