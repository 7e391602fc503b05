"""Browsing a 20,000-file snapshot stays responsive: the restore tree lists only the folders that
are opened, and the UI thread keeps ticking while they load (real engine, real service)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.restore.wizard import RestoreWizard
from app.protect.state import ProtectionState

FOLDERS, FILES_EACH = 100, 200  # 20,000 files
WAIT = 300_000


@pytest.mark.slow
@pytest.mark.usefixtures("settled_heap")
def test_a_20000_file_snapshot_is_browsed_folder_by_folder_without_freezing(
    qtbot: QtBot, ready_controller: Callable[..., Controller], private_home: Path
) -> None:
    docs = private_home / "Documents"
    for i in range(FOLDERS):
        folder = docs / f"project {i:03}"
        folder.mkdir(parents=True)
        for j in range(FILES_EACH):
            (folder / f"note {j:03}.txt").write_bytes(b"%d/%d" % (i, j))
    controller = ready_controller([docs])
    states: list[ProtectionState] = []
    controller.start_protection(states.append)
    controller.back_up_now()
    qtbot.waitUntil(lambda: bool(states) and states[-1].last_snapshot_id is not None, timeout=WAIT)
    controller.stop_protection()

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    bridge = Bridge()
    wizard = RestoreWizard(controller, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.job.snapshot is not None, timeout=WAIT)
    wizard.next()
    model, tree = wizard.what.model, wizard.what.tree
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT)
    documents = model.index(0, 0)
    tree.expand(documents)
    qtbot.waitUntil(lambda: model.rowCount(documents) == FOLDERS, timeout=WAIT)
    project = model.index(42, 0, documents)
    tree.expand(project)
    qtbot.waitUntil(lambda: model.rowCount(project) == FILES_EACH, timeout=WAIT)
    timer.stop()
    assert model.listings == 3  # the root, Documents, one project: never the whole snapshot
    worst = max(b - a for a, b in itertools.pairwise(ticks))
    assert worst < 0.1, f"the UI thread stalled for {worst * 1000:.0f} ms"
    wizard.close()
    bridge.wait_idle()
