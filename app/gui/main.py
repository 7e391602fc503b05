"""`python -m app.gui.main`: the Keepsake desktop app (tray, windows, continuous protection)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import __version__
from app.controller import Controller
from app.gui.desktop import Desktop
from app.gui.i18n import install_translations
from app.gui.resources import app_icon, style_sheet
from app.gui.single_instance import SingleInstance
from app.profile import Profile
from app.settings import SettingsError


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="keepsake-app", description="Keepsake desktop app")
    parser.add_argument("--home", help="profile folder (default: $KEEPSAKE_HOME or the data dir)")
    parser.add_argument("--language", help="en or da (default: the setting, else the system's)")
    parser.add_argument("--show", action="store_true", help="open the status window at start")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Keepsake")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Keepsake")
    app.setDesktopFileName("keepsake")
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(app_icon())
    profile = Profile.open(Path(args.home) if args.home else None)
    try:
        language = args.language or profile.load().language
    except SettingsError:
        language = args.language or ""
    install_translations(app, language)
    app.setStyleSheet(style_sheet())

    instance = SingleInstance(profile.home / "app.lock", profile.profile_id)
    if not instance.acquire():
        return 0  # the running app was asked to show itself
    desktop = Desktop(Controller(profile))
    instance.activated.connect(desktop.windows.show_status)
    desktop.start(show_status=args.show)
    try:
        return int(app.exec())
    finally:
        desktop.bridge.wait_idle(5_000)
        instance.release()


if __name__ == "__main__":
    sys.exit(main())
