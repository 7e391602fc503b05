"""The UI thread is never blocked for more than 100 ms while a 500 MiB backup runs.

A 10 ms timer on the UI thread measures the event loop: any gap between its ticks longer than
100 ms would be a freeze a person could feel. The data (500 MiB of random bytes, which do not
compress) is generated at test time.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.desktop import Desktop

MIB = 1024 * 1024
TOTAL = 500 * MIB
FILE_SIZE = 20 * MIB
MAX_GAP_S = 0.100


def make_data(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(TOTAL // FILE_SIZE):
        with open(folder / f"video-{i:02}.bin", "wb") as out:
            for _ in range(FILE_SIZE // MIB):
                out.write(os.urandom(MIB))


@pytest.mark.slow
@pytest.mark.usefixtures("settled_heap")
def test_the_ui_thread_never_blocks_over_100_ms_during_a_500_mib_backup(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    make_desktop: Callable[..., Desktop],
    private_home: Path,
) -> None:
    docs = private_home / "Documents"
    make_data(docs)
    desktop = make_desktop(ready_controller([docs]))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    progress_seen: list[int] = []
    biggest: list[int] = [0]
    desktop.bridge.state_changed.connect(
        lambda st: biggest.append(max(biggest[-1], st.bytes_total))
    )
    desktop.presence.changed.connect(
        lambda s: progress_seen.append(s.percent) if s.percent is not None else None
    )
    try:
        timer.start()
        desktop.start()
        qtbot.waitUntil(
            lambda: (
                desktop.presence.state is not None
                and desktop.presence.state.last_snapshot_id is not None
            ),
            timeout=600_000,
        )
        timer.stop()
        assert biggest[-1] >= TOTAL  # the whole 500 MiB went through this backup
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        # It really ran while we watched: over half a second of 10 ms ticks. Not a fixed
        # duration, which a faster machine or engine undercuts (500 MiB has taken 1.8 s here).
        assert len(ticks) > 50
        worst = max(gaps)
        assert worst < MAX_GAP_S, f"the UI thread stalled for {worst * 1000:.0f} ms"
        assert progress_seen and max(progress_seen) > 0  # the window showed the progress
    finally:
        timer.stop()  # make_desktop quits the app and waits for it
