"""The subscription panel, tray and notifications against the real service: an overdue lock set
with the admin CLI is shown with its reason and date; warnings are told once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.account_watch import AccountWatch
from app.gui.actions import Actions
from app.gui.bridge import Bridge
from app.gui.notifier import Notifier
from app.gui.presence import Presence
from app.gui.subscription_panel import SubscriptionPanel
from app.gui.wording_status import Look
from app.protect.state import ProtectionState
from tests.support.service import RunningService

if TYPE_CHECKING:
    from tests.conftest import TestAccount

WAIT = 60_000


def test_an_overdue_lock_set_by_the_admin_is_shown_with_reason_and_date(
    qtbot: QtBot,
    ready_controller: Callable[..., Controller],
    service: RunningService,
    fresh_account: TestAccount,
    private_home: Path,
) -> None:
    controller = ready_controller([private_home / "Documents"])
    bridge = Bridge()
    watch = AccountWatch(controller, bridge)
    panel = SubscriptionPanel(watch)
    qtbot.addWidget(panel)
    presence = Presence()
    shown: list[tuple[str, str, bool]] = []
    notifier = Notifier(lambda *notice: shown.append(notice))
    watch.updated.connect(presence.set_account)
    watch.updated.connect(notifier.on_account)

    watch.refresh()
    qtbot.waitUntil(lambda: panel.status is not None, timeout=WAIT)
    assert not panel.locked.isVisible() and panel.plan.text() == "Keepsake Pro"
    assert panel.warning_texts() == [] and shown == []
    assert "this PC" in panel.devices.text()

    done = service.admin("set-payment", fresh_account.email, "--state", "overdue")
    assert done.returncode == 0, done.stderr
    watch.refresh()
    qtbot.waitUntil(lambda: panel.status is not None and panel.status.locked, timeout=WAIT)
    panel.show()
    banner = panel.locked.text()
    assert panel.locked.isVisible()
    assert banner.startswith("Locked since ") and "payment is overdue" in banner
    assert panel.status.locked_since is not None
    assert any("payment is overdue" in text for text in panel.warning_texts())
    assert presence.summary.look == Look.LOCKED and presence.summary.sentence == banner
    assert [title for title, _text, _warn in shown] == ["Your Keepsake subscription"]
    actions = Actions(controller, bridge)
    actions.set_ready(True)
    actions.on_state(ProtectionState.initial())
    assert actions.back_up_now.isEnabled() and actions.restore.isEnabled()
    actions.on_account(panel.status)  # locked: restore goes off; backing up is the retry
    assert not actions.restore.isEnabled() and not actions.pause_hour.isEnabled()
    assert actions.back_up_now.isEnabled()
    assert actions.settings.isEnabled() and actions.account.isEnabled()

    watch.refresh()  # the same warning again: not told twice
    qtbot.waitUntil(lambda: not watch._asking, timeout=WAIT)
    assert len(shown) == 1
    bridge.wait_idle()
