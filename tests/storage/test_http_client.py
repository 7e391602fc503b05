"""The service client over HTTP, against a scripted loopback server: what it sends, what it
retries, what it never resends, and how answers become errors."""

from __future__ import annotations

import logging
import secrets
import socket
import time
from pathlib import Path

import blake3
import pytest
import requests

from app.core.errors import (
    AuthenticationFailed,
    CommitRejected,
    MissingPacks,
    NotFound,
    ObjectMissing,
    Permanent,
    QuotaExceeded,
    Retryable,
    SubscriptionLocked,
)
from app.core.ports import CommitRequest
from app.storage.http import NotSent, ServiceRefused, ServiceUnavailable, Timeouts
from app.storage.retry import RetryPolicy
from app.storage.service import ServiceClient
from app.storage.throttle import BURST_SECONDS, Throttled

from .conftest import Reply, ScriptedServer

SET = "a" * 32
PACK = "b" * 32
TOKEN = "tok-" + "x" * 40


def _client(url: str, sleeps: list[float] | None = None, attempts: int = 4) -> ServiceClient:
    return ServiceClient(
        url,
        TOKEN,
        policy=RetryPolicy(max_attempts=attempts, base_delay=0.01, max_delay=0.05),
        sleep=(sleeps.append if sleeps is not None else lambda _: None),
        timeouts=Timeouts(connect=2.0, read=5.0),
    )


def _commit_request() -> CommitRequest:
    return CommitRequest(
        snapshot_id=secrets.token_hex(16),
        snapshot=b"\x00sealed snapshot\xff",
        index_id=secrets.token_hex(16),
        index=b"\x01sealed index",
        index_kind="delta",
        added_packs=[PACK],
        removed_packs=[],
    )


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# What goes out


def test_pack_upload_carries_its_checksum_length_and_token(scripted: ScriptedServer) -> None:
    path = f"/v1/sets/{SET}/packs/{PACK}"
    scripted.on("PUT", path, Reply(201, json={"size": 3}))
    data = secrets.token_bytes(2 * 1024 * 1024 + 5)
    _client(scripted.url).set_store(SET).put_pack(PACK, data)
    seen = scripted.seen[-1]
    assert seen.body == data
    assert seen.headers["X-Content-BLAKE3"] == blake3.blake3(data).hexdigest()
    assert "X-Content-SHA256" not in seen.headers
    assert seen.headers["Content-Length"] == str(len(data))
    assert "Transfer-Encoding" not in seen.headers
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"


def test_ranged_download_asks_for_the_range(scripted: ScriptedServer) -> None:
    path = f"/v1/sets/{SET}/packs/{PACK}"
    scripted.on("GET", path, Reply(206, body=b"2345"))
    assert _client(scripted.url).set_store(SET).get_pack(PACK, 2, 4) == b"2345"
    assert scripted.seen[-1].headers["Range"] == "bytes=2-5"


def test_a_range_the_service_ignored_is_cut_locally(scripted: ScriptedServer) -> None:
    scripted.on("GET", f"/v1/sets/{SET}/packs/{PACK}", Reply(200, body=b"0123456789"))
    store = _client(scripted.url).set_store(SET)
    assert store.get_pack(PACK, 7) == b"789"
    assert scripted.seen[-1].headers["Range"] == "bytes=7-"


def test_head_gives_the_size_or_none(scripted: ScriptedServer) -> None:
    path = f"/v1/sets/{SET}/packs/{PACK}"
    scripted.on("HEAD", path, Reply(200, headers={"Content-Length": "1234"}))
    store = _client(scripted.url).set_store(SET)
    assert store.pack_size(PACK) == 1234
    scripted.on("HEAD", path, Reply(404))
    assert store.pack_size(PACK) is None


