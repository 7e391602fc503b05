"""The settings window edits the one settings model and saves it as the person changes things."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.account_watch import AccountWatch
from app.gui.bridge import Bridge
from app.gui.settings.window import TABS, SettingsWindow


def test_changes_on_every_page_are_saved(
    qtbot: QtBot, controller: Controller, private_home: Path
) -> None:
    bridge = Bridge()
    window = SettingsWindow(controller, bridge, AccountWatch(controller, bridge))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.draft.settings is not None)
    assert [window.side.item(i).text() for i in range(window.side.count())] == [
        "Folders",
        "Schedule",
        "Network",
        "Account",
        "Security",
        "Privacy",
        "About",
    ]
    assert len(TABS) == window.stack.count()

    window.folders.add_folder(str(private_home / "Documents"))
    window.folders.add_folder(str(private_home / "Pictures"))
    window.folders.folders.setCurrentRow(1)
    window.folders.remove_button.click()
    window.folders.presets.setChecked(False)
    window.folders.patterns.setPlainText("*.iso\nnode_modules\n")
    window.folders.limit.setValue(2048)
    window.schedule.continuous.setChecked(False)
    window.schedule.daily.setTime(QTime(21, 30))
    window.network.limit.setValue(512)
    window.network.metered.setChecked(True)
    window.about.language.setCurrentIndex(window.about.language.findData("da"))
    with qtbot.waitSignal(window.draft.saved, timeout=10_000):
        pass
    saved = controller.settings()
    assert saved.folders == [str(private_home / "Documents")]
    assert (saved.exclude_presets, saved.exclude_patterns) == (False, ["*.iso", "node_modules"])
    assert (saved.max_file_size_mb, saved.continuous, saved.daily_time) == (2048, False, "21:30")
    assert (saved.upload_limit_kib, saved.skip_on_metered, saved.language) == (512, True, "da")


def test_keepsakes_own_folder_is_refused_with_a_sentence(
    qtbot: QtBot, controller: Controller
) -> None:
    bridge = Bridge()
    window = SettingsWindow(controller, bridge, AccountWatch(controller, bridge))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.draft.settings is not None)
    window.folders.add_folder(str(controller.profile.home))
    window.draft.save_now()
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=10_000)
    assert "own data folder" in window.error.text()
    assert controller.settings().folders == []


def test_a_change_in_the_window_keeps_what_was_changed_elsewhere_meanwhile(
    qtbot: QtBot, controller: Controller, private_home: Path
) -> None:
    """The window stays open for hours; a kit import, `keepsake folders add` or a sign-out may
    change other settings meanwhile, and saving a bandwidth limit must not put them back."""
    bridge = Bridge()
    window = SettingsWindow(controller, bridge, AccountWatch(controller, bridge))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.draft.settings is not None)
    elsewhere = controller.settings()
    elsewhere.set_id = "f" * 32
    elsewhere.folders = [str(private_home / "Documents")]
    controller.profile.save(elsewhere)

    window.network.limit.setValue(256)
    with qtbot.waitSignal(window.draft.saved, timeout=10_000):
        pass
    saved = controller.settings()
    assert saved.upload_limit_kib == 256
    assert saved.set_id == "f" * 32
    assert saved.folders == [str(private_home / "Documents")]

    # The window now knows the new folders too: a later edit on another page keeps them.
    assert window.draft.settings is not None
    assert window.draft.settings.folders == [str(private_home / "Documents")]
    window.schedule.continuous.setChecked(not saved.continuous)
    with qtbot.waitSignal(window.draft.saved, timeout=10_000):
        pass
    again = controller.settings()
    assert (again.continuous, again.set_id) == (not saved.continuous, "f" * 32)
    assert again.folders == [str(private_home / "Documents")]
