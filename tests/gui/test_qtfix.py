"""The app survives PySide6 6.12's emit() reference leak on Python 3.11 (see app/gui/qtfix.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
sys.path.insert(0, {repo!r})
import app.gui  # applies the guard when this PySide6 needs it
from PySide6.QtCore import QCoreApplication, QObject, Signal
application = QCoreApplication([])
class Noisy(QObject):
    ping = Signal(object)
noisy = Noisy()
noisy.ping.connect(lambda value: None)
for i in range(50_000):
    noisy.ping.emit(i)
print("survived")
"""


def test_fifty_thousand_emits_do_not_abort_the_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(repo=str(REPO))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"
