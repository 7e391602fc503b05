"""Subscription states through the API and the admin commands: locks with reasons and dates,
warnings before they happen, deletion only after the documented deadline."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from server.cli import main
from server.clock import iso
from tests.server.apiharness import Api, Harness


def admin(harness: Harness, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["admin", *harness.location(), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def backup_and_restore_codes(api: Api, set_id: str, pack_id: str) -> set[int]:
    """Status codes of every backup and restore endpoint for this set."""
    _, put = api.put_pack(set_id, b"new bytes")
    replies = [
        put,
        api.commit(set_id),
        api.call("PUT", f"/v1/sets/{set_id}", json={}),
        api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}"),
        api.call("HEAD", f"/v1/sets/{set_id}/packs/{pack_id}"),
        api.call("GET", f"/v1/sets/{set_id}/packs"),
        api.call("GET", f"/v1/sets/{set_id}/snapshots"),
        api.call("GET", f"/v1/sets/{set_id}/indexes"),
    ]
    return {reply.status_code for reply in replies}


def test_overdue_locks_backup_and_restore_until_paid(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"kept safe")
    api.commit(set_id, added=[pack_id])
    now = iso(harness.clock.now())
    code, out = admin(harness, capsys, "set-payment", api.email, "--state", "overdue", "--now", now)
    assert code == 0 and "payment_overdue" in out
    assert backup_and_restore_codes(api, set_id, pack_id) == {402}
    locked = api.call("GET", f"/v1/sets/{set_id}/snapshots").json()
    assert locked["error"] == "subscription_locked" and locked["reason"] == "payment_overdue"
    assert locked["since"] == now
    status = api.call("GET", "/v1/account").json()
    assert status["state"] == "overdue" and status["locked"] and status["delete_data_at"] is None
    assert [w["code"] for w in status["warnings"]] == ["locked"]
    harness.clock.set(harness.clock.now() + timedelta(days=400))
    code, _ = admin(harness, capsys, "gc", "--now", iso(harness.clock.now()))
    assert code == 0
    paid_until = harness.clock.now() + timedelta(days=365)
    code, _ = admin(
        harness,
        capsys,
        "set-payment",
        api.email,
        "--state",
        "paid",
        "--paid-until",
        iso(paid_until),
        "--now",
        iso(harness.clock.now()),
    )
    assert code == 0
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == b"kept safe"
    assert api.call("GET", "/v1/account").json()["paid_until"] == iso(paid_until)


def test_unpaid_renewal_is_announced_then_locks(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    due = harness.clock.now() + timedelta(days=30)
    harness.set_account(api.email, paid_until=due)
    set_id = api.new_set()
    assert api.call("GET", "/v1/account").json()["warnings"] == []
    harness.clock.set(due - timedelta(days=14))
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [(w["code"], w["date"]) for w in warnings] == [("payment_due", iso(due))]
    assert api.call("GET", f"/v1/sets/{set_id}/snapshots").status_code == 200
    harness.clock.set(due)
    reply = api.call("GET", f"/v1/sets/{set_id}/snapshots")
    assert reply.status_code == 402 and reply.json()["since"] == iso(due)


def test_free_account_expires_after_180_idle_days_with_warning(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user()  # FREE
    set_id = api.new_set()
    start = harness.clock.now()
    harness.clock.set(start + timedelta(days=100))
    assert api.commit(set_id).status_code == 201  # backup activity restarts the clock
    expiry = start + timedelta(days=280)
    harness.clock.set(expiry - timedelta(days=15))
    assert api.call("GET", "/v1/account").json()["warnings"] == []
    harness.clock.set(expiry - timedelta(days=14))
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [(w["code"], w["date"]) for w in warnings] == [("inactivity_expiry", iso(expiry))]
    harness.clock.set(expiry)
    refused = api.commit(set_id)
    assert refused.status_code == 402 and refused.json()["reason"] == "inactive"
    status = api.call("GET", "/v1/account").json()
    assert status["state"] == "ended"
    assert status["delete_data_at"] == iso(expiry + timedelta(days=30))


def test_ended_subscription_data_is_deleted_30_days_later_not_before(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"precious")
    api.commit(set_id, added=[pack_id])
    api.call("PUT", "/v1/recovery-kit", content=b"kit")
    ended = harness.clock.now()
    code, out = admin(harness, capsys, "end-subscription", api.email, "--now", iso(ended))
    assert code == 0 and iso(ended + timedelta(days=30)) in out
    reply = api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}")
    assert reply.status_code == 402 and reply.json()["reason"] == "subscription_ended"
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [(w["code"], w["date"]) for w in warnings] == [
        ("data_deletion", iso(ended + timedelta(days=30)))
    ]
    code, out = admin(harness, capsys, "gc", "--now", iso(ended + timedelta(days=29)))
    assert "0 account(s) deleted" in out
    assert len(list(harness.store.list())) == 1
    code, out = admin(harness, capsys, "gc", "--now", iso(ended + timedelta(days=30)))
    assert "1 account(s) deleted" in out
    assert list(harness.store.list()) == []
    assert api.call("GET", "/v1/account").status_code == 401
    code, out = admin(harness, capsys, "list-accounts")
    assert api.email not in out
    harness.signup(api.email)  # the address is free again


def test_owner_deletes_account_and_gc_removes_everything(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"mine")
    api.commit(set_id, added=[pack_id])
    wrong = api.call("DELETE", "/v1/account", json={"password": "not it at all"})
    assert wrong.status_code == 403
    assert api.call("GET", "/v1/account").status_code == 200
    assert api.call("DELETE", "/v1/account", json={"password": "correct horse"}).status_code == 204
    assert api.call("GET", "/v1/account").status_code == 401
    _, out = admin(harness, capsys, "gc", "--now", iso(harness.clock.now()))
    assert "1 account(s) deleted" in out and list(harness.store.list()) == []
    assert api.email not in harness.dump().lower()


def test_personal_data_export(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    api.put_pack(set_id, b"12345")
    export = api.call("GET", "/v1/account/export").json()
    assert export["format"] == "keepsake-personal-data"
    assert export["account"]["email"] == api.email
    assert [d["device_id"] for d in export["devices"]] == [api.device_id]
    assert [s["outcome"] for s in export["sign_ins"]] == ["ok"]
    assert export["backup_sets"][0]["set_id"] == set_id
    assert export["backup_sets"][0]["bytes_stored"] == 5
    text = str(export)
    assert "argon2" not in text and api.token not in text


def test_admin_plan_device_and_stats_commands(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user()
    code, out = admin(harness, capsys, "set-plan", api.email, "pro", "--retention-days", "90")
    assert code == 0 and "plan PRO" in out
    status = api.call("GET", "/v1/account").json()
    assert (status["plan"], status["retention_days"], status["devices_allowed"]) == ("PRO", 90, 5)
    code, out = admin(harness, capsys, "set-plan", api.email, "GOLD")
    assert code == 1 and "unknown plan GOLD" in out
    code, out = admin(harness, capsys, "revoke-device", api.email, "pc")
    assert code == 0 and api.call("GET", "/v1/account").status_code == 401
    code, out = admin(harness, capsys, "revoke-device", api.email, "pc")
    assert code == 1 and out.startswith("error: ")
    code, out = admin(harness, capsys, "stats")
    stats = json.loads(out)
    assert stats["accounts"] == 1 and stats["accounts_by_plan"] == {"PRO": 1}
    code, out = admin(harness, capsys, "show-account", api.email.upper())
    assert json.loads(out)["plan"] == "PRO"
    with pytest.raises(SystemExit) as exited:
        admin(harness, capsys, "gc", "--now", "yesterday")
    assert exited.value.code == 2
