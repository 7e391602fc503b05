"""Finds and loads the files under `resources/`: icons for light and dark themes, the style sheet.

Works from a source checkout and from the PyInstaller bundle (which puts `resources/` next to the
executable's data, see build.spec).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from app.gui.wording_status import Look


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def dark_theme() -> bool:
    """True when the desktop uses a dark scheme, so icons drawn for dark panels are used."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


@cache
def _icon(path: str) -> QIcon:
    return QIcon(path)


def state_icon(look: Look, dark: bool | None = None) -> QIcon:
    theme = "dark" if (dark_theme() if dark is None else dark) else "light"
    return _icon(str(resource_dir() / "icons" / theme / f"{look.value}.svg"))


def app_icon() -> QIcon:
    return _icon(str(resource_dir() / "icons" / "keepsake.svg"))


def style_sheet() -> str:
    path = resource_dir() / "style.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""
