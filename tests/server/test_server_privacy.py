"""The person's data: the export holds everything the service knows about them (account,
devices, plan and billing state, usage, consent flags, sign-in history, e-mails sent), consent
flags are theirs to set, and payment changes go through one function a webhook could call."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.clock import iso
from server.domain.accounts import find_by_email
from server.domain.billing import PaymentUpdate, apply_payment
from server.domain.gc import collect
from server.errors import BadRequest, Conflict
from tests.server.apiharness import Harness


def test_export_holds_account_devices_billing_usage_consents_and_history(
    harness: Harness,
) -> None:
    api = harness.user(plan="PRO")
    harness.set_account(api.email, paid_until=harness.clock.now() + timedelta(days=40))
    set_id = api.new_set()
    api.put_pack(set_id, b"12345")
    api.call("PUT", "/v1/account/consents", json={"product_news_email": True})
    wrong = {"email": api.email, "password": "not the password", "device_name": "x"}
    harness.client.post("/v1/sessions", json=wrong)
    export = api.call("GET", "/v1/account/export").json()
    assert export["format"] == "keepsake-personal-data" and export["version"] == 1
    assert export["account"]["email"] == api.email
    assert export["account"]["usage_bytes"] == 5  # usage
    assert export["billing"] == {
        "plan": "PRO",
        "plan_name": "Pro",
        "state": "active",
        "state_since": iso(harness.clock.now()),
        "end_reason": None,
        "paid_until": iso(harness.clock.now() + timedelta(days=40)),
        "retention_days_override": None,
        "quota_bytes_override": None,
    }
    assert export["consents"]["product_news_email"]["granted"] is True
    assert export["consents"]["telemetry"] == {
        "granted": False,
        "changed_at": None,
        "meaning": export["consents"]["telemetry"]["meaning"],
    }
    assert [d["device_id"] for d in export["devices"]] == [api.device_id]
    assert [(s["outcome"], s["client"]) for s in export["sign_ins"]] == [
        ("ok", "127.0.0.1"),
        ("bad_credentials", "127.0.0.1"),
    ]
    assert export["backup_sets"][0]["set_id"] == set_id
    assert export["backup_sets"][0]["bytes_stored"] == 5
    assert export["notices_sent"] == []
    text = str(export)
    assert "argon2" not in text and api.token not in text


def test_consent_flags_are_off_until_turned_on(harness: Harness) -> None:
    api = harness.user()
    flags = api.call("GET", "/v1/account/consents").json()
    assert {name: flag["granted"] for name, flag in flags.items()} == {
        "telemetry": False,
        "product_news_email": False,
    }
    reply = api.call("PUT", "/v1/account/consents", json={"telemetry": True})
    assert reply.status_code == 200
    assert reply.json()["telemetry"]["changed_at"] == iso(harness.clock.now())
    assert reply.json()["product_news_email"]["granted"] is False, "left out: unchanged"
    harness.clock.set(harness.clock.now() + timedelta(days=1))
    api.call("PUT", "/v1/account/consents", json={"telemetry": False})
    flag = api.call("GET", "/v1/account/consents").json()["telemetry"]
    assert flag["granted"] is False and flag["changed_at"] == iso(harness.clock.now())
    assert api.call("PUT", "/v1/account/consents", json={"telemetry": "yes"}).status_code == 422
    assert api.call("PUT", "/v1/account/consents", json={"tracking": True}).status_code == 422


def test_deleted_account_is_gone_within_30_days(harness: Harness) -> None:
    """The owner deletes; the daily GC (here one day later) removes everything."""
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"personal")
    api.commit(set_id, added=[pack_id])
    api.call("PUT", "/v1/account/consents", json={"telemetry": True})
    assert api.call("DELETE", "/v1/account", json={"password": "correct horse"}).status_code == 204
    assert api.call("GET", "/v1/account").status_code == 401, "locked and signed out at once"
    deleted = harness.clock.now()
    for day in range(0, 31):
        report = collect(harness.db, harness.store, deleted + timedelta(days=day))
        if report.accounts_deleted:
            break
    assert day <= 1, "the next daily GC run deletes it"
    assert list(harness.store.list()) == []
    dump = harness.dump()
    assert api.email not in dump and "personal" not in dump and "telemetry" not in dump


@pytest.mark.parametrize(
    ("start", "update", "state", "lock_reason"),
    [
        ({}, PaymentUpdate("overdue"), "overdue", "payment_overdue"),
        ({"state": "overdue"}, PaymentUpdate("paid"), "active", None),
        ({}, PaymentUpdate("ended"), "ended", "subscription_ended"),
        (
            {"state": "ended", "end_reason": "subscription_ended"},
            PaymentUpdate("paid"),
            "active",
            None,
        ),
        ({}, PaymentUpdate("paid", plan="UNLIMITED"), "active", None),
    ],
)
def test_payment_updates(
    harness: Harness,
    start: dict[str, str],
    update: PaymentUpdate,
    state: str,
    lock_reason: str | None,
) -> None:
    api = harness.user(plan="PRO")
    if start:
        harness.set_account(api.email, **start)
    now = harness.clock.now()
    with harness.db.write() as session:
        owner = find_by_email(session, api.email)
        assert owner is not None
        standing = apply_payment(session, owner, update, now)
    assert (standing.state, standing.lock_reason) == (state, lock_reason)
    status = api.call("GET", "/v1/account").json()
    assert status["state"] == state and status["plan"] == (update.plan or "PRO")


def test_payments_cannot_undo_an_owners_deletion_or_unknown_plans(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    with harness.db.write() as session:
        owner = find_by_email(session, api.email)
        assert owner is not None
        with pytest.raises(BadRequest):
            apply_payment(session, owner, PaymentUpdate("paid", plan="GOLD"), harness.clock.now())
    api.call("DELETE", "/v1/account", json={"password": "correct horse"})
    with harness.db.write() as session:
        owner = find_by_email(session, api.email)
        assert owner is not None
        with pytest.raises(Conflict):
            apply_payment(session, owner, PaymentUpdate("paid"), harness.clock.now())
