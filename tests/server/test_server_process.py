"""The real service process: admin CLI, path-encoding attacks, concurrency, big packs, logs."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.service import RunningService, running_service


def _login(service: RunningService, email: str, password: str, device: str = "pc") -> str:
    reply = requests.post(
        service.url + "/v1/sessions",
        json={"email": email, "password": password, "device_name": device},
        timeout=30,
    )
    assert reply.status_code == 201, reply.text
    return str(reply.json()["token"])


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _put_pack(url: str, token: str, set_id: str, data: bytes, pack_id: str | None = None) -> Any:
    pack_id = pack_id or secrets.token_hex(16)
    reply = requests.put(
        f"{url}/v1/sets/{set_id}/packs/{pack_id}",
        data=data,
        headers={**_auth(token), "X-Content-SHA256": hashlib.sha256(data).hexdigest()},
        timeout=60,
    )
    return pack_id, reply


def _commit(url: str, token: str, set_id: str, added: list[str] | None = None) -> Any:
    body = {
        "snapshot_id": secrets.token_hex(16),
        "snapshot": base64.b64encode(os.urandom(64)).decode(),
        "index_id": secrets.token_hex(16),
        "index": base64.b64encode(os.urandom(64)).decode(),
        "index_kind": "delta",
        "added_packs": added or [],
        "removed_packs": [],
    }
    return requests.post(
        f"{url}/v1/sets/{set_id}/commits", json=body, headers=_auth(token), timeout=60
    )


def test_admin_creates_account_from_stdin_password(service: RunningService) -> None:
    email = f"Admin-Made-{secrets.token_hex(4)}@Example.org"
    password = "a password with spaces "
    result = service.admin("create-account", email, "--plan", "pro", input=password + "\n")
    assert result.returncode == 0, result.stderr
    assert password not in result.stdout + result.stderr
    token = _login(service, email.lower(), password)
    status = requests.get(service.url + "/v1/account", headers=_auth(token), timeout=10).json()
    assert status["plan"] == "PRO" and status["email"] == email
    listed = service.admin("list-accounts", "--json")
    assert email in [a["email"] for a in json.loads(listed.stdout)]
    duplicate = service.admin("create-account", email.upper(), input="whatever123\n")
    assert duplicate.returncode == 1 and duplicate.stderr.startswith("error: ")
    unknown = service.admin("create-account", "x@example.org", "--plan", "GOLD", input="pw123456\n")
    assert unknown.returncode == 1 and "unknown plan" in unknown.stderr


@pytest.fixture(scope="module")
def victim(service: RunningService) -> dict[str, str]:
    """An account with one set holding a committed pack, and an intruder's token."""
    owner_email = f"owner-{secrets.token_hex(4)}@example.org"
    intruder_email = f"intruder-{secrets.token_hex(4)}@example.org"
    service.create_account(owner_email, "owner password")
    service.create_account(intruder_email, "intruder password")
    owner = _login(service, owner_email, "owner password")
    set_id = secrets.token_hex(16)
    requests.put(f"{service.url}/v1/sets/{set_id}", json={}, headers=_auth(owner), timeout=10)
    pack_id, _ = _put_pack(service.url, owner, set_id, b"owner's secret pack")
    commit = _commit(service.url, owner, set_id, [pack_id])
    assert commit.status_code == 201
    snapshots = requests.get(
        f"{service.url}/v1/sets/{set_id}/snapshots", headers=_auth(owner), timeout=10
    ).json()
    return {
        "set": set_id,
        "pack": pack_id,
        "snap": snapshots[0]["snapshot_id"],
        "owner": owner,
        "intruder": _login(service, intruder_email, "intruder password"),
    }


def _pct(text: str, upper: bool = False) -> str:
    return "".join((f"%{ord(c):02X}" if upper else f"%{ord(c):02x}") for c in text)


