"""A snapshot as a lazily loaded, checkable tree: opening a folder loads only that folder.

`fetchMore` asks the bridge for one folder's listing and inserts the rows when they arrive, so a
20,000-file snapshot costs one small listing per opened folder and the UI never waits. Check
states follow the usual rules (a ticked folder ticks what it holds; a partly ticked folder shows
partly), and `selection()` turns them into the fewest restore items: a ticked folder is one item.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QFileIconProvider

from app.controller import Entry, RestoreItem, RestoreSession, Version
from app.gui.bridge import Bridge
from app.gui.wording import size, when_exactly

NAME, SIZE, MODIFIED = range(3)
Index = QModelIndex | QPersistentModelIndex


class _Item:
    __slots__ = ("check", "children", "entry", "loaded", "loading", "parent", "row", "version")

    def __init__(self, entry: Entry | None, parent: _Item | None, row: int) -> None:
        self.entry = entry
        self.parent = parent
        self.row = row
        self.children: list[_Item] = []
        self.loaded = False
        self.loading = False
        self.check = Qt.CheckState.Unchecked
        self.version: Version | None = None

    @property
    def is_dir(self) -> bool:
        return self.entry is None or self.entry.is_dir


class SnapshotTreeModel(QAbstractItemModel):
    loading_changed = Signal(int)  # folders being loaded right now
    selection_changed = Signal()
    failed = Signal(object)  # an exception from a listing

    def __init__(self, session: RestoreSession, bridge: Bridge, parent: Any = None) -> None:
        super().__init__(parent)
        self._session = session
        self._bridge = bridge
        self._root = _Item(None, None, 0)
        self._snapshot_id = ""
        self._deleted = False
        self._generation = 0  # answers for an older snapshot or filter are dropped
        self._loading = 0
        self.listings = 0  # folders listed so far (tests check nothing loads eagerly)
        provider = QFileIconProvider()
        self._folder_icon = provider.icon(QFileIconProvider.IconType.Folder)
        self._file_icon = provider.icon(QFileIconProvider.IconType.File)

    # -- what is shown ---------------------------------------------------------------------------

    def show_snapshot(self, snapshot_id: str, *, include_deleted: bool = False) -> None:
        self.beginResetModel()
        self._generation += 1
        self._root = _Item(None, None, 0)
        self._snapshot_id = snapshot_id
        self._deleted = include_deleted
        self._loading = 0
        self.endResetModel()
        self.loading_changed.emit(0)
        self.fetchMore(QModelIndex())

    @property
    def snapshot_id(self) -> str:
        return self._snapshot_id

    def _item(self, index: Index) -> _Item:
        if not index.isValid():
            return self._root
        item = index.internalPointer()
        assert isinstance(item, _Item)
        return item

    def _index(self, item: _Item, column: int = 0) -> QModelIndex:
        if item is self._root:
            return QModelIndex()
        return self.createIndex(item.row, column, item)

    def entry(self, index: Index) -> Entry | None:
        return self._item(index).entry if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        item = self._item(parent)
        if not (0 <= row < len(item.children)) or not (0 <= column < 3):
            return QModelIndex()
        return self.createIndex(row, column, item.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._item(index).parent
        return QModelIndex() if parent is None else self._index(parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 3

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        item = self._item(parent)
        if not item.is_dir:
            return False
        return bool(item.children) or not item.loaded

    def canFetchMore(self, parent: Index) -> bool:
        item = self._item(parent)
        return item.is_dir and not item.loaded and not item.loading and bool(self._snapshot_id)

    def fetchMore(self, parent: Index) -> None:
        item = self._item(parent)
        if not self.canFetchMore(parent):
            return
        item.loading = True
        self._loading += 1
        self.listings += 1
        self.loading_changed.emit(self._loading)
        path = item.entry.path if item.entry is not None else ""
        session, snapshot_id, deleted = self._session, self._snapshot_id, self._deleted
        generation = self._generation
        self._bridge.run(
            lambda: session.ls(snapshot_id, path, include_deleted=deleted),
            lambda entries: self._loaded(generation, item, entries),
            lambda exc: self._load_failed(generation, item, exc),
            owner=self,
        )

    def _loaded(self, generation: int, item: _Item, entries: list[Entry]) -> None:
        if generation != self._generation:
            return
        entries = sorted(entries, key=lambda e: (not e.is_dir, e.name.casefold()))
        inherited = (
            Qt.CheckState.Checked
            if item.check == Qt.CheckState.Checked
            else Qt.CheckState.Unchecked
        )
        if entries:
            self.beginInsertRows(self._index(item), 0, len(entries) - 1)
            item.children = [_Item(e, item, row) for row, e in enumerate(entries)]
            for child in item.children:
                child.check = inherited
            item.loaded = True
            self.endInsertRows()
        else:
            item.loaded = True
            index = self._index(item)
            if index.isValid():
                self.dataChanged.emit(index, index)
        self._finish_loading(item)  # after the rows are in, so listeners see them

    def _load_failed(self, generation: int, item: _Item, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._finish_loading(item)
        self.failed.emit(exc)

    def _finish_loading(self, item: _Item) -> None:
        item.loading = False
        self._loading -= 1
        self.loading_changed.emit(self._loading)

    # -- cells -----------------------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        translate = QCoreApplication.translate
        return [
            translate("RestoreTree", "Name"),
            translate("RestoreTree", "Size"),
            translate("RestoreTree", "Modified"),
        ][section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._item(index)
        entry = item.entry
        assert entry is not None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return entry.name
            if column == SIZE:
                return (
                    "" if entry.is_dir else size(item.version.size if item.version else entry.size)
                )
            moment = item.version.mtime if item.version and item.version.mtime else entry.mtime
            return when_exactly(moment) if moment else ""
        if role == Qt.ItemDataRole.CheckStateRole and column == NAME:
            return item.check
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return self._folder_icon if entry.is_dir else self._file_icon
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (entry.deleted or item.version):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and entry.deleted:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.BackgroundRole and item.version:
            return QColor(255, 230, 150, 60)
        return None

    def _tooltip(self, item: _Item) -> str | None:
        translate = QCoreApplication.translate
        if item.version is not None:
            return translate("RestoreTree", "The version from {when} will be restored.").format(
                when=when_exactly(item.version.time)
            )
        if item.entry is not None and item.entry.deleted:
            return translate("RestoreTree", "Deleted: it is in older backups but not in this one.")
        return None

    # -- check boxes -----------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        state = Qt.CheckState(value)
        if state == Qt.CheckState.PartiallyChecked:
            state = Qt.CheckState.Checked
        item = self._item(index)
        self._set_down(item, state)
        self._update_up(item.parent)
        self.selection_changed.emit()
        return True

    def _set_down(self, item: _Item, state: Qt.CheckState) -> None:
        item.check = state
        for child in item.children:
            self._set_down(child, state)
        if item.children:
            first = self._index(item.children[0])
            last = self._index(item.children[-1])
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.CheckStateRole])
        index = self._index(item)
        if index.isValid():
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def _update_up(self, item: _Item | None) -> None:
        while item is not None and item is not self._root:
            states = {c.check for c in item.children}
            if states == {Qt.CheckState.Checked}:
                item.check = Qt.CheckState.Checked
            elif states == {Qt.CheckState.Unchecked}:
                item.check = Qt.CheckState.Unchecked
            else:
                item.check = Qt.CheckState.PartiallyChecked
            index = self._index(item)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
            item = item.parent

    def check_all(self) -> None:
        for child in self._root.children:
            self._set_down(child, Qt.CheckState.Checked)
        self.selection_changed.emit()

    def set_version(self, index: Index, version: Version | None) -> None:
        """Restore this file as it was in `version` (None: as in the chosen snapshot); ticks it."""
        item = self._item(index)
        item.version = version
        self.setData(self._index(item), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        self.dataChanged.emit(self._index(item), self._index(item, MODIFIED))

    def selection(self) -> list[RestoreItem]:
        return list(self._selected(self._root))

    def _selected(self, item: _Item) -> Iterator[RestoreItem]:
        for child in item.children:
            entry = child.entry
            assert entry is not None
            if child.check == Qt.CheckState.Unchecked:
                continue
            whole = child.check == Qt.CheckState.Checked and not self._mixed(child)
            if whole or not child.children:
                yield RestoreItem(self._source(child), entry.path)
            else:
                yield from self._selected(child)

    def _mixed(self, item: _Item) -> bool:
        """Does a loaded part of this folder come from another snapshot (deleted, a version)?"""
        return any(
            c.version is not None or (c.entry is not None and c.entry.deleted) or self._mixed(c)
            for c in item.children
        )

    def _source(self, item: _Item) -> str:
        if item.version is not None:
            return item.version.snapshot_id
        assert item.entry is not None
        return item.entry.snapshot_id if item.entry.deleted else self._snapshot_id