def test_commit_sends_base64_payload_and_returns_seq(scripted: ScriptedServer) -> None:
    scripted.on("POST", f"/v1/sets/{SET}/commits", Reply(201, json={"seq": 7, "time": "T"}))
    request = _commit_request()
    result = _client(scripted.url).set_store(SET).commit(request)
    assert (result.seq, result.time) == (7, "T")
    import json

    sent = json.loads(scripted.seen[-1].body)
    assert sent == {
        "snapshot_id": request.snapshot_id,
        "snapshot": "AHNlYWxlZCBzbmFwc2hvdP8=",
        "index_id": request.index_id,
        "index": "AXNlYWxlZCBpbmRleA==",
        "index_kind": "delta",
        "added_packs": [PACK],
        "removed_packs": [],
        "supersedes": [],
    }


def test_ids_that_are_not_hex_never_reach_a_url(scripted: ScriptedServer) -> None:
    store = _client(scripted.url).set_store(SET)
    for bad in ("../../v1/account", "B" * 32, "a" * 31, "a%2f" * 8):
        with pytest.raises(Permanent):
            store.get_pack(bad)
    with pytest.raises(Permanent):
        _client(scripted.url).set_store("../other")
    assert scripted.seen == []


def test_calls_reuse_one_pooled_connection(scripted: ScriptedServer) -> None:
    scripted.on("GET", f"/v1/sets/{SET}/packs/{PACK}", Reply(200, body=b"x" * 100_000))
    scripted.on("GET", "/v1/account", Reply(200, json={"plan": "PRO"}))
    client = _client(scripted.url)
    store = client.set_store(SET)
    for _ in range(3):
        store.get_pack(PACK)
        client.account_status()
    assert len({s.peer for s in scripted.seen}) == 1


def test_throttled_uploads_are_paced_on_the_wire(scripted: ScriptedServer) -> None:
    scripted.on("PUT", f"/v1/sets/{SET}/packs/{PACK}", Reply(201, json={"size": 1}))
    rate = 2_000_000
    store = _client(scripted.url).set_store(SET, wrap=lambda packs: Throttled(packs, rate))
    data = secrets.token_bytes(1_500_000)
    started = time.monotonic()
    store.put_pack(PACK, data)
    elapsed = time.monotonic() - started
    assert scripted.seen[-1].body == data
    floor = (len(data) - rate * BURST_SECONDS) / rate
    assert floor * 0.9 <= elapsed < floor * 4 + 1


# What is retried, and what never is


def test_idempotent_calls_are_retried_after_5xx(scripted: ScriptedServer) -> None:
    path = f"/v1/sets/{SET}/packs/{PACK}"
    scripted.on("PUT", path, Reply(503), Reply(500), Reply(201, json={"size": 1}))
    sleeps: list[float] = []
    _client(scripted.url, sleeps).set_store(SET).put_pack(PACK, b"data")
    assert scripted.count("PUT", path) == 3
    assert all(s.body == b"data" for s in scripted.seen)
    assert len(sleeps) == 2


def test_4xx_answers_are_not_retried(scripted: ScriptedServer) -> None:
    path = f"/v1/sets/{SET}/packs/{PACK}"
    scripted.on(
        "PUT", path, Reply(400, json={"error": "checksum_mismatch", "message": "bad checksum"})
    )
    with pytest.raises(ServiceRefused, match="bad checksum") as caught:
        _client(scripted.url).set_store(SET).put_pack(PACK, b"data")
    assert caught.value.code == "checksum_mismatch" and caught.value.status == 400
    assert scripted.count("PUT", path) == 1


def test_rate_limiting_waits_as_the_service_asks(scripted: ScriptedServer) -> None:
    scripted.on(
        "GET", "/v1/account", Reply(429, headers={"Retry-After": "0.04"}), Reply(200, json={})
    )
    sleeps: list[float] = []
    assert _client(scripted.url, sleeps).account_status() == {}
    assert sleeps == [0.04]