PATHS: list[Callable[[dict[str, str]], str]] = [
    lambda v: f"/v1/sets/{v['set']}/packs/{v['pack']}",
    lambda v: f"/v1/sets/{v['set']}/packs",
    lambda v: f"/v1/sets/{v['set']}/snapshots",
    lambda v: f"/v1/sets/{v['set']}/snapshots/{v['snap']}",
    lambda v: f"/v1/sets/{v['set']}/indexes",
    lambda v: f"/v1/sets/{v['set'].upper()}/packs/{v['pack']}",
    lambda v: f"/v1/sets/{v['set']}/packs/{v['pack'].upper()}",
    lambda v: f"/v1/sets/{_pct(v['set'])}/packs/{_pct(v['pack'], upper=True)}",
    lambda v: f"/v1/sets/%2e%2e/sets/{v['set']}/packs/{v['pack']}",
    lambda v: f"/v1/sets/x/../{v['set']}/packs/{v['pack']}",
    lambda v: f"/v1/sets/{v['set']}/packs/..%2f..%2f{v['pack']}",
    lambda v: f"/v1/sets/{v['set']}%2fpacks%2f{v['pack']}",
    lambda v: f"/v1/sets//{v['set']}/packs/{v['pack']}",
    lambda v: f"/v1/sets/{v['set']}/packs/{v['pack']}%00",
    lambda v: f"/v1/sets/{v['set']}/packs/{v['pack']}/",
    lambda v: f"/v1/sets/{v['set']}/packs/%20{v['pack']}",
]


@pytest.mark.parametrize("make_path", PATHS)
def test_other_accounts_get_404_by_any_path_encoding(
    service: RunningService, victim: dict[str, str], make_path: Callable[[dict[str, str]], str]
) -> None:
    path = make_path(victim)
    for method in ("GET", "HEAD", "PUT", "DELETE", "POST"):
        connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
        try:  # http.client sends the path exactly as written: no client-side normalization
            body = b"x" if method in ("PUT", "POST") else None
            connection.request(method, path, body=body, headers=_auth(victim["intruder"]))
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        assert response.status in (404, 405), (method, path, response.status)
        assert b"secret" not in payload
        if method != "HEAD":
            assert json.loads(payload)["error"] in ("not_found", "method_not_allowed")
    owner = requests.get(
        f"{service.url}/v1/sets/{victim['set']}/packs/{victim['pack']}",
        headers=_auth(victim["owner"]),
        timeout=10,
    )
    assert owner.content == b"owner's secret pack"


def test_same_set_id_in_another_account_is_a_separate_set(
    service: RunningService, victim: dict[str, str]
) -> None:
    url, intruder = service.url, victim["intruder"]
    reply = requests.put(f"{url}/v1/sets/{victim['set']}", json={}, headers=_auth(intruder))
    assert reply.status_code in (200, 201)
    listing = requests.get(f"{url}/v1/sets/{victim['set']}/packs", headers=_auth(intruder))
    assert listing.json() == []
    _, put = _put_pack(url, intruder, victim["set"], b"intruder bytes", victim["pack"])
    assert put.status_code == 201
    owner = requests.get(
        f"{url}/v1/sets/{victim['set']}/packs/{victim['pack']}", headers=_auth(victim["owner"])
    )
    assert owner.content == b"owner's secret pack"


