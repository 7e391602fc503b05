"""The restore wizard against the real service: pick an older version of one file and restore it
into another folder that already holds that file, once per conflict policy."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.restore.context import DONE, WHAT, WHERE
from app.gui.restore.wizard import RestoreWizard
from app.protect.state import ProtectionState
from tests.gui.conftest import write_files

WAIT = 60_000


def back_up_twice(controller: Controller, docs: Path) -> None:
    """Two snapshots: report.txt says "first draft", then "final version"."""
    states: list[ProtectionState] = []
    controller.start_protection(states.append)
    controller.back_up_now()
    deadline = time.monotonic() + 60
    while not (states and states[-1].last_snapshot_id):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first = states[-1].last_snapshot_id
    (docs / "report.txt").write_bytes(b"final version")
    controller.back_up_now()
    while states[-1].last_snapshot_id in (None, first):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    controller.stop_protection()


def child(wizard: RestoreWizard, parent: QModelIndex, name: str) -> QModelIndex:
    model = wizard.what.model
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if model.data(index) == name:
            return index
    raise AssertionError(f"{name} is not listed")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("overwrite", {"report.txt": b"first draft"}),
        ("keep-both", {"report.txt": b"already here", "restored copy": b"first draft"}),
        ("skip", {"report.txt": b"already here"}),
    ],
)
def test_an_older_version_is_restored_into_another_folder_with_each_conflict_policy(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    private_home: Path,
    tmp_path: Path,
    policy: str,
    expected: dict[str, bytes],
) -> None:
    docs = private_home / "Documents"
    write_files(docs, {"report.txt": b"first draft", "other.txt": b"not chosen"})
    controller = ready_controller([docs])
    back_up_twice(controller, docs)
    target = tmp_path / "elsewhere"
    write_files(target, {"report.txt": b"already here"})

    bridge = Bridge()
    wizard = RestoreWizard(controller, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.job.snapshot is not None, timeout=WAIT)
    assert wizard.job.snapshot == wizard.job.snapshots[-1]  # "latest" is preselected
    assert wizard.when.calendar.dateTextFormat()  # days with backups are marked
    wizard.next()
    assert wizard.currentId() == WHAT
    model = wizard.what.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT)
    documents = model.index(0, 0)
    wizard.what.tree.expand(documents)
    qtbot.waitUntil(lambda: model.rowCount(documents) == 2, timeout=WAIT)
    report = child(wizard, documents, "report.txt")
    wizard.what.tree.setCurrentIndex(report)
    assert wizard.what.versions_button.isEnabled()
    dialog = wizard.what.open_versions()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 2, timeout=WAIT)
    dialog.list.setCurrentItem(dialog.list.topLevelItem(1))  # newest first: row 1 is the older
    dialog.accept()
    assert [i.path for i in wizard.what.selection()] == ["Documents/report.txt"]
    assert wizard.what.selection()[0].snapshot_id == wizard.job.snapshots[0].snapshot_id

    wizard.next()
    assert wizard.currentId() == WHERE
    wizard.where.elsewhere.setChecked(True)
    wizard.where.folder.setText(str(target))
    {
        "overwrite": wizard.where.overwrite,
        "keep-both": wizard.where.keep_both,
        "skip": wizard.where.skip,
    }[policy].setChecked(True)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT)

    outcome = wizard.job.outcome
    assert outcome is not None and not outcome.failures
    found = {p.name: p.read_bytes() for p in target.iterdir()}
    assert found.pop("report.txt") == expected["report.txt"]
    if "restored copy" in expected:
        ((name, data),) = found.items()
        assert name.startswith("report (restored ") and name.endswith(".txt")
        assert data == expected["restored copy"]
    else:
        assert found == {}
    if policy == "skip":
        assert [path for path, _why in outcome.skipped] == ["Documents/report.txt"]
        assert wizard.done_page.skipped.count() == 1
    wizard.close()
    bridge.wait_idle()


class _SlowSession:
    """Restores until cancelled, reporting progress as it goes (a stand-in for a huge restore)."""

    def restore(self, items, target, conflict, *, events, cancel):  # type: ignore[no-untyped-def]
        from app.controller import RestoreOutcome
        from app.core.progress import Progress

        done = 0
        while not cancel.cancelled:
            done += 1
            events.progress(Progress("restoring", done, 10**6, done, 10**9, f"file {done}"))
            time.sleep(0.01)
        return RestoreOutcome(done, done, (), (), True)

    def close(self) -> None:
        pass


def test_cancel_stops_the_restore_and_the_summary_says_so(qtbot: QtBot) -> None:
    from app.controller import RestoreItem
    from app.gui.restore.context import PROGRESS, RestoreJob
    from app.gui.restore.done_page import DonePage
    from app.gui.restore.progress_page import ProgressPage

    job = RestoreJob(_SlowSession(), Bridge())  # type: ignore[arg-type]
    job.items = [RestoreItem("s", "Documents")]
    wizard = QWizard()
    qtbot.addWidget(wizard)
    progress, done = ProgressPage(job), DonePage(job)
    wizard.setPage(PROGRESS, progress)
    wizard.setPage(DONE, done)
    wizard.show()
    qtbot.waitUntil(lambda: progress.current.text().startswith("file "), timeout=WAIT)
    assert progress.bar.maximum() == 1000  # a real bar once sizes are known
    progress.cancel_button.click()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT)
    assert done.title() == "Restore cancelled"
    assert "because you cancelled" in done.headline.text()


def test_the_summary_lists_a_file_that_could_not_be_restored_and_why(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    private_home: Path,
    tmp_path: Path,
) -> None:
    docs = private_home / "Documents"
    write_files(
        docs, {"report.txt": b"first draft", "other.txt": b"comes back", "notes.txt": b"not chosen"}
    )
    controller = ready_controller([docs])
    back_up_twice(controller, docs)
    target = tmp_path / "elsewhere"
    (target / "report.txt").mkdir(parents=True)  # a folder, with something in it, holds the name
    (target / "report.txt" / "keep me.txt").write_bytes(b"mine")

    bridge = Bridge()
    wizard = RestoreWizard(controller, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.job.snapshot is not None, timeout=WAIT)
    wizard.next()
    model = wizard.what.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT)
    documents = model.index(0, 0)
    wizard.what.tree.expand(documents)
    qtbot.waitUntil(lambda: model.rowCount(documents) == 3, timeout=WAIT)
    for name in ("report.txt", "other.txt"):
        model.setData(
            child(wizard, documents, name), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )
    assert sorted(i.path for i in wizard.what.selection()) == [
        "Documents/other.txt",
        "Documents/report.txt",
    ]
    wizard.next()
    wizard.where.elsewhere.setChecked(True)
    wizard.where.folder.setText(str(target))
    wizard.where.overwrite.setChecked(True)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT)

    outcome = wizard.job.outcome
    assert outcome is not None and outcome.files_restored == 1
    assert [path for path, _why in outcome.failures] == ["Documents/report.txt"]
    page = wizard.done_page
    assert page.problems.isVisibleTo(wizard) and page.problems.count() == 1
    shown = page.problems.item(0).text()
    assert shown.startswith("Documents/report.txt — ") and len(shown) > len(
        "Documents/report.txt — "
    )
    assert page.headline.objectName() == "error"
    assert (target / "other.txt").read_bytes() == b"comes back"
    assert (target / "report.txt" / "keep me.txt").read_bytes() == b"mine"  # nothing lost
    wizard.close()
    bridge.wait_idle()
