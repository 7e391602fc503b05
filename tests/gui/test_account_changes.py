"""Changing the account password, renaming this PC and the consent flags, driven through their
windows against the real service; each test checks the service's state afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.core.errors import AuthenticationFailed
from app.gui.account_watch import AccountWatch
from app.gui.bridge import Bridge
from app.gui.settings.draft import Draft
from app.gui.settings.privacy_tab import PrivacyTab
from app.gui.settings.security_tab import SecurityTab
from app.gui.subscription_panel import SubscriptionPanel
from tests.support.service import RunningService

if TYPE_CHECKING:
    from tests.conftest import TestAccount

WAIT = 60_000
NEW_PASSWORD = "a quiet lighthouse keeper 9"


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    made = Bridge()
    yield made
    made.wait_idle()


@pytest.fixture
def signed_in(
    controller: Controller, service: RunningService, fresh_account: TestAccount
) -> Controller:
    controller.sign_in(service.url, fresh_account.email, fresh_account.password)
    return controller


def test_the_account_password_is_changed_and_other_pcs_are_signed_out(
    qtbot: QtBot,
    signed_in: Controller,
    make_controller: Callable[..., Controller],
    bridge: Bridge,
    service: RunningService,
    fresh_account: TestAccount,
    tmp_path: Path,
) -> None:
    other_pc = make_controller(tmp_path / "other-pc")
    other_pc.sign_in(service.url, fresh_account.email, fresh_account.password)
    tab = SecurityTab(signed_in, bridge)
    qtbot.addWidget(tab)
    dialog = tab.open_password_dialog()

    dialog.current.setText(fresh_account.password)
    dialog.new.setText(NEW_PASSWORD)
    dialog.confirm.setText(NEW_PASSWORD + " typo")
    assert not dialog.ok.isEnabled() and dialog.mismatch.isVisibleTo(dialog)

    def refused_with(words: str) -> None:
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=WAIT)
        assert dialog.isVisible() and words in dialog.message.text()

    dialog.current.setText("not my password at all")
    dialog.confirm.setText(NEW_PASSWORD)
    refused_with("The current password is wrong")
    dialog.current.setText(fresh_account.password)
    for weak in ("short7", "password1"):
        dialog.new.setText(weak)
        dialog.confirm.setText(weak)
        refused_with("t least 8 characters" if weak == "short7" else "most commonly used")
        assert dialog.message.text() in (  # worded by the app, so it can be translated
            "The password must be at least 8 characters long.",
            "That password is one of the most commonly used ones and easy to guess; choose "
            "another (a few unrelated words make a good one).",
        )

    dialog.new.setText(NEW_PASSWORD)
    dialog.confirm.setText(NEW_PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert "1 other PC was signed out" in tab.message.text()

    # The service's state: the new password signs in, the old one does not; this PC stays
    # signed in, the other one is signed out.
    assert signed_in.account_status().email == fresh_account.email
    with pytest.raises(AuthenticationFailed):
        other_pc.account_status()
    third_pc = make_controller(tmp_path / "third-pc")
    with pytest.raises(AuthenticationFailed):
        third_pc.sign_in(service.url, fresh_account.email, fresh_account.password)
    third_pc.sign_in(service.url, fresh_account.email, NEW_PASSWORD)


def test_renaming_this_pc_shows_the_new_name_in_the_device_list(
    qtbot: QtBot, signed_in: Controller, bridge: Bridge
) -> None:
    watch = AccountWatch(signed_in, bridge)
    panel = SubscriptionPanel(watch)
    qtbot.addWidget(panel)
    watch.refresh()
    qtbot.waitUntil(lambda: panel.rename_button.isEnabled(), timeout=WAIT)
    before = next(d.name for d in panel.status.devices if d.current)  # type: ignore[union-attr]

    dialog = panel.open_rename()
    assert dialog.name.text() == before
    dialog.name.setText("   ")
    assert not dialog.ok.isEnabled()  # a PC needs a name
    dialog.name.setText("Study\x07PC")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=WAIT)
    assert dialog.isVisible() and dialog.message.text()  # the service's refusal, in words

    dialog.name.setText("Grandma's <b>study</b> PC")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: "Grandma&#x27;s &lt;b&gt;study" in panel.devices.text(), timeout=WAIT)
    assert "(this PC)" in panel.devices.text()
    names = {d.name for d in signed_in.account_status().devices if d.current}
    assert names == {"Grandma's <b>study</b> PC"}  # on the service
    assert signed_in.settings().device_name == "Grandma's <b>study</b> PC"  # kept for sign-in


def test_consents_are_shown_in_plain_words_and_saved_with_the_account(
    qtbot: QtBot, signed_in: Controller, bridge: Bridge
) -> None:
    draft = Draft(signed_in, bridge)
    tab = PrivacyTab(signed_in, bridge, draft)
    qtbot.addWidget(tab)
    draft.load()
    box = tab.consents
    qtbot.waitUntil(lambda: box.on_service and draft.settings is not None, timeout=WAIT)
    assert set(box.checks) == {"telemetry", "product_news_email"}
    assert box.checks["product_news_email"].text() == "E-mail me news about Keepsake"
    assert not any(check.isChecked() for check in box.checks.values())  # all off by default

    box.checks["product_news_email"].click()
    qtbot.waitUntil(lambda: box.note.text() == "Saved.", timeout=WAIT)
    box.telemetry.click()
    qtbot.waitUntil(lambda: box.telemetry.isEnabled() and box.note.text() == "Saved.")
    flags = {flag.name: flag.granted for flag in signed_in.consents()}
    assert flags == {"telemetry": True, "product_news_email": True}
    assert draft.settings is not None and draft.settings.telemetry_consent  # this PC follows
    failures: list[str] = []
    draft.failed.connect(failures.append)
    with qtbot.waitSignal(draft.saved, timeout=WAIT):
        draft.save_now()
    assert failures == [] and signed_in.settings().telemetry_consent

    box.checks["product_news_email"].click()
    qtbot.waitUntil(
        lambda: box.checks["product_news_email"].isEnabled() and box.note.text() == "Saved.",
        timeout=WAIT,
    )
    assert {f.name: f.granted for f in signed_in.consents()}["product_news_email"] is False
