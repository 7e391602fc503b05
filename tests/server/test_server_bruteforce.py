"""Brute-force limits: 100 failed sign-ins per account per hour and 300 per client, both soft
(they end by themselves), and X-Forwarded-For believed only from configured proxies."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from server.api.clientaddr import client_address, client_key
from server.config import parse_networks
from server.db.models import SignIn
from server.policy import logins
from server.policy.logins import Limit
from tests.server.apiharness import PASSWORD, Harness

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SMALL = Limit(max_failures=3, window=timedelta(hours=1))


def minutes(*values: int) -> list[datetime]:
    return [T0 + timedelta(minutes=v) for v in values]


@pytest.mark.parametrize(
    ("failures", "now", "until"),
    [
        ([], 0, None),
        (minutes(0, 1), 2, None),  # under the limit
        (minutes(0, 1, 2), 3, 60),  # at the limit: until the oldest leaves the window
        (minutes(0, 1, 2), 59, 60),
        (minutes(0, 1, 2), 60, None),  # the oldest left: allowed again, by itself
        (minutes(0, 1, 2, 3), 60, 61),  # four in the window: the second-oldest decides
        (minutes(0, 1, 2, 3), 61, None),
        (minutes(-120, -90, 0, 1), 2, None),  # old failures do not count
        (minutes(5, 6, 7), 4, None),  # failures "after now" (a clock moved back) do not count
    ],
)
def test_lockout_policy(failures: list[datetime], now: int, until: int | None) -> None:
    expected = None if until is None else T0 + timedelta(minutes=until)
    assert logins.locked_until(failures, T0 + timedelta(minutes=now), SMALL) == expected


def test_the_limits_are_the_documented_ones() -> None:
    assert Limit(100, timedelta(hours=1)) == logins.ACCOUNT_LIMIT
    assert Limit(300, timedelta(hours=1)) == logins.CLIENT_LIMIT
    assert logins.retry_after_seconds(T0 + timedelta(seconds=0.2), T0) == 1


PROXIES = parse_networks(["10.0.0.0/8", "2001:db8:1::/48"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", [], "203.0.113.5"),
        ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),  # not a proxy: header ignored
        ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.2", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # the left part is the client's
        ("10.0.0.2", ["198.51.100.1, 10.0.0.3"], "198.51.100.1"),  # two proxies in a row
        ("10.0.0.2", ["6.6.6.6", "198.51.100.1"], "198.51.100.1"),  # repeated headers
        ("10.0.0.2", ["198.51.100.1:4711"], "198.51.100.1"),  # with a port
        ("10.0.0.2", ['"[2001:db8:2::7]:4711"'], "2001:db8:2::7"),
        ("10.0.0.2", [], "10.0.0.2"),  # the proxy itself made the request
        ("10.0.0.2", ["10.0.0.3"], "10.0.0.3"),  # all trusted: the first hop
        ("10.0.0.2", ["198.51.100.1, garbage"], None),  # a proxy wrote nonsense: unknown
        ("::ffff:203.0.113.9", [], "203.0.113.9"),  # IPv4-mapped IPv6
        ("2001:db8:1::5", ["2001:db8:2::7"], "2001:db8:2::7"),
        ("testclient", [], None),
    ],
)
def test_client_address(peer: str, forwarded: list[str], client: str | None) -> None:
    found = client_address(peer, forwarded, PROXIES)
    assert (None if found is None else str(found)) == client


def test_ipv6_clients_are_counted_by_their_64() -> None:
    one = client_key(ipaddress.ip_address("2001:db8:2:3:aaaa::1"))
    other = client_key(ipaddress.ip_address("2001:db8:2:3:bbbb::2"))
    assert one == other == "2001:db8:2:3::/64"
    assert client_key(ipaddress.ip_address("203.0.113.5")) == "203.0.113.5"


def sign_in(
    harness: Harness, email: str, password: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    body = {"email": email, "password": password, "device_name": "pc"}
    return harness.client.post("/v1/sessions", json=body, headers=headers or {})


def seed_failures(
    harness: Harness, count: int, start: datetime, email: str | None, client: str | None
) -> None:
    """Failed sign-ins one second apart, as the service records them (faster than HTTP)."""
    with harness.db.write() as session:
        for i in range(count):
            session.add(
                SignIn(
                    account_id=None,
                    email_norm=email or f"victim{i % 7}@example.org",
                    time=start + timedelta(seconds=i),
                    success=False,
                    outcome="bad_credentials",
                    client=client,
                )
            )


def test_account_lockout_after_100_failures_ends_by_itself(harness: Harness) -> None:
    email = harness.signup()
    start = harness.clock.now()
    seed_failures(harness, 98, start, email, "192.0.2.1")
    for i in (98, 99):
        harness.clock.set(start + timedelta(seconds=i))
        assert sign_in(harness, email, "wrong password").status_code == 401, i
    refused = sign_in(harness, email, PASSWORD)
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == 3600 - 99
    assert refused.json()["retry_after"] == 3600 - 99
    harness.clock.set(start + timedelta(minutes=59))
    assert sign_in(harness, email, PASSWORD).status_code == 429, "refusals do not extend it"
    harness.clock.set(start + timedelta(hours=1))
    assert sign_in(harness, email, PASSWORD).status_code == 201
    other = harness.signup()
    harness.clock.set(start + timedelta(seconds=30))
    assert sign_in(harness, other, PASSWORD).status_code == 201, "other accounts are unaffected"


def test_wrong_password_confirmations_count_against_the_account(harness: Harness) -> None:
    api = harness.user()
    seed_failures(harness, 99, harness.clock.now() - timedelta(seconds=99), api.email, None)
    wrong = {"current_password": "not it at all", "new_password": "a brand new one"}
    assert api.call("PUT", "/v1/account/password", json=wrong).status_code == 403
    right = {**wrong, "current_password": PASSWORD}
    assert api.call("PUT", "/v1/account/password", json=right).status_code == 429
    delete = api.call("DELETE", "/v1/account", json={"password": PASSWORD})
    assert delete.status_code == 429 and api.call("GET", "/v1/account").status_code == 200


def test_client_limit_spans_accounts_and_trusts_only_configured_proxies(
    harness: Harness,
) -> None:
    context = harness.client.app.state.context  # type: ignore[attr-defined]
    context.trusted_proxies = parse_networks(["127.0.0.1"])  # the test client's address
    attacker = {"X-Forwarded-For": "6.6.6.6, 198.51.100.7"}
    start = harness.clock.now()
    seed_failures(harness, 297, start, None, "198.51.100.7")
    for i in (297, 298, 299):
        harness.clock.set(start + timedelta(seconds=i))
        reply = sign_in(harness, f"victim{i % 7}@example.org", "guess", attacker)
        assert reply.status_code == 401, i
    refused = sign_in(harness, harness.signup(), PASSWORD, attacker)
    assert refused.status_code == 429 and "network address" in refused.json()["message"]
    neighbour = {"X-Forwarded-For": "198.51.100.8"}
    assert sign_in(harness, harness.signup(), PASSWORD, neighbour).status_code == 201
    with harness.db.read() as session:
        clients = set(session.scalars(select(SignIn.client)))
    assert clients == {"198.51.100.7", "198.51.100.8"}, "the proxy's own address is never used"
    harness.clock.set(start + timedelta(hours=1, seconds=1))
    assert sign_in(harness, harness.signup(), PASSWORD, attacker).status_code == 201


def test_forwarded_for_is_ignored_without_trusted_proxies(harness: Harness) -> None:
    email = harness.signup()
    forged = {"X-Forwarded-For": "192.0.2.99"}
    assert sign_in(harness, email, PASSWORD, forged).status_code == 201
    with harness.db.read() as session:
        assert set(session.scalars(select(SignIn.client))) == {"127.0.0.1"}
