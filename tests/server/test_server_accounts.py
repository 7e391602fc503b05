"""Sign-up, sign-in, tokens, devices and the account status, through the HTTP API."""

from __future__ import annotations

import hashlib

from tests.server.apiharness import Harness


def test_signup_login_status_logout(harness: Harness) -> None:
    email = harness.signup("Alice@Example.org")
    api = harness.login("alice@EXAMPLE.org")
    status = api.call("GET", "/v1/account").json()
    assert status["email"] == "Alice@Example.org"
    assert status["plan"] == "FREE" and status["state"] == "active"
    assert status["devices_used"] == 1 and status["devices_allowed"] == 1
    assert status["usage_bytes"] == 0 and status["retention_days"] == 30
    assert status["warnings"] == []
    assert api.call("DELETE", "/v1/sessions/current").status_code == 204
    refused = api.call("GET", "/v1/account")
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    assert email


def test_email_is_unique_case_insensitively(harness: Harness) -> None:
    harness.signup("Bob@example.org")
    reply = harness.client.post(
        "/v1/accounts", json={"email": "bob@EXAMPLE.ORG", "password": "another one"}
    )
    assert reply.status_code == 409 and reply.json()["error"] == "conflict"


def test_bad_signups_are_refused_without_echoing_the_password(harness: Harness) -> None:
    short = harness.client.post("/v1/accounts", json={"email": "c@example.org", "password": "x"})
    assert short.status_code == 400 and short.json()["error"] == "bad_request"
    invalid = harness.client.post(
        "/v1/accounts", json={"email": "not-an-email", "password": "secret-passw0rd"}
    )
    assert invalid.status_code == 400
    missing = harness.client.post("/v1/accounts", json={"password": "secret-passw0rd"})
    assert missing.status_code == 422 and missing.json()["error"] == "bad_request"
    assert "secret-passw0rd" not in missing.text


def test_wrong_password_and_unknown_email_look_the_same(harness: Harness) -> None:
    email = harness.signup()
    wrong = harness.client.post(
        "/v1/sessions", json={"email": email, "password": "wrong password", "device_name": "pc"}
    )
    unknown = harness.client.post(
        "/v1/sessions",
        json={"email": "nobody@example.org", "password": "wrong password", "device_name": "pc"},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_database_holds_only_token_hashes_and_argon2id_password_hashes(harness: Harness) -> None:
    api = harness.user()
    dump = harness.dump()
    assert api.token not in dump
    assert "correct horse" not in dump
    assert "$argon2id$" in dump
    assert hashlib.sha256(api.token.encode()).hexdigest() in dump
    assert len(api.token) >= 43  # 256 bits in url-safe base64


def test_revoked_token_is_refused_at_once(harness: Harness) -> None:
    email = harness.signup()
    harness.set_account(email, plan_code="PRO")
    laptop = harness.login(email, device="laptop")
    desktop = harness.login(email, device="desktop")
    devices = desktop.call("GET", "/v1/devices").json()
    assert {d["name"] for d in devices} == {"laptop", "desktop"}
    assert [d["current"] for d in devices if d["name"] == "desktop"] == [True]
    assert laptop.call("GET", "/v1/account").status_code == 200
    assert desktop.call("DELETE", f"/v1/devices/{laptop.device_id}").status_code == 204
    assert laptop.call("GET", "/v1/account").status_code == 401
    assert [d["name"] for d in desktop.call("GET", "/v1/devices").json()] == ["desktop"]


def test_other_accounts_devices_cannot_be_revoked(harness: Harness) -> None:
    owner, intruder = harness.user(), harness.user()
    for device_id in (owner.device_id, owner.device_id.upper(), "..", "x" * 32):
        reply = intruder.call("DELETE", f"/v1/devices/{device_id}")
        assert reply.status_code == 404, device_id
    assert owner.call("GET", "/v1/account").status_code == 200


def test_device_limit_lists_devices_and_allows_replacing_one(harness: Harness) -> None:
    email = harness.signup()  # FREE: one device
    first = harness.login(email, device="home-pc")
    body = {"email": email, "password": "correct horse", "device_name": "home-pc"}
    refused = harness.client.post("/v1/sessions", json=body)
    assert refused.status_code == 403
    details = refused.json()
    assert details["error"] == "device_limit" and details["devices_allowed"] == 1
    assert [d["device_id"] for d in details["devices"]] == [first.device_id]
    assert first.call("GET", "/v1/account").status_code == 200, "a refusal revokes nothing"
    wrong_password = harness.client.post("/v1/sessions", json={**body, "password": "nope nope"})
    assert "devices" not in wrong_password.json()
    replaced = harness.client.post("/v1/sessions", json={**body, "replace_device": first.device_id})
    assert replaced.status_code == 201
    assert first.call("GET", "/v1/account").status_code == 401
    headers = {"Authorization": f"Bearer {replaced.json()['token']}"}
    assert harness.client.get("/v1/account", headers=headers).json()["devices_used"] == 1


def test_two_devices_may_share_a_name(harness: Harness) -> None:
    email = harness.signup()
    harness.set_account(email, plan_code="PRO")
    one, two = harness.login(email, device="MacBook"), harness.login(email, device="MacBook")
    assert one.call("GET", "/v1/account").json()["devices_used"] == 2
    assert two.call("GET", "/v1/account").status_code == 200


def test_missing_or_malformed_tokens_are_401(harness: Harness) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer " + "A" * 43},
        {"Authorization": "Bearer " + "x" * 500},
    ):
        reply = harness.client.get("/v1/account", headers=headers)
        assert reply.status_code == 401, headers
        assert reply.json()["error"] == "unauthorized"


def test_recovery_kit_round_trip(harness: Harness) -> None:
    api, other = harness.user(), harness.user()
    assert api.call("GET", "/v1/recovery-kit").status_code == 404
    assert api.call("PUT", "/v1/recovery-kit", content=b"sealed kit bytes").status_code == 204
    assert api.call("GET", "/v1/recovery-kit").content == b"sealed kit bytes"
    assert other.call("GET", "/v1/recovery-kit").status_code == 404
    assert api.call("PUT", "/v1/recovery-kit", content=b"x" * (1024 * 1024 + 1)).status_code == 413
    assert api.call("GET", "/v1/recovery-kit").content == b"sealed kit bytes"