def test_concurrent_commits_to_one_set_get_distinct_consecutive_seqs(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    tokens = [_login(service, account.email, account.password, f"pc-{i}") for i in range(2)]
    set_id = secrets.token_hex(16)
    requests.put(f"{service.url}/v1/sets/{set_id}", json={}, headers=_auth(tokens[0]))

    def run(i: int) -> int:
        reply = _commit(service.url, tokens[i % 2], set_id)
        assert reply.status_code == 201, reply.text
        return int(reply.json()["seq"])

    with ThreadPoolExecutor(max_workers=6) as pool:
        seqs = list(pool.map(run, range(24)))
    assert sorted(seqs) == list(range(1, 25))
    listed = requests.get(f"{service.url}/v1/sets/{set_id}/snapshots", headers=_auth(tokens[0]))
    assert [s["seq"] for s in listed.json()] == list(range(1, 25))


def test_concurrent_uploads_of_one_pack_store_it_once(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    token = _login(service, account.email, account.password)
    set_id = secrets.token_hex(16)
    requests.put(f"{service.url}/v1/sets/{set_id}", json={}, headers=_auth(token))
    data, pack_id = os.urandom(2_000_000), secrets.token_hex(16)
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(
            pool.map(lambda _: _put_pack(service.url, token, set_id, data, pack_id)[1], range(4))
        )
    assert sorted(r.status_code for r in replies)[-1] in (200, 201)
    assert {r.status_code for r in replies} <= {200, 201}
    assert [r.status_code for r in replies].count(201) >= 1
    stored = [p for p in (service.data_dir / "packs").rglob(f"{pack_id}.*")]
    assert len(stored) == 1 and stored[0].read_bytes() == data


def test_large_pack_round_trip_and_range(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    token = _login(service, account.email, account.password)
    set_id = secrets.token_hex(16)
    requests.put(f"{service.url}/v1/sets/{set_id}", json={}, headers=_auth(token))
    data = os.urandom(17 * 1024 * 1024)
    pack_id, reply = _put_pack(service.url, token, set_id, data)
    assert reply.status_code == 201 and reply.json()["size"] == len(data)
    url = f"{service.url}/v1/sets/{set_id}/packs/{pack_id}"
    assert requests.get(url, headers=_auth(token), timeout=60).content == data
    tail = requests.get(url, headers={**_auth(token), "Range": "bytes=-4096"}, timeout=60)
    assert tail.status_code == 206 and tail.content == data[-4096:]


def test_head_works_on_every_listing(service: RunningService, victim: dict[str, str]) -> None:
    for path in (
        "/v1/account",
        "/v1/devices",
        "/v1/sets",
        f"/v1/sets/{victim['set']}/packs",
        f"/v1/sets/{victim['set']}/snapshots",
        f"/v1/sets/{victim['set']}/indexes",
    ):
        reply = requests.head(service.url + path, headers=_auth(victim["owner"]), timeout=10)
        assert reply.status_code == 200, path


def test_log_holds_no_tokens_or_passwords(service: RunningService, victim: dict[str, str]) -> None:
    log = service.log()
    routes = {line.get("route") for line in service.log_lines()}
    assert "/v1/sessions" in routes, "the request log is really being written"
    assert victim["owner"] not in log and victim["intruder"] not in log
    assert "owner password" not in log and "intruder password" not in log


def test_interrupted_upload_leaves_nothing_behind(tmp_path: Path) -> None:
    # A service of its own: the shared one may be receiving other tests' uploads right now.
    with running_service(tmp_path / "own") as own:
        own.create_account("sleepy@example.org", "sleepy password")
        token = _login(own, "sleepy@example.org", "sleepy password")
        set_id, pack_id = secrets.token_hex(16), secrets.token_hex(16)
        requests.put(f"{own.url}/v1/sets/{set_id}", json={}, headers=_auth(token))
        connection = http.client.HTTPConnection("127.0.0.1", own.port, timeout=10)
        connection.putrequest("PUT", f"/v1/sets/{set_id}/packs/{pack_id}")
        connection.putheader("Authorization", f"Bearer {token}")
        connection.putheader("X-Content-SHA256", "0" * 64)
        connection.putheader("Content-Length", str(8 * 1024 * 1024))
        connection.endheaders()
        connection.send(os.urandom(3 * 1024 * 1024))
        connection.close()  # the PC went to sleep mid-upload
        temp = own.data_dir / "packs" / ".tmp"
        deadline = time.monotonic() + 10
        while temp.exists() and any(temp.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not temp.exists() or list(temp.iterdir()) == []
        head = requests.head(f"{own.url}/v1/sets/{set_id}/packs/{pack_id}", headers=_auth(token))
        assert head.status_code == 404


def test_service_clock_can_be_moved_for_end_to_end_tests(tmp_path: Path) -> None:
    with running_service(tmp_path / "timed") as timed:
        timed.create_account("free@example.org", "free password", plan="FREE")
        token = _login(timed, "free@example.org", "free password")
        set_id = secrets.token_hex(16)
        assert requests.put(f"{timed.url}/v1/sets/{set_id}", json={}, headers=_auth(token)).ok
        timed.set_time(datetime.now(UTC) + timedelta(days=200))
        reply = requests.get(f"{timed.url}/v1/sets/{set_id}/snapshots", headers=_auth(token))
        assert reply.status_code == 402 and reply.json()["reason"] == "inactive"
        timed.set_time(None)
        reply = requests.get(f"{timed.url}/v1/sets/{set_id}/snapshots", headers=_auth(token))
        assert reply.status_code == 200
    assert timed.process.poll() is not None, "the context manager stops the process"


def test_serve_refuses_non_loopback_without_explicit_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.cli import main

    for host in ("0.0.0.0", "192.0.2.10", "::", "example.org"):
        assert main(["serve", "--data-dir", str(tmp_path), "--host", host]) == 2
        assert "--allow-remote" in capsys.readouterr().err
    assert not (tmp_path / "keepsake.db").exists(), "refused before touching any data"
