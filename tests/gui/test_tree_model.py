"""The lazy snapshot tree: opening a folder lists only that folder, check boxes behave as people
expect, and the selection turns into the fewest restore items."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.controller import Entry, RestoreItem, Version
from app.gui.bridge import Bridge
from app.gui.restore.tree_model import SnapshotTreeModel

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class FakeSession:
    """Folders `dir0..dirN` each holding `files` files; counts every listing it is asked for."""

    def __init__(self, dirs: int, files: int) -> None:
        self.dirs, self.files = dirs, files
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def ls(self, snapshot_id: str, path: str, *, include_deleted: bool = False) -> list[Entry]:
        with self.lock:
            self.calls.append(path)
        if path == "":
            return [Entry("Docs", "Docs", "dir", 0, T0, snapshot_id=snapshot_id)]
        if path == "Docs":
            return [
                Entry(f"Docs/dir{i}", f"dir{i}", "dir", 0, T0, snapshot_id=snapshot_id)
                for i in range(self.dirs)
            ]
        rows = [
            Entry(f"{path}/f{j}.txt", f"f{j}.txt", "file", j, T0, snapshot_id=snapshot_id)
            for j in range(self.files)
        ]
        if include_deleted:
            rows.append(Entry(f"{path}/old.txt", "old.txt", "file", 1, T0, True, "older"))
        return rows


def _open(qtbot: QtBot, model: SnapshotTreeModel, index: QModelIndex) -> None:
    before = model.rowCount(index)
    assert model.canFetchMore(index)
    model.fetchMore(index)
    qtbot.waitUntil(lambda: model.rowCount(index) > before or not model.hasChildren(index))


def _child(model: SnapshotTreeModel, parent: QModelIndex, name: str) -> QModelIndex:
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if model.data(index) == name:
            return index
    raise AssertionError(f"{name} not shown")


def _check(model: SnapshotTreeModel, index: QModelIndex, state: Qt.CheckState) -> None:
    model.setData(index, state.value, Qt.ItemDataRole.CheckStateRole)


def _state(model: SnapshotTreeModel, index: QModelIndex) -> Qt.CheckState:
    return Qt.CheckState(model.data(index, Qt.ItemDataRole.CheckStateRole))


def test_opening_a_folder_lists_only_that_folder(qtbot: QtBot) -> None:
    session = FakeSession(dirs=200, files=100)  # a 20,000-file snapshot
    model = SnapshotTreeModel(session, Bridge())  # type: ignore[arg-type]
    model.show_snapshot("s1")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    docs = model.index(0, 0)
    _open(qtbot, model, docs)
    assert model.rowCount(docs) == 200
    _open(qtbot, model, _child(model, docs, "dir7"))
    assert session.calls == ["", "Docs", "Docs/dir7"]
    assert model.rowCount(_child(model, docs, "dir7")) == 100
    assert not model.canFetchMore(_child(model, docs, "dir7"))  # listed once, never again


def test_ticking_a_folder_is_one_item_and_unticking_a_file_makes_it_partial(qtbot: QtBot) -> None:
    model = SnapshotTreeModel(FakeSession(dirs=2, files=3), Bridge())  # type: ignore[arg-type]
    model.show_snapshot("s1")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    docs = model.index(0, 0)
    _open(qtbot, model, docs)
    dir0 = _child(model, docs, "dir0")
    _check(model, dir0, Qt.CheckState.Checked)
    assert model.selection() == [RestoreItem("s1", "Docs/dir0")]
    assert _state(model, docs) == Qt.CheckState.PartiallyChecked
    _open(qtbot, model, dir0)  # children of a ticked folder arrive ticked
    assert _state(model, _child(model, dir0, "f1.txt")) == Qt.CheckState.Checked
    _check(model, _child(model, dir0, "f1.txt"), Qt.CheckState.Unchecked)
    assert _state(model, dir0) == Qt.CheckState.PartiallyChecked
    assert model.selection() == [
        RestoreItem("s1", "Docs/dir0/f0.txt"),
        RestoreItem("s1", "Docs/dir0/f2.txt"),
    ]
    _check(model, docs, Qt.CheckState.Checked)
    assert model.selection() == [RestoreItem("s1", "Docs")]


def test_a_chosen_version_and_a_deleted_file_come_from_their_own_snapshots(qtbot: QtBot) -> None:
    model = SnapshotTreeModel(FakeSession(dirs=1, files=2), Bridge())  # type: ignore[arg-type]
    model.show_snapshot("s9", include_deleted=True)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    docs = model.index(0, 0)
    _open(qtbot, model, docs)
    dir0 = _child(model, docs, "dir0")
    _open(qtbot, model, dir0)
    old = _child(model, dir0, "old.txt")
    assert model.data(old, Qt.ItemDataRole.FontRole).italic()  # deleted files look different
    model.set_version(_child(model, dir0, "f0.txt"), Version("s2", T0, 5, T0))
    _check(model, old, Qt.CheckState.Checked)
    assert sorted(model.selection(), key=lambda i: i.path) == [
        RestoreItem("s2", "Docs/dir0/f0.txt"),
        RestoreItem("older", "Docs/dir0/old.txt"),
    ]
    _check(model, dir0, Qt.CheckState.Checked)  # the folder, but still each from its snapshot
    assert sorted(model.selection(), key=lambda i: i.path) == [
        RestoreItem("s2", "Docs/dir0/f0.txt"),
        RestoreItem("s9", "Docs/dir0/f1.txt"),
        RestoreItem("older", "Docs/dir0/old.txt"),
    ]


def test_answers_for_a_snapshot_no_longer_shown_are_dropped(qtbot: QtBot) -> None:
    session = FakeSession(dirs=3, files=1)
    model = SnapshotTreeModel(session, Bridge())  # type: ignore[arg-type]
    model.show_snapshot("s1")
    model.show_snapshot("s2")  # the person picked another moment before the first answer came
    qtbot.waitUntil(lambda: model.rowCount() == 1 and len(session.calls) == 2)
    qtbot.wait(100)
    assert model.rowCount() == 1
    assert model.entry(model.index(0, 0)).snapshot_id == "s2"
