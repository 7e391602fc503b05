"""Sign-ups are limited per client address: 20 an hour, a soft limit that ends by itself, counted
by the address the configured trusted proxy saw (X-Forwarded-For believed from it only)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select

from server.cli import main
from server.clock import iso
from server.config import parse_networks
from server.db.models import SignUp
from server.policy import signups
from server.policy.logins import Limit
from tests.server.apiharness import PASSWORD, Harness

PEER = "127.0.0.1"  # the test client's address


def sign_up(
    harness: Harness, email: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    email = email or f"new-{secrets.token_hex(5)}@example.org"
    body = {"email": email, "password": PASSWORD}
    reply: httpx.Response = harness.client.post("/v1/accounts", json=body, headers=headers or {})
    return reply


def seed(harness: Harness, count: int, start: datetime, client: str) -> None:
    """Sign-ups one second apart, as the service records them (faster than HTTP)."""
    with harness.db.write() as session:
        for i in range(count):
            session.add(SignUp(client=client, time=start + timedelta(seconds=i)))


def counted(harness: Harness, client: str) -> int:
    with harness.db.read() as session:
        return int(session.scalar(select(func.count()).where(SignUp.client == client)) or 0)


def test_the_limit_is_the_documented_one() -> None:
    assert Limit(20, timedelta(hours=1)) == signups.CLIENT_LIMIT


def test_the_21st_sign_up_within_an_hour_is_refused_until_the_first_leaves_the_window(
    harness: Harness,
) -> None:
    start = harness.clock.now()
    seed(harness, 18, start, PEER)
    harness.clock.set(start + timedelta(seconds=18))
    taken = harness.signup()
    harness.clock.set(start + timedelta(seconds=19))
    assert sign_up(harness, taken).status_code == 409, "a taken email counts too"
    harness.clock.set(start + timedelta(seconds=100))
    refused = sign_up(harness, "refused-person@example.org")
    assert refused.status_code == 429
    body = refused.json()
    assert (
        body["error"] == "rate_limited" and "sign-ups from this network address" in body["message"]
    )
    assert int(refused.headers["Retry-After"]) == body["retry_after"] == 3600 - 100
    assert "refused-person" not in refused.text and PASSWORD not in refused.text
    harness.clock.set(start + timedelta(minutes=59))
    assert sign_up(harness).status_code == 429, "refusals do not extend it"
    assert counted(harness, PEER) == 20
    harness.clock.set(start + timedelta(hours=1))  # the oldest left the window
    assert sign_up(harness, "refused-person@example.org").status_code == 201
    assert sign_up(harness).status_code == 429, "the next one waits for the next slot"


def test_malformed_sign_ups_are_refused_without_counting(harness: Harness) -> None:
    seed(harness, 19, harness.clock.now() - timedelta(minutes=30), PEER)
    weak = harness.client.post("/v1/accounts", json={"email": "w@example.org", "password": "x"})
    assert weak.status_code == 400
    common = {"email": "c@example.org", "password": "password123"}
    assert harness.client.post("/v1/accounts", json=common).status_code == 400
    assert counted(harness, PEER) == 19
    assert sign_up(harness).status_code == 201
    assert sign_up(harness).status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(harness: Harness) -> None:
    context = harness.client.app.state.context  # type: ignore[attr-defined]
    context.trusted_proxies = parse_networks([PEER])
    start = harness.clock.now()
    seed(harness, 20, start, "198.51.100.7")
    harness.clock.set(start + timedelta(minutes=1))
    attacker = {"X-Forwarded-For": "6.6.6.6, 198.51.100.7"}  # the left part is the client's own
    assert sign_up(harness, headers=attacker).status_code == 429
    assert sign_up(harness, headers={"X-Forwarded-For": "6.6.6.6"}).status_code == 201
    assert sign_up(harness, headers={"X-Forwarded-For": "198.51.100.8"}).status_code == 201
    v6 = {"X-Forwarded-For": "2001:db8:2:3::1"}
    assert sign_up(harness, headers=v6).status_code == 201
    assert counted(harness, "2001:db8:2:3::/64") == 1, "an IPv6 client is counted by its /64"
    assert counted(harness, PEER) == 0, "the proxy's own address is never counted"


def test_forwarded_for_is_ignored_without_trusted_proxies(harness: Harness) -> None:
    seed(harness, 20, harness.clock.now() - timedelta(minutes=5), PEER)
    forged = {"X-Forwarded-For": "192.0.2.99"}
    assert sign_up(harness, headers=forged).status_code == 429
    assert counted(harness, "192.0.2.99") == 0


def test_gc_forgets_sign_ups_once_the_limit_no_longer_needs_them(harness: Harness) -> None:
    now = harness.clock.now()
    seed(harness, 3, now - timedelta(hours=2), "203.0.113.1")
    seed(harness, 2, now - timedelta(minutes=10), "203.0.113.2")
    assert main(["admin", *harness.location(), "gc", "--now", iso(now)]) == 0
    assert counted(harness, "203.0.113.1") == 0 and counted(harness, "203.0.113.2") == 2