def test_retries_give_up_after_the_policy_attempts(scripted: ScriptedServer) -> None:
    scripted.on("GET", "/v1/devices", Reply(502))
    with pytest.raises(ServiceUnavailable):
        _client(scripted.url, attempts=3).devices()
    assert scripted.count("GET", "/v1/devices") == 3


def test_a_commit_is_resent_after_a_5xx_or_a_lost_answer(scripted: ScriptedServer) -> None:
    """Safe because the service answers an identical commit with the original seq and time."""
    commits = f"/v1/sets/{SET}/commits"
    scripted.on(
        "POST", commits, Reply(503), Reply(drop=True), Reply(200, json={"seq": 4, "time": "T4"})
    )
    result = _client(scripted.url).set_store(SET).commit(_commit_request())
    assert (result.seq, result.time) == (4, "T4")
    bodies = [s.body for s in scripted.seen if s.path == commits]
    assert len(bodies) == 3 and len(set(bodies)) == 1


def test_a_commit_conflict_is_a_rejection(scripted: ScriptedServer) -> None:
    commits = f"/v1/sets/{SET}/commits"
    scripted.on("POST", commits, Reply(409, json={"error": "conflict", "message": "taken"}))
    with pytest.raises(CommitRejected, match="taken"):
        _client(scripted.url).set_store(SET).commit(_commit_request())
    assert scripted.count("POST", commits) == 1


def test_a_request_that_never_left_is_sent_again_even_a_signup() -> None:
    sleeps: list[float] = []
    with pytest.raises(NotSent):
        _client(_closed_port_url(), sleeps, attempts=3).signup("a@example.org", "pw")
    assert len(sleeps) == 2  # three tries, because nothing reached the service


def test_a_signup_that_may_have_arrived_is_not_resent(scripted: ScriptedServer) -> None:
    scripted.on("POST", "/v1/accounts", Reply(drop=True))
    with pytest.raises(Retryable):
        ServiceClient(scripted.url, None).signup("a@example.org", "pw")
    assert scripted.count("POST", "/v1/accounts") == 1


# How answers become errors


def test_error_answers_map_to_the_engine_errors(scripted: ScriptedServer) -> None:
    client = _client(scripted.url)
    store = client.set_store(SET)
    scripted.on("GET", "/v1/account", Reply(401, json={"error": "unauthorized", "message": "m"}))
    with pytest.raises(AuthenticationFailed):
        client.account_status()
    scripted.on(
        "GET",
        f"/v1/sets/{SET}/packs/{PACK}",
        Reply(
            402,
            json={
                "error": "subscription_locked",
                "reason": "payment_overdue",
                "since": "2026-11-01T00:00:00Z",
                "message": "Payment is overdue.",
            },
        ),
    )
    with pytest.raises(SubscriptionLocked) as locked:
        store.get_pack(PACK)
    assert (locked.value.reason, locked.value.since) == ("payment_overdue", "2026-11-01T00:00:00Z")
    assert str(locked.value) == "Payment is overdue."
    scripted.on(
        "PUT",
        f"/v1/sets/{SET}/packs/{PACK}",
        Reply(413, json={"error": "quota_exceeded", "used": 10, "allowed": 8, "message": "full"}),
    )
    with pytest.raises(QuotaExceeded) as quota:
        store.put_pack(PACK, b"x")
    assert (quota.value.used, quota.value.allowed) == (10, 8)
    scripted.on(
        "POST",
        f"/v1/sets/{SET}/commits",
        Reply(409, json={"error": "missing_packs", "packs": [PACK], "message": "missing"}),
    )
    with pytest.raises(MissingPacks) as missing:
        store.commit(_commit_request())
    assert missing.value.packs == [PACK]
    with pytest.raises(ObjectMissing):
        store.get_snapshot("c" * 32)  # the scripted server answers 404
    with pytest.raises(NotFound):
        client.revoke_device("d" * 32)
    assert client.get_recovery_kit() is None


