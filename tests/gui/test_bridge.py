"""The bridge: results come back on the UI thread, floods of progress are coalesced, and answers
for a window that is gone are dropped instead of touching a dead widget."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from app.core.errors import KeepsakeError
from app.core.progress import Progress
from app.gui.bridge import Bridge


def test_a_call_runs_on_a_worker_and_answers_on_the_ui_thread(qtbot: QtBot) -> None:
    bridge = Bridge()
    ui = QThread.currentThread()
    seen: dict[str, object] = {}

    def work() -> str:
        seen["worker_is_ui"] = QThread.currentThread() is ui
        return "done"

    def done(value: str) -> None:
        seen["value"] = value
        seen["answer_on_ui"] = QThread.currentThread() is ui

    bridge.run(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker_is_ui": False, "value": "done", "answer_on_ui": True}


def test_a_failure_arrives_as_the_exception(qtbot: QtBot) -> None:
    bridge = Bridge()
    errors: list[BaseException] = []

    def work() -> None:
        raise KeepsakeError("the service said no")

    bridge.run(work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == "the service said no"


def test_an_answer_for_a_deleted_owner_is_dropped(qtbot: QtBot) -> None:
    bridge = Bridge()
    owner = QObject()
    release = threading.Event()
    called: list[object] = []
    bridge.run(lambda: release.wait(5), called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    release.set()
    qtbot.waitUntil(lambda: not bridge.busy)
    assert called == []


def test_a_flood_of_progress_is_coalesced_and_the_newest_wins(qtbot: QtBot) -> None:
    bridge = Bridge()
    got: list[Progress] = []
    problems: list[str] = []
    bridge.progress.connect(lambda channel, p: got.append(p))
    bridge.problem.connect(lambda channel, path, reason: problems.append(path))
    sink = bridge.events("backup")

    def flood() -> None:
        for i in range(20_000):
            sink.progress(Progress("uploading", i, 20_000, i, 20_000, None))
        sink.problem("a.txt", "locked")

    worker = threading.Thread(target=flood)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(got) and got[-1].files_done == 19_999)
    assert len(got) < 200  # not one queued event per engine call
    assert problems == ["a.txt"]


def test_state_updates_are_coalesced_to_the_newest(qtbot: QtBot) -> None:
    bridge = Bridge()
    states: list[int] = []
    bridge.state_changed.connect(states.append)
    for i in range(1000):
        bridge.publish_state(i)
    qtbot.waitUntil(lambda: states[-1:] == [999])
    time.sleep(0.05)
    qtbot.wait(20)
    assert len(states) < 10
