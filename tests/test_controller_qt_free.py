"""The controller is the GUI's only way in, and it must stay usable without Qt: importing it (and
everything it pulls in) loads no PySide6 module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_controller_loads_no_qt() -> None:
    probe = (
        "import sys, app.controller\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
