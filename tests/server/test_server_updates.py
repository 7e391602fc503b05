"""`GET /v1/updates` tells the app which client release is current: what the operator published
with `admin set-release` (operator data, not code), to anyone, signed in or not, and the same
answer whoever asks; `version: null` (not a 404) while nothing is published."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import requests

from server.cli import main
from server.clock import iso
from tests.server.apiharness import Harness
from tests.support.service import running_service

NOTHING = {"version": None, "url": None, "notes": None, "published_at": None}
DOWNLOAD = "https://downloads.keepsake.test/keepsake-1.4.0.exe"


def set_release(harness: Harness, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["admin", *harness.location(), "set-release", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def refused(harness: Harness, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["admin", *harness.location(), "set-release", *args])
    out = capsys.readouterr()
    assert code == 1, out.out
    return out.err


def test_nothing_published_answers_null_not_404_with_or_without_a_token(
    harness: Harness,
) -> None:
    anonymous = harness.client.get("/v1/updates")
    assert anonymous.status_code == 200 and anonymous.json() == NOTHING
    signed_in = harness.user().call("GET", "/v1/updates")
    assert signed_in.status_code == 200 and signed_in.json() == NOTHING
    assert harness.client.head("/v1/updates").status_code == 200


def test_the_published_release_is_served_to_everyone_alike(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    now = harness.clock.now()
    out = set_release(
        harness,
        capsys,
        "1.4.0",
        "--url",
        DOWNLOAD,
        "--notes",
        "Faster restores.",
        "--now",
        iso(now),
    )
    assert "published 1.4.0 for every platform" in out
    expected = {
        "version": "1.4.0",
        "url": DOWNLOAD,
        "notes": "Faster restores.",
        "published_at": iso(now),
    }
    owner = harness.user(plan="PRO")
    other = harness.user()
    revoked = harness.login(owner.email, device="old pc")
    assert revoked.call("DELETE", "/v1/sessions/current").status_code == 204
    answers = [
        harness.client.get("/v1/updates"),
        owner.call("GET", "/v1/updates"),
        other.call("GET", "/v1/updates"),
        revoked.call("GET", "/v1/updates"),  # a dead token is not even read
        harness.client.get("/v1/updates", headers={"Authorization": "Bearer not-a-token"}),
    ]
    assert [(a.status_code, a.json()) for a in answers] == [(200, expected)] * len(answers)
    assert all(owner.email not in a.text and owner.token not in a.text for a in answers)

    later = now + timedelta(days=3)
    set_release(harness, capsys, "1.4.1", "--url", DOWNLOAD + "?v=1.4.1", "--now", iso(later))
    newest = harness.client.get("/v1/updates").json()
    assert newest == {
        "version": "1.4.1",
        "url": DOWNLOAD + "?v=1.4.1",
        "notes": None,
        "published_at": iso(later),
    }, "the newest release wins; notes are its own"


def test_a_platform_gets_its_own_release_or_the_one_for_every_platform(
    harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    now = harness.clock.now()
    set_release(harness, capsys, "2.0.0", "--url", DOWNLOAD, "--now", iso(now))
    windows = "https://downloads.keepsake.test/keepsake-2.0.1.msi"
    out = set_release(
        harness,
        capsys,
        "2.0.1",
        "--url",
        windows,
        "--platform",
        "windows",
        "--now",
        iso(now + timedelta(hours=1)),
    )
    assert "for platform windows" in out

    def version(query: str) -> str | None:
        reply = harness.client.get("/v1/updates" + query)
        assert reply.status_code == 200, reply.text
        found = reply.json()["version"]
        assert found is None or isinstance(found, str)
        return found

    assert version("?platform=windows") == "2.0.1"
    assert version("?platform=Windows") == "2.0.1"
    assert version("") == "2.0.0", "a client that does not say gets the release for every platform"
    assert version("?platform=linux") == "2.0.0"
    assert version("?platform=%2e%2e%2fwin") == "2.0.0", "a malformed name is just unknown"
    assert harness.client.get("/v1/updates?platform=" + "w" * 65).status_code == 422
    set_release(harness, capsys, "2.1.0", "--url", DOWNLOAD, "--now", iso(now + timedelta(hours=2)))
    assert version("?platform=windows") == "2.1.0", "a newer release for every platform wins"


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["1.0", "--url", "http://downloads.keepsake.test/k.exe"], "https://"),
        (["1.0", "--url", "https://"], "https://"),
        (["1.0", "--url", "javascript:alert(1)"], "https://"),
        (["1.0", "--url", "https://a.test/x y"], "https://"),
        (["1.0 beta", "--url", DOWNLOAD], "version"),
        (["1.0", "--url", DOWNLOAD, "--platform", "Win 11"], "platform"),
        (["1.0", "--url", DOWNLOAD, "--notes", "n" * 4001], "notes"),
    ],
)
def test_set_release_refuses_what_the_app_could_not_use(
    harness: Harness, capsys: pytest.CaptureFixture[str], args: list[str], sentence: str
) -> None:
    assert sentence in refused(harness, capsys, *args)
    assert harness.client.get("/v1/updates").json() == NOTHING


def test_the_real_service_answers_before_sign_in_and_does_not_log_the_platform(
    tmp_path: Path,
) -> None:
    with running_service(tmp_path / "svc", extra_args=["--no-scheduler"]) as service:
        url = service.url + "/v1/updates"
        assert requests.get(url, timeout=30).json() == NOTHING
        published = service.admin("set-release", "3.0.0", "--url", DOWNLOAD)
        assert published.returncode == 0, published.stderr
        reply = requests.get(url, params={"platform": "platformmarker42"}, timeout=30)
        assert reply.status_code == 200 and reply.json()["version"] == "3.0.0"
        assert reply.json()["url"] == DOWNLOAD
        lines = [line for line in service.log_lines() if line.get("route") == "/v1/updates"]
        assert len(lines) == 2 and all(line["status"] == 200 for line in lines)
        assert "platformmarker42" not in service.log()
