"""The tray: its menu actions reach the engine, and its icon and tooltip follow the state.
Also the desktop without a tray, which shows the status window instead and stays usable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.desktop import Desktop
from app.gui.wording_status import Look
from tests.gui.conftest import engine_threads, write_files

WAIT = 60_000


@pytest.fixture
def desktop(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    make_desktop: Callable[..., Desktop],
    private_home: Path,
) -> Desktop:
    docs = private_home / "Documents"
    write_files(docs, {"a.txt": b"alpha", "b/c.txt": b"charlie"})
    made = make_desktop(ready_controller([docs]), has_tray=True)
    made.start()
    qtbot.waitUntil(lambda: made.protecting, timeout=WAIT)
    qtbot.waitUntil(lambda: made.presence.summary.look == Look.PROTECTED, timeout=WAIT)
    return made  # make_desktop quits it and waits when the test ends


def _menu_texts(desktop: Desktop) -> list[str]:
    assert desktop.tray is not None
    return [a.text() for a in desktop.tray.menu.actions() if not a.isSeparator()]


def test_the_menu_offers_the_everyday_commands(desktop: Desktop) -> None:
    texts = _menu_texts(desktop)
    assert texts[0].startswith("Protected — last backup")
    assert texts[2:] == [
        "Back up now",
        "Pause",
        "Restore files…",
        "Settings…",
        "Account && subscription…",
        "Quit Keepsake",
    ]
    assert desktop.tray is not None
    assert desktop.tray.icon.toolTip() == texts[0]
    pause = [a.text() for a in desktop.tray.pause_menu.actions() if not a.isSeparator()]
    assert pause == ["For 1 hour", "Until tomorrow", "Resume"]


def test_pause_and_resume_from_the_menu_reach_the_engine(qtbot: QtBot, desktop: Desktop) -> None:
    desktop.actions.pause_hour.trigger()
    qtbot.waitUntil(lambda: desktop.presence.summary.look == Look.PAUSED, timeout=WAIT)
    state = desktop.presence.state
    until = state.paused_until
    assert until is not None
    assert abs(until - (datetime.now(UTC) + timedelta(hours=1))) < timedelta(minutes=1)
    assert desktop.tray is not None
    assert desktop.tray.icon.toolTip().startswith("Paused until")
    assert desktop.actions.resume.isEnabled() and not desktop.actions.pause_hour.isEnabled()
    desktop.actions.resume.trigger()
    qtbot.waitUntil(lambda: desktop.presence.summary.look == Look.PROTECTED, timeout=WAIT)
    desktop.actions.pause_tomorrow.trigger()
    qtbot.waitUntil(lambda: desktop.presence.summary.look == Look.PAUSED, timeout=WAIT)
    until = desktop.presence.state.paused_until
    assert until is not None and until.astimezone().hour == 6 and until > datetime.now(UTC)
    desktop.actions.resume.trigger()
    qtbot.waitUntil(lambda: desktop.presence.summary.look == Look.PROTECTED, timeout=WAIT)


def test_back_up_now_from_the_menu_makes_a_new_snapshot(
    qtbot: QtBot, desktop: Desktop, private_home: Path
) -> None:
    first = desktop.presence.state.last_snapshot_id
    (private_home / "Documents" / "new.txt").write_bytes(b"fresh")
    desktop.actions.back_up_now.trigger()
    qtbot.waitUntil(lambda: desktop.presence.state.last_snapshot_id != first, timeout=WAIT)
    assert not any(n.title == "Backup failed" for n in desktop.notifier.shown)
    assert desktop.notifier.shown == []  # never a notification for a successful backup


def test_the_window_items_open_their_windows(qtbot: QtBot, desktop: Desktop) -> None:
    desktop.actions.restore.trigger()
    assert desktop.windows.restore is not None and desktop.windows.restore.isVisible()
    qtbot.waitUntil(lambda: len(desktop.windows.restore.job.snapshots) == 1, timeout=WAIT)
    desktop.windows.restore.close()
    desktop.actions.settings.trigger()
    settings = desktop.windows.settings
    assert settings is not None and settings.isVisible() and settings.current_tab() == "folders"
    desktop.actions.account.trigger()
    assert settings.current_tab() == "account"
    qtbot.waitUntil(lambda: settings.account.status is not None, timeout=WAIT)
    assert settings.account.plan.text() == "Keepsake Pro"


def test_a_left_click_opens_the_status_window(qtbot: QtBot, desktop: Desktop) -> None:
    assert desktop.tray is not None and not desktop.windows.status.isVisible()
    desktop.tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert desktop.windows.status.isVisible()
    assert desktop.windows.status.headline.text().startswith("Protected")
    assert not desktop.windows.status.quit_button.isVisible()  # the tray menu has Quit


def test_without_a_tray_the_status_window_is_the_app(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    make_desktop: Callable[..., Desktop],
    private_home: Path,
) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: no tray, as on bare GNOME
    desktop = make_desktop(ready_controller([private_home / "Documents"]), has_tray=None)
    desktop.start()
    assert desktop.tray is None and desktop.windows.status.isVisible()
    status = desktop.windows.status
    assert status.quit_button.isVisible()
    qtbot.waitUntil(lambda: desktop.protecting, timeout=WAIT)
    qtbot.waitUntil(lambda: status.headline.text().startswith("Protected"), timeout=WAIT)
    status.close()  # closing hides; protection keeps running
    assert not status.isVisible() and desktop.protecting
    desktop.windows.show_status()
    assert status.isVisible()
    desktop.notifier.on_failure("The disk is full.")
    assert status.banner.isVisible() and "The disk is full." in status.banner.text()
    first = desktop.presence.state.last_snapshot_id
    (private_home / "Documents" / "late.txt").write_bytes(b"written later")
    status.backup_button.click()  # the window's own buttons reach the engine too
    qtbot.waitUntil(lambda: desktop.presence.state.last_snapshot_id != first, timeout=WAIT)


def test_quitting_while_starting_up_leaves_no_protection_running(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    make_desktop: Callable[..., Desktop],
    private_home: Path,
) -> None:
    desktop = make_desktop(ready_controller([private_home / "Documents"]))
    desktop.start()  # protection starts once the setup check answers...
    desktop.quit()  # ...but the person quits first
    qtbot.wait(300)  # the setup answer and the quit's stop both arrive
    assert desktop.bridge.wait_idle(WAIT)
    qtbot.wait(100)
    assert not desktop.protecting and engine_threads() == []
    assert desktop.notifier.shown == []  # the refused start is not reported as a failure
