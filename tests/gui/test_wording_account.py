"""The service's dated warnings in the person's language: every code the service can send today
is worded by the app (a new code in the service fails here until it is), the data deletion is
worded by why the account ended, and an unknown code still shows, under a translated lead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.controller import AccountWarning, Controller, _account_status
from app.gui.account_watch import AccountWatch
from app.gui.bridge import Bridge
from app.gui.notifier import NoticePolicy
from app.gui.subscription_panel import SubscriptionPanel
from app.gui.wording_account import warning_sentence
from server.policy.subscription import (
    DATA_DELETION,
    END_REASONS,
    OWNER_DELETED,
    SUBSCRIPTION_ENDED,
    WARNING_CODES,
)

DATE = "2026-05-20T00:00:00Z"
SAID = "The service's own English sentence about this."


# Every code, and the data deletion once more for each reason an account can end.
WARNINGS = [(code, None) for code in WARNING_CODES] + [(DATA_DELETION, r) for r in END_REASONS]


@pytest.mark.parametrize(("code", "reason"), WARNINGS)
def test_every_warning_the_service_sends_is_worded_in_danish(
    in_danish: Callable[..., Any], code: str, reason: str | None
) -> None:
    warning = AccountWarning(code, DATE, SAID)
    english = warning_sentence(warning, reason)
    danish = in_danish(warning_sentence, warning, reason)
    assert SAID not in english and SAID not in danish, "the service's English shown"
    assert danish != english, "not translated"
    assert "{" not in danish and "{" not in english, "a placeholder left unfilled"


def test_an_unknown_code_shows_the_services_words_under_a_danish_lead(
    in_danish: Callable[..., Any],
) -> None:
    warning = AccountWarning("brand_new_code", DATE, "Something new happened.")
    assert in_danish(warning_sentence, warning) == (
        "Besked fra Keepsake-tjenesten: Something new happened."
    )
    assert warning_sentence(warning) == "Message from the Keepsake service: Something new happened."


def test_a_known_code_without_a_usable_date_is_not_hidden(in_danish: Callable[..., Any]) -> None:
    warning = AccountWarning("payment_due", None, "Payment is due soon.")
    assert (
        in_danish(warning_sentence, warning)
        == "Besked fra Keepsake-tjenesten: Payment is due soon."
    )


def test_the_data_deletion_is_worded_by_why_the_account_ended(
    in_danish: Callable[..., Any],
) -> None:
    warning = AccountWarning(DATA_DELETION, DATE, SAID)
    neutral = warning_sentence(warning, None)
    by_reason = {reason: warning_sentence(warning, reason) for reason in END_REASONS}
    assert len({neutral, *by_reason.values()}) == len(END_REASONS) + 1, "each reason its own"
    assert "20 May 2026" in neutral
    # Only an ended subscription can be renewed; the owner's deletion is not undone by paying.
    assert "renewed" in by_reason[SUBSCRIPTION_ENDED]
    for reason, text in by_reason.items():
        if reason != SUBSCRIPTION_ENDED:
            assert "renew" not in text and "unless" not in text, reason
    assert "renew" not in neutral and "unless" not in neutral
    assert "owner" in by_reason[OWNER_DELETED]
    danish = in_danish(warning_sentence, warning, OWNER_DELETED)
    assert "ejerens anmodning" in danish and "fornyes" not in danish
    assert "fornyes" not in in_danish(warning_sentence, warning, None)


def owner_deleted_status() -> Any:
    """The account status as the service sends it after the owner deleted the account."""
    raw = {
        "email": "a@example.org",
        "plan": "PRO",
        "state": "ended",
        "locked": True,
        "lock_reason": OWNER_DELETED,
        "locked_since": DATE,
        "delete_data_at": DATE,
        "warnings": [{"code": DATA_DELETION, "date": DATE, "message": SAID}],
    }
    return _account_status(raw, (), "https://keepsake.example")


def test_the_notification_words_the_deletion_by_the_accounts_lock_reason(qapp: object) -> None:
    notices = NoticePolicy().on_account(owner_deleted_status(), datetime(2026, 5, 21, tzinfo=UTC))
    assert len(notices) == 1
    assert "owner's request" in notices[0].text and "renew" not in notices[0].text


def test_the_subscription_panel_words_the_deletion_by_the_accounts_lock_reason(
    qtbot: QtBot, controller: Controller
) -> None:
    bridge = Bridge()
    panel = SubscriptionPanel(AccountWatch(controller, bridge))
    qtbot.addWidget(panel)
    panel.show_status(owner_deleted_status())
    [text] = panel.warning_texts()
    assert "owner's request" in text and "renew" not in text
    bridge.wait_idle()
