"""Operating the real service process: /healthz for monitoring, structured logs that never hold
a secret, HTTPS with TLS 1.2+ only, and account deletion carried out by the service's own
schedule within the promised 30 days."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import ssl
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.clock import FixedClock
from server.context import Context
from server.db.engine import Database, sqlite_url
from server.store.folder import FolderStore
from tests.server.apiharness import START
from tests.server.tlscerts import make_certificate
from tests.support.service import RunningService, running_service

PASSWORD = "a long secret passphrase"
NEW_PASSWORD = "an even longer passphrase"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_healthz_reports_checks_uptime_version_and_jobs(service: RunningService) -> None:
    reply = requests.get(service.url + "/healthz", timeout=10)
    body = reply.json()
    assert reply.status_code == 200 and body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "storage": "ok"}
    assert body["version"] and body["uptime_seconds"] >= 0
    assert set(body["jobs"]) <= {"gc", "notify", "scrub"}
    assert reply.headers["X-Request-ID"]


class BrokenStore(FolderStore):
    """A store whose disk has gone away (what the health check must notice)."""

    def check(self) -> None:
        raise OSError("read-only file system")


def test_healthz_fails_with_503_when_the_store_fails(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "k.db"))
    db.upgrade()
    context = Context(db=db, store=BrokenStore(tmp_path / "packs"), clock=FixedClock(START))
    with TestClient(create_app(context)) as client:
        reply = client.get("/healthz")
    assert reply.status_code == 503
    body = reply.json()
    assert body["status"] == "failing" and body["checks"]["storage"] == "failing"
    assert body["checks"]["database"] == "ok"
    assert "read-only" not in reply.text, "the public answer gives no details"
    db.dispose()


def test_logs_are_json_lines_without_tokens_passwords_or_bodies(service: RunningService) -> None:
    """Sign up, sign in, upload, commit, change the password, fail a deletion: the log has one
    structured line per request and none of the secrets that went over the wire."""
    url = service.url
    email = f"logged-{secrets.token_hex(4)}@example.org"
    assert requests.post(url + "/v1/accounts", json={"email": email, "password": PASSWORD}).ok
    signed_in = requests.post(
        url + "/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_name": "pc"},
        headers={"X-Request-ID": "trace-me-42"},
    )
    assert signed_in.headers["X-Request-ID"] == "trace-me-42"
    token = signed_in.json()["token"]
    set_id, pack_id = secrets.token_hex(16), secrets.token_hex(16)
    body = b"PACK-BYTES-" + os.urandom(64).hex().encode()
    requests.put(f"{url}/v1/sets/{set_id}", json={}, headers=auth(token))
    put = requests.put(
        f"{url}/v1/sets/{set_id}/packs/{pack_id}",
        data=body,
        headers={**auth(token), "X-Content-SHA256": hashlib.sha256(body).hexdigest()},
    )
    assert put.status_code == 201
    snapshot = base64.b64encode(b"SNAPSHOT-SECRET").decode()
    commit = {
        "snapshot_id": secrets.token_hex(16),
        "snapshot": snapshot,
        "index_id": secrets.token_hex(16),
        "index": snapshot,
        "index_kind": "delta",
        "added_packs": [pack_id],
    }
    assert requests.post(f"{url}/v1/sets/{set_id}/commits", json=commit, headers=auth(token))
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert requests.put(url + "/v1/account/password", json=change, headers=auth(token)).ok
    wrong = requests.delete(
        url + "/v1/account", json={"password": "guessing " + PASSWORD}, headers=auth(token)
    )
    assert wrong.status_code == 403
    requests.get(f"{url}/v1/sets/{set_id}/packs/../../etc", headers=auth(token))
    log, lines = service.log(), service.log_lines()
    for secret in (token, PASSWORD, NEW_PASSWORD, body.decode(), snapshot, "SNAPSHOT-SECRET"):
        assert secret not in log
    requests_logged = [line for line in lines if line.get("message") == "request"]
    routes = {(line["method"], line["route"], line["status"]) for line in requests_logged}
    assert ("PUT", "/v1/sets/{set_id}/packs/{pack_id}", 201) in routes
    assert ("POST", "/v1/sets/{set_id}/commits", 201) in routes
    assert ("PUT", "/v1/account/password", 200) in routes
    assert ("DELETE", "/v1/account", 403) in routes
    assert pack_id not in log and "/etc" not in log, "route templates, never raw paths"
    for line in requests_logged:
        assert {"time", "level", "request_id", "method", "route", "status", "duration_ms"} <= set(
            line
        )
    assert any(line["request_id"] == "trace-me-42" for line in requests_logged)


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
def test_https_serves_tls_12_and_refuses_older(tmp_path: Path) -> None:
    certificate = make_certificate(tmp_path / "tls")
    context = certificate.client_context()
    args = ["--tls-cert", str(certificate.cert), "--tls-key", str(certificate.key)]
    with running_service(tmp_path / "svc", extra_args=args, tls_context=context) as svc:
        assert svc.url.startswith("https://")
        with urllib.request.urlopen(svc.url + "/healthz", context=context, timeout=10) as reply:
            assert reply.status == 200
        modern = certificate.client_context()
        modern.minimum_version = modern.maximum_version = ssl.TLSVersion.TLSv1_2
        with urllib.request.urlopen(svc.url + "/healthz", context=modern, timeout=10) as reply:
            assert reply.status == 200
        legacy = certificate.client_context()
        legacy.minimum_version = ssl.TLSVersion.TLSv1
        legacy.maximum_version = ssl.TLSVersion.TLSv1_1
        with pytest.raises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(svc.url + "/healthz", context=legacy, timeout=10)
        with pytest.raises((ssl.SSLError, urllib.error.URLError)):
            urllib.request.urlopen(svc.url + "/healthz", timeout=10)  # untrusted: verified


def wait_for(check: Any, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_deleted_account_is_gone_from_both_stores_by_the_services_own_gc(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "copy"
    with running_service(
        tmp_path / "svc",
        location=["--copy-storage-url", str(copy)],
        extra_args=["--job-check-seconds", "0.2"],
    ) as svc:
        email = "leaving@example.org"
        svc.create_account(email, PASSWORD, plan="PRO")
        token = requests.post(
            svc.url + "/v1/sessions",
            json={"email": email, "password": PASSWORD, "device_name": "pc"},
        ).json()["token"]
        set_id, pack_id, data = secrets.token_hex(16), secrets.token_hex(16), b"goodbye bytes"
        requests.put(f"{svc.url}/v1/sets/{set_id}", json={}, headers=auth(token))
        requests.put(
            f"{svc.url}/v1/sets/{set_id}/packs/{pack_id}",
            data=data,
            headers={**auth(token), "X-Content-SHA256": hashlib.sha256(data).hexdigest()},
        )
        scrubbed = svc.admin("scrub")
        assert scrubbed.returncode == 0 and "1 copied" in scrubbed.stdout
        assert any(copy.rglob(f"{pack_id}.*"))
        deleted = requests.delete(
            svc.url + "/v1/account", json={"password": PASSWORD}, headers=auth(token)
        )
        assert deleted.status_code == 204
        svc.set_time(datetime.now(UTC) + timedelta(days=1, minutes=1))  # GC is daily
        assert wait_for(lambda: not any((svc.data_dir / "packs").rglob(f"{pack_id}.*")))
        assert wait_for(lambda: not any(copy.rglob(f"{pack_id}.*")))
        shown = svc.admin("list-accounts")
        assert email not in shown.stdout
    for file in svc.data_dir.glob("keepsake.db*"):  # the database and its write-ahead log
        raw = file.read_bytes()
        assert email.encode() not in raw and data not in raw, file.name
