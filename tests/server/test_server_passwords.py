"""Password rules, Argon2id parameters, changing the password, and renaming devices."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from server import passwords, security
from server.errors import BadRequest
from tests.server.apiharness import PASSWORD, Harness

# OWASP Password Storage Cheat Sheet, Argon2id: at least 19 MiB of memory with 2 passes
# (configurations trading memory for passes are equivalent; 19 MiB / 2 passes is the floor here).
OWASP_MIN_MEMORY_KIB = 19 * 1024
OWASP_MIN_PASSES = 2


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short", False),
        ("1234567", False),  # 7 characters
        ("password", False),  # the list, exactly
        ("Password1", False),  # case does not make a common password uncommon
        ("  qwertyuiop ", False),  # nor surrounding spaces
        ("iloveyou2", False),
        ("correct horse", True),  # 13 characters, not on the list: no composition rules
        ("aaaaaaaa", False),  # listed: breach lists know such patterns too
        ("tulip harbour", True),
        ("x" * 1024, True),
        ("x" * 1025, False),
    ],
)
def test_password_rules(password: str, accepted: bool) -> None:
    if accepted:
        passwords.check_password(password)
    else:
        with pytest.raises(BadRequest):
            passwords.check_password(password)


def test_the_common_list_is_shipped_and_compact() -> None:
    listed = passwords.common_passwords()
    assert 5_000 <= len(listed) <= 20_000
    assert all(len(p) >= passwords.MIN_LENGTH and p == p.lower() for p in listed)
    assert {"password", "12345678", "qwertyuiop"} <= listed


def test_signup_refuses_a_common_password_with_one_sentence(harness: Harness) -> None:
    reply = harness.client.post(
        "/v1/accounts", json={"email": "c@example.org", "password": "Sunshine1"}
    )
    assert reply.status_code == 400 and "commonly used" in reply.json()["message"]
    assert "Sunshine1" not in reply.text


def test_password_hashes_are_argon2id_with_at_least_owasp_parameters() -> None:
    stored = security.hash_password("a correct horse")  # the real hasher, not the tests' cheap one
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.memory_cost >= OWASP_MIN_MEMORY_KIB
    assert parameters.time_cost >= OWASP_MIN_PASSES
    assert parameters == RFC_9106_LOW_MEMORY  # 64 MiB, 3 passes, 4 lanes, as documented
    assert security.verify_password(stored, "a correct horse")
    assert not security.verify_password(stored, "a correct horse!")


def test_change_password_signs_out_the_other_devices(harness: Harness) -> None:
    email = harness.signup()
    harness.set_account(email, plan_code="PRO")
    laptop, desktop = harness.login(email, device="laptop"), harness.login(email, device="desktop")
    body = {"current_password": PASSWORD, "new_password": "a much better one"}
    reply = laptop.call("PUT", "/v1/account/password", json=body)
    assert reply.status_code == 200 and reply.json() == {"devices_signed_out": 1}
    assert laptop.call("GET", "/v1/account").status_code == 200, "the changing device stays"
    assert desktop.call("GET", "/v1/account").status_code == 401
    old = {"email": email, "password": PASSWORD, "device_name": "pc"}
    assert harness.client.post("/v1/sessions", json=old).status_code == 401
    new = {**old, "password": "a much better one"}
    assert harness.client.post("/v1/sessions", json=new).status_code == 201


def test_change_password_may_keep_the_other_devices(harness: Harness) -> None:
    email = harness.signup()
    harness.set_account(email, plan_code="PRO")
    laptop, desktop = harness.login(email, device="laptop"), harness.login(email, device="desktop")
    body = {
        "current_password": PASSWORD,
        "new_password": "another fine one",
        "sign_out_other_devices": False,
    }
    assert laptop.call("PUT", "/v1/account/password", json=body).json()["devices_signed_out"] == 0
    assert desktop.call("GET", "/v1/account").status_code == 200


def test_change_password_needs_the_current_one_and_a_good_new_one(harness: Harness) -> None:
    api = harness.user()
    wrong = {"current_password": "not the password", "new_password": "a much better one"}
    reply = api.call("PUT", "/v1/account/password", json=wrong)
    assert reply.status_code == 403 and reply.json()["error"] == "forbidden"
    common = {"current_password": PASSWORD, "new_password": "baseball1"}
    assert api.call("PUT", "/v1/account/password", json=common).status_code == 400
    assert api.call("PUT", "/v1/account/password", json={"new_password": "x"}).status_code == 422
    outcomes = [s["outcome"] for s in api.call("GET", "/v1/account/export").json()["sign_ins"]]
    assert outcomes == ["ok", "wrong_password"], "a wrong current password is a failed check"
    assert api.call("GET", "/v1/account").status_code == 200


def test_devices_can_be_renamed_by_their_owner_only(harness: Harness) -> None:
    owner, intruder = harness.user(plan="PRO"), harness.user()
    path = f"/v1/devices/{owner.device_id}"
    renamed = owner.call("PATCH", path, json={"name": "  Anna's laptop "})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Anna's laptop"
    assert [d["name"] for d in owner.call("GET", "/v1/devices").json()] == ["Anna's laptop"]
    assert intruder.call("PATCH", path, json={"name": "mine now"}).status_code == 404
    assert owner.call("PATCH", path, json={"name": ""}).status_code == 422
    assert owner.call("PATCH", path, json={"name": "tab\there"}).status_code == 400
    assert owner.call("PATCH", f"/v1/devices/{'0' * 32}", json={"name": "x"}).status_code == 404
    assert [d["name"] for d in owner.call("GET", "/v1/devices").json()] == ["Anna's laptop"]