def test_a_redirect_is_not_followed(scripted: ScriptedServer) -> None:
    scripted.on("GET", "/v1/account", Reply(307, headers={"Location": "/elsewhere"}))
    with pytest.raises(Permanent):
        _client(scripted.url).account_status()
    assert scripted.count("GET", "/elsewhere") == 0


def test_garbage_answers_are_reported_not_trusted(scripted: ScriptedServer) -> None:
    scripted.on("GET", f"/v1/sets/{SET}/snapshots", Reply(200, json=[{"snapshot_id": 5}]))
    scripted.on("GET", "/v1/devices", Reply(200, body=b"<html>captive portal</html>"))
    with pytest.raises(Permanent, match="could not be understood"):
        _client(scripted.url).set_store(SET).list_snapshots()
    with pytest.raises(Permanent, match="could not be understood"):
        _client(scripted.url).devices()


# Accounts


def test_login_adopts_the_new_token_and_logout_drops_it(scripted: ScriptedServer) -> None:
    new_token = secrets.token_urlsafe(32)
    scripted.on(
        "POST",
        "/v1/sessions",
        Reply(201, json={"device_id": "dev1", "token": new_token, "account_id": "acc1"}),
    )
    scripted.on("GET", "/v1/account", Reply(200, json={"plan": "PRO"}))
    scripted.on("DELETE", "/v1/sessions/current", Reply(204))
    client = ServiceClient(scripted.url, None)
    result = client.login("a@example.org", "pw", "laptop")
    assert (result.device_id, result.account_id, result.token) == ("dev1", "acc1", new_token)
    assert new_token not in repr(result)
    assert "Authorization" not in scripted.seen[0].headers
    client.account_status()
    assert scripted.seen[-1].headers["Authorization"] == f"Bearer {new_token}"
    client.logout()
    assert client.token is None


def test_secrets_never_reach_the_log(
    scripted: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    new_token = secrets.token_urlsafe(32)
    scripted.on(
        "POST",
        "/v1/sessions",
        Reply(201, json={"device_id": "d", "token": new_token, "account_id": "a"}),
    )
    scripted.on("GET", "/v1/account", Reply(503))
    client = ServiceClient(
        scripted.url, None, policy=RetryPolicy(2, 0.0, 0.0), sleep=lambda _: None
    )
    client.login("a@example.org", "hunter2-password", "laptop")
    with pytest.raises(Retryable):
        client.account_status()
    assert new_token not in caplog.text and "hunter2-password" not in caplog.text


# Transport security


def test_tls_is_verified_and_a_custom_ca_bundle_is_honoured(
    tls_scripted: ScriptedServer, tls_files: tuple[Path, Path]
) -> None:
    tls_scripted.on("GET", "/healthz", Reply(200, json={"status": "ok"}))
    with pytest.raises(Permanent, match="not trusted"):
        ServiceClient(tls_scripted.url, None).healthz()
    assert tls_scripted.seen == []
    trusted = ServiceClient(tls_scripted.url, None, ca_bundle=str(tls_files[0]))
    assert trusted.healthz() == {"status": "ok"}


def test_an_insecure_session_cannot_switch_verification_off(
    tls_scripted: ScriptedServer,
) -> None:
    session = requests.Session()
    session.verify = False
    with pytest.raises(Permanent, match="not trusted"):
        ServiceClient(tls_scripted.url, None, session=session).healthz()


def test_plain_http_is_refused_beyond_this_pc(tmp_path: Path) -> None:
    with pytest.raises(Permanent, match="https"):
        ServiceClient("http://backup.example.org", "t")
    with pytest.raises(Permanent):
        ServiceClient("https://user:pw@backup.example.org", "t")
    with pytest.raises(Permanent, match="CA bundle"):
        ServiceClient("https://backup.example.org", "t", ca_bundle=str(tmp_path / "none.pem"))
    ServiceClient("http://localhost:8080", None)
    ServiceClient("http://[::1]:8080", None)
