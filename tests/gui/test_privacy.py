"""Privacy rights from the settings window, against the real service: export my data, delete my
account (the wrong password is refused with a clear sentence), and a service without the
endpoint gives a clear error instead of a crash."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from app.connect import keystore_for
from app.controller import Controller, ServiceLacksFeature
from app.gui.bridge import Bridge
from app.gui.settings.draft import Draft
from app.gui.settings.privacy_tab import PrivacyTab
from app.profile import TOKEN_SECRET, Profile
from tests.support.service import RunningService

if TYPE_CHECKING:
    from tests.conftest import TestAccount

WAIT = 60_000


def privacy_tab(qtbot: QtBot, controller: Controller, bridge: Bridge) -> PrivacyTab:
    tab = PrivacyTab(controller, bridge, Draft(controller, bridge))
    qtbot.addWidget(tab)
    return tab


def test_export_my_data_saves_what_the_service_holds(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    fresh_account: TestAccount,
    tmp_path: Path,
) -> None:
    controller = ready_controller()
    tab = privacy_tab(qtbot, controller, Bridge())
    tab.export_to(tmp_path / "mine.json")
    qtbot.waitUntil(lambda: tab.message.text().startswith("Your data was saved"), timeout=WAIT)
    exported = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    assert fresh_account.email in json.dumps(exported)


def test_deleting_the_account_needs_the_right_password_and_names_the_consequence(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    fresh_account: TestAccount,
    service: RunningService,
) -> None:
    controller = ready_controller()
    tab = privacy_tab(qtbot, controller, Bridge())
    dialog = tab.open_delete()
    assert "every backup of every PC" in dialog.consequence.text()
    dialog.password.setText("not my password")
    assert not dialog.ok.isEnabled()  # the word is not typed yet
    dialog.confirm.setText("DELETE")
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=WAIT)
    assert "password is wrong" in dialog.message.text()
    assert controller.setup().signed_in
    dialog.password.setText(fresh_account.password)
    with qtbot.waitSignal(dialog.deleted, timeout=WAIT):
        dialog.ok.click()
    assert not controller.setup().signed_in and not controller.setup().has_key
    shown = service.admin("show-account", fresh_account.email)
    assert '"ended"' in shown.stdout


class _NothingHere(BaseHTTPRequestHandler):
    def _not_found(self) -> None:
        body = b'{"error": "not_found", "message": "no such endpoint"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_DELETE = _not_found

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def old_service() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _NothingHere)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_service_without_the_endpoint_gives_a_clear_error(
    qtbot: QtBot, old_service: str, make_controller: Callable[..., Controller], tmp_path: Path
) -> None:
    profile = Profile.open(tmp_path / "profile")
    settings = profile.load()
    settings.server_url, settings.email = old_service, "a@example.org"
    profile.save(settings)
    keystore_for(profile).set(TOKEN_SECRET, "token")
    controller = make_controller(profile)
    with pytest.raises(ServiceLacksFeature, match="cannot export your data yet"):
        controller.export_my_data(tmp_path / "x.json")
    tab = privacy_tab(qtbot, controller, Bridge())
    tab.export_to(tmp_path / "x.json")
    qtbot.waitUntil(  # the app's own sentence (translated), not the service's English
        lambda: (
            tab.message.text()
            == "The Keepsake service cannot do this yet: it is older than this app."
        ),
        timeout=WAIT,
    )
    assert tab.message.objectName() == "error"
    # No consent flags on that service: the statistics box is this PC's own setting, and says so.
    qtbot.waitUntil(lambda: tab.consents.note.text() == "This choice is saved on this PC.")
    assert list(tab.consents.checks) == ["telemetry"] and not tab.consents.on_service
    assert controller.check_for_updates().latest is None  # no update information: no crash
