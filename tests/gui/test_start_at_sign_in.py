"""Starting at sign-in: on by default once the first-run wizard finishes, and a checkbox on the
Schedule page that adds and removes the OS's entry (here an XDG entry in a temporary folder)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.account_watch import AccountWatch
from app.gui.bridge import Bridge
from app.gui.settings.window import SettingsWindow
from app.platform.autostart import AutostartError, XdgAutostart
from app.profile import Profile

COMMAND = ["/opt/keepsake/bin/python3", "-m", "app.gui.main"]


@pytest.fixture
def entry_dir(tmp_path: Path) -> Path:
    return tmp_path / "autostart"


@pytest.fixture
def starting(
    profile: Profile, entry_dir: Path, make_controller: Callable[..., Controller]
) -> Controller:
    return make_controller(profile, autostart=XdgAutostart(entry_dir, COMMAND))


def test_finishing_first_run_saves_the_folders_and_starts_at_sign_in(
    starting: Controller, entry_dir: Path, private_home: Path
) -> None:
    assert not starting.starts_at_sign_in()
    docs = str(private_home / "Documents")
    starting.finish_first_run([docs, docs])
    assert starting.settings().folders == [docs]
    assert starting.starts_at_sign_in()
    assert (entry_dir / "keepsake.desktop").is_file()


class RefusingEntry:
    def is_enabled(self) -> bool:
        return False

    def enable(self) -> None:
        raise AutostartError("cannot write the sign-in entry: permission denied")

    def disable(self) -> None:
        raise AutostartError("cannot remove the sign-in entry: permission denied")


def test_a_pc_that_refuses_the_entry_still_finishes_setting_up(
    profile: Profile, private_home: Path, make_controller: Callable[..., Controller]
) -> None:
    controller = make_controller(profile, autostart=RefusingEntry())
    docs = str(private_home / "Documents")
    controller.finish_first_run([docs])
    assert controller.settings().folders == [docs]
    with pytest.raises(AutostartError):
        controller.set_start_at_sign_in(True)  # asked for directly, the refusal is shown


def test_the_schedule_checkbox_adds_and_removes_the_entry(
    qtbot: QtBot, starting: Controller, entry_dir: Path
) -> None:
    bridge = Bridge()
    window = SettingsWindow(starting, bridge, AccountWatch(starting, bridge))
    qtbot.addWidget(window)
    box = window.schedule.start_at_sign_in
    assert box.text() == "Start Keepsake when I sign in"
    qtbot.waitUntil(box.isEnabled)
    assert not box.isChecked()
    box.setChecked(True)
    qtbot.waitUntil(lambda: (entry_dir / "keepsake.desktop").is_file() and box.isEnabled())
    assert starting.starts_at_sign_in()
    box.setChecked(False)
    qtbot.waitUntil(lambda: not (entry_dir / "keepsake.desktop").exists() and box.isEnabled())
    assert not box.isChecked()
    bridge.wait_idle()


def test_the_checkbox_shows_an_entry_made_earlier(
    qtbot: QtBot, starting: Controller, entry_dir: Path
) -> None:
    starting.set_start_at_sign_in(True)
    bridge = Bridge()
    window = SettingsWindow(starting, bridge, AccountWatch(starting, bridge))
    qtbot.addWidget(window)
    box = window.schedule.start_at_sign_in
    qtbot.waitUntil(box.isEnabled)
    assert box.isChecked()
    bridge.wait_idle()


def test_a_refused_change_is_explained_and_the_box_shows_the_truth(
    qtbot: QtBot, profile: Profile, make_controller: Callable[..., Controller]
) -> None:
    controller = make_controller(profile, autostart=RefusingEntry())
    bridge = Bridge()
    window = SettingsWindow(controller, bridge, AccountWatch(controller, bridge))
    qtbot.addWidget(window)
    box = window.schedule.start_at_sign_in
    qtbot.waitUntil(box.isEnabled)
    box.setChecked(True)
    qtbot.waitUntil(lambda: "permission denied" in window.error.text())
    qtbot.waitUntil(lambda: box.isEnabled() and not box.isChecked())
    bridge.wait_idle()


def test_the_wizards_finish_button_work_sets_up_the_entry(
    qtbot: QtBot, starting: Controller, entry_dir: Path, private_home: Path
) -> None:
    from app.gui.firstrun.context import FirstRun
    from app.gui.firstrun.summary_page import SummaryPage

    ctx = FirstRun(starting, Bridge(), starting.setup(), folders=[str(private_home / "Pictures")])
    page = SummaryPage(ctx)
    qtbot.addWidget(page)
    work = page.work()
    work()
    assert starting.settings().folders == [str(private_home / "Pictures")]
    assert (entry_dir / "keepsake.desktop").is_file()
