"""Settings → About → Check for updates, against a real service whose operator publishes a
release with `keepsake-server admin set-release`: no information, up to date, a newer version
with its link, and a service that cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import __version__
from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.settings.about_tab import AboutTab
from app.gui.settings.draft import Draft
from tests.support.service import RunningService, free_port, running_service

WAIT = 60_000


@pytest.fixture
def own_service(tmp_path: Path) -> Iterator[RunningService]:
    """A service of its own: a published release would otherwise be news for every later test."""
    with running_service(tmp_path / "service") as started:
        yield started


def publish(service: RunningService, version: str, *args: str) -> None:
    done = service.admin("set-release", version, *args)
    assert done.returncode == 0, done.stderr


def check(qtbot: QtBot, tab: AboutTab) -> str:
    tab.update_button.click()
    assert not tab.update_button.isEnabled()  # no second check while one runs
    qtbot.waitUntil(tab.update_button.isEnabled, timeout=WAIT)
    return tab.update_text.text()


def test_the_about_page_says_what_the_service_knows_about_updates(
    qtbot: QtBot, controller: Controller, own_service: RunningService
) -> None:
    settings = controller.settings()
    settings.server_url = own_service.url  # no sign-in needed: the release is public
    controller.save_settings(settings)
    bridge = Bridge()
    tab = AboutTab(controller, bridge, Draft(controller, bridge))
    qtbot.addWidget(tab)

    assert check(qtbot, tab) == "The Keepsake service has no update information."

    publish(own_service, "0.0.1", "--url", "https://example.org/old")
    text = check(qtbot, tab)
    assert text == f"Keepsake is up to date (version {__version__})."
    assert tab.update_text.objectName() == "success"

    publish(
        own_service,
        "99.1.0",
        "--url",
        "https://example.org/keepsake?get=1&os=linux",
        "--notes",
        "Restores are faster.",
    )
    text = check(qtbot, tab)
    assert text.startswith("Version 99.1.0 is available.")
    assert 'href="https://example.org/keepsake?get=1&amp;os=linux"' in text
    assert tab.update_text.openExternalLinks()
    assert not tab.update_notes.isHidden()
    assert tab.update_notes.text() == "What is new: Restores are faster."

    settings.server_url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    controller.save_settings(settings)
    text = check(qtbot, tab)
    assert text.startswith("Could not check for updates. The Keepsake service could not be reached")
    assert tab.update_text.objectName() == "error" and tab.update_notes.isHidden()
    bridge.wait_idle()
