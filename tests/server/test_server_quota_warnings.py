"""Storage quota warnings: when usage crosses 90 % of the quota, and when the quota is full (it
reached the quota, or an upload no longer fit), the account status shows a dated warning and the
notices job e-mails it once per crossing, over real SMTP (aiosmtpd), never once per upload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from server.cli import main
from server.clock import iso
from server.policy import quota
from server.policy.quota import Crossings
from tests.server.apiharness import Api, Harness
from tests.server.smtp import Inbox, smtp_server

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
T1, T2 = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
NEARLY = "Keepsake: your backup storage is nearly full"
FULL = "Keepsake: your backup storage is full"


@pytest.mark.parametrize(
    ("before", "used", "refused", "after"),
    [
        (Crossings(), 89, False, Crossings()),
        (Crossings(), 90, False, Crossings(T1)),  # 90 % crosses: dated now
        (Crossings(T0), 95, False, Crossings(T0)),  # still the same crossing: same date
        (Crossings(T0), 85, False, Crossings(T0)),  # hovering under 90 % does not end it...
        (Crossings(T0), 79, False, Crossings()),  # ...falling under 80 % does
        (Crossings(), 100, False, Crossings(T1, T1)),  # reached the quota
        (Crossings(T0), 96, True, Crossings(T0, T1)),  # an upload did not fit: full
        (Crossings(), 50, True, Crossings()),  # a refused outsized pack is not a full quota
        (Crossings(T0, T0), 92, False, Crossings(T0, T0)),  # full ends under 90 % only
        (Crossings(T0, T0), 89, False, Crossings(T0)),
        (Crossings(T0, T0), 10, False, Crossings()),
    ],
)
def test_crossings_policy(before: Crossings, used: int, refused: bool, after: Crossings) -> None:
    assert quota.track(before, used, 100, T1, refused) == after


def test_no_quota_no_crossings() -> None:
    assert quota.track(Crossings(T0, T0), 10**15, None, T1) == Crossings()


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as server:
        for name, value in {
            "KEEPSAKE_SMTP_HOST": server.host,
            "KEEPSAKE_SMTP_PORT": str(server.port),
            "KEEPSAKE_SMTP_FROM": "Keepsake <noreply@keepsake.test>",
            "KEEPSAKE_SMTP_STARTTLS": "no",
        }.items():
            monkeypatch.setenv(name, value)
        yield server


def notify(harness: Harness, capsys: pytest.CaptureFixture[str], now: datetime) -> int:
    """Run the notices job at `now`; how many e-mails it sent."""
    code = main(["admin", *harness.location(), "notify", "--now", iso(now)])
    out = capsys.readouterr()
    assert code == 0, out.err
    sent = out.out.split(" warning e-mail(s) sent")[0].split()[-1]
    return int(sent)


def warnings(api: Api) -> list[tuple[str, str]]:
    status = api.call("GET", "/v1/account").json()
    return [(w["code"], w["date"]) for w in status["warnings"]]


def upload(harness: Harness, api: Api, set_id: str, size: int, at: datetime) -> tuple[str, int]:
    harness.clock.set(at)
    pack_id, reply = api.put_pack(set_id, bytes(size))
    return pack_id, reply.status_code


def test_each_crossing_is_mailed_once_not_at_every_upload(
    harness: Harness, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user(plan="PRO")
    harness.set_account(api.email, quota_bytes=1000)
    set_id = api.new_set()
    t = harness.clock.now()

    first, status = upload(harness, api, set_id, 950, t)
    assert status == 201
    assert warnings(api) == [("quota_nearly_full", iso(t))]
    assert notify(harness, capsys, t + timedelta(minutes=1)) == 1
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [(api.email, NEARLY)]
    message = api.call("GET", "/v1/account").json()["warnings"][0]["message"]
    assert message in inbox.bodies()[0] and "950 bytes of 1000 bytes (95 %)" in message

    second, status = upload(harness, api, set_id, 30, t + timedelta(minutes=2))
    assert status == 201
    assert warnings(api) == [("quota_nearly_full", iso(t))], "the same crossing, the same date"
    assert notify(harness, capsys, t + timedelta(minutes=3)) == 0, "no mail per upload"

    refused_at = t + timedelta(minutes=4)
    _, status = upload(harness, api, set_id, 100, refused_at)
    assert status == 413
    assert warnings(api) == [("quota_full", iso(refused_at))], "full replaces nearly full"
    _, status = upload(harness, api, set_id, 100, refused_at + timedelta(minutes=1))
    assert status == 413
    assert warnings(api) == [("quota_full", iso(refused_at))], "retries do not move the date"
    assert notify(harness, capsys, t + timedelta(minutes=6)) == 1
    assert inbox.messages[-1]["Subject"] == FULL
    assert "no longer fit" in inbox.bodies()[-1]
    assert notify(harness, capsys, t + timedelta(hours=2)) == 0
    assert len(inbox.messages) == 2

    # Usage falls back (the big pack is removed and expires after the 30 days of retention):
    # the crossing ends, silently.
    assert api.commit(set_id, added=[first, second]).status_code == 201
    assert api.commit(set_id, removed=[first]).status_code == 201
    later = t + timedelta(days=31)
    harness.clock.set(later)
    assert api.call("GET", "/v1/account").json()["usage_bytes"] == 30
    assert notify(harness, capsys, later) == 0
    assert warnings(api) == []
    # A new crossing is a new warning, mailed again.
    again = later + timedelta(hours=1)
    _, status = upload(harness, api, set_id, 900, again)
    assert status == 201
    assert warnings(api) == [("quota_nearly_full", iso(again))]
    assert notify(harness, capsys, again + timedelta(minutes=1)) == 1
    assert [m["Subject"] for m in inbox.messages] == [NEARLY, FULL, NEARLY]
    export = api.call("GET", "/v1/account/export").json()
    assert [(n["code"], n["date"]) for n in export["notices_sent"]] == [
        ("quota_nearly_full", iso(t)),
        ("quota_full", iso(refused_at)),
        ("quota_nearly_full", iso(again)),
    ]


def test_a_crossing_made_by_a_smaller_quota_is_dated_by_the_notices_run(
    harness: Harness, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    _, status = upload(harness, api, set_id, 500, harness.clock.now())
    assert status == 201 and warnings(api) == []
    harness.set_account(api.email, quota_bytes=520)  # the operator lowered the quota
    run = harness.clock.now() + timedelta(minutes=30)
    assert notify(harness, capsys, run) == 1
    assert inbox.messages[0]["Subject"] == NEARLY
    harness.clock.set(run + timedelta(minutes=10))
    assert warnings(api) == [("quota_nearly_full", iso(run))], "the date is the run that saw it"
    assert notify(harness, capsys, run + timedelta(hours=1)) == 0


def test_no_quota_warning_without_a_quota_or_while_locked(
    harness: Harness, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    unlimited = harness.user(plan="UNLIMITED")
    set_id = unlimited.new_set()
    assert unlimited.put_pack(set_id, bytes(2000))[1].status_code == 201
    locked = harness.user(plan="PRO")
    harness.set_account(locked.email, quota_bytes=1000)
    locked_set = locked.new_set()
    assert locked.put_pack(locked_set, bytes(990))[1].status_code == 201
    now = harness.clock.now()
    harness.set_account(locked.email, state="overdue", state_since=now)
    assert warnings(unlimited) == []
    assert [code for code, _ in warnings(locked)] == ["locked"], "the lock is the news"
    assert notify(harness, capsys, now + timedelta(minutes=1)) == 1
    assert [m["Subject"] for m in inbox.messages] == ["Keepsake: backup and restore are locked"]
