"""Dated warnings go out by e-mail over SMTP, once each: through `admin notify`, through the
service's own schedule, over STARTTLS with a login, and again after a failed send."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from server.cli import main
from server.clock import iso
from server.config import SmtpSettings
from server.db.models import NoticeSent, Pack
from server.domain.notices import send_notices
from server.mail import SmtpMailer
from tests.server.apiharness import Harness
from tests.server.smtp import Inbox, smtp_server
from tests.server.tlscerts import make_certificate
from tests.support.service import running_service


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as server:
        for name, value in {
            "KEEPSAKE_SMTP_HOST": server.host,
            "KEEPSAKE_SMTP_PORT": str(server.port),
            "KEEPSAKE_SMTP_FROM": "Keepsake <noreply@keepsake.test>",
            "KEEPSAKE_SMTP_STARTTLS": "no",  # a relay on loopback
        }.items():
            monkeypatch.setenv(name, value)
        yield server


def notify(harness: Harness, capsys: pytest.CaptureFixture[str], now: datetime) -> str:
    code = main(["admin", *harness.location(), "notify", "--now", iso(now)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def warning_sentences(harness: Harness, email: str, now: datetime) -> dict[str, str]:
    """What the account status says, per warning code, at `now` (the e-mail says the same)."""
    from server.domain.accounts import find_by_email
    from server.domain.status import dated_warnings

    with harness.db.read() as session:
        account = find_by_email(session, email)
        assert account is not None
        return {n.code: n.message for n in dated_warnings(session, account, now)}


def test_every_kind_of_dated_warning_is_mailed_once(
    harness: Harness, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    now = harness.clock.now()
    due = harness.user(plan="PRO")
    harness.set_account(due.email, paid_until=now + timedelta(days=10))
    overdue = harness.user(plan="PRO")
    harness.set_account(overdue.email, state="overdue", state_since=now - timedelta(days=1))
    idle = harness.user()  # FREE, created 170 days ago: expires in 10 days
    harness.set_account(idle.email, created_at=now - timedelta(days=170))
    ended = harness.user(plan="PRO")
    harness.set_account(
        ended.email, state="ended", state_since=now, end_reason="subscription_ended"
    )
    damaged = harness.user(plan="PRO")
    set_id = damaged.new_set()
    damaged.put_pack(set_id, b"bytes that rot")
    with harness.db.write() as session:
        session.execute(update(Pack).values(damaged_at=now - timedelta(hours=2)))
    quiet = harness.user(plan="PRO")  # nothing to warn about

    out = notify(harness, capsys, now)
    assert "5 warning e-mail(s) sent, 0 failed" in out
    expected = {
        due.email: ("payment_due", "Keepsake: payment is due by "),
        overdue.email: ("locked", "Keepsake: backup and restore are locked"),
        idle.email: ("inactivity_expiry", "Keepsake: your free account expires on "),
        ended.email: ("data_deletion", "Keepsake: your backups will be deleted on "),
        damaged.email: ("damaged_packs", "Keepsake: part of your stored backup is damaged"),
    }
    received = {m["To"]: m for m in inbox.messages}
    assert set(received) == set(expected) and quiet.email not in received
    for address, (code, subject) in expected.items():
        message = received[address]
        assert str(message["Subject"]).startswith(subject)
        assert message["From"] == "Keepsake <noreply@keepsake.test>"
        assert warning_sentences(harness, address, now)[code] in str(message.get_content())
    assert "the backups will be deleted on " + iso(now + timedelta(days=30))[:10] in str(
        received[ended.email].get_content()
    )

    assert "0 warning e-mail(s) sent" in notify(harness, capsys, now + timedelta(hours=1))
    assert len(inbox.messages) == 5, "each warning is sent once"
    new_due = now + timedelta(days=12)
    harness.set_account(due.email, paid_until=new_due)  # a new date is a new warning
    assert "1 warning e-mail(s) sent" in notify(harness, capsys, now + timedelta(hours=2))
    assert iso(new_due)[:10] in str(inbox.messages[-1]["Subject"])
    export = due.call("GET", "/v1/account/export").json()
    assert [(n["code"], n["date"]) for n in export["notices_sent"]] == [
        ("payment_due", iso(now + timedelta(days=10))),
        ("payment_due", iso(new_due)),
    ]


def test_a_failed_send_is_retried_by_the_next_run(
    harness: Harness, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = harness.user(plan="PRO")
    harness.set_account(api.email, state="overdue", state_since=harness.clock.now())
    with smtp_server() as closed:
        port = closed.port  # nothing listens there once the block ends
    monkeypatch.setenv("KEEPSAKE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KEEPSAKE_SMTP_PORT", str(port))
    monkeypatch.setenv("KEEPSAKE_SMTP_FROM", "noreply@keepsake.test")
    monkeypatch.setenv("KEEPSAKE_SMTP_STARTTLS", "false")
    code = main(["admin", *harness.location(), "notify", "--now", iso(harness.clock.now())])
    out = capsys.readouterr()
    assert code == 1 and "0 warning e-mail(s) sent, 1 failed" in out.out
    assert "not sent: locked" in out.err
    with harness.db.read() as session:
        assert list(session.scalars(select(NoticeSent))) == [], "the claim was released"
    with smtp_server() as inbox:
        monkeypatch.setenv("KEEPSAKE_SMTP_PORT", str(inbox.port))
        notify(harness, capsys, harness.clock.now() + timedelta(hours=1))
        assert [m["To"] for m in inbox.messages] == [api.email]


def test_mail_goes_over_starttls_with_a_login_and_a_checked_certificate(
    harness: Harness, tmp_path: Path
) -> None:
    certificate = make_certificate(tmp_path / "tls")
    api = harness.user(plan="PRO")
    harness.set_account(api.email, state="overdue", state_since=harness.clock.now())
    with smtp_server(certificate, user="keepsake", password="relay secret 1") as inbox:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=inbox.port,
            sender="noreply@keepsake.test",
            starttls=True,
            username="keepsake",
            password="relay secret 1",
            cafile=str(certificate.cert),
        )
        untrusted = SmtpSettings(**{**settings.__dict__, "cafile": None})
        refused = send_notices(harness.db, SmtpMailer(untrusted), harness.clock.now())
        assert refused.sent == 0 and refused.failed == 1, "an unknown certificate is refused"
        report = send_notices(harness.db, SmtpMailer(settings), harness.clock.now())
        assert report.sent == 1 and inbox.logins == ["keepsake"]
        assert [m["To"] for m in inbox.messages] == [api.email]
    assert "relay secret 1" not in repr(settings)


def test_the_service_mails_warnings_on_its_own_schedule(tmp_path: Path) -> None:
    with smtp_server() as inbox:
        config = tmp_path / "keepsake-server.toml"
        config.write_text(
            "[smtp]\n"
            f'host = "127.0.0.1"\nport = {inbox.port}\n'
            'from = "noreply@keepsake.test"\nstarttls = false\n',
            encoding="utf-8",
        )
        data = tmp_path / "svc"
        with running_service(
            data,
            location=["--config", str(config)],
            extra_args=["--job-check-seconds", "0.2"],
        ) as service:
            service.create_account("late@example.org", "a fine password", plan="PRO")
            result = service.admin("set-payment", "late@example.org", "--state", "overdue")
            assert result.returncode == 0, result.stderr
            time.sleep(0.5)
            assert inbox.messages == [], "the hourly run at start-up came before the lock"
            service.set_time(datetime.now(UTC) + timedelta(minutes=61))
            deadline = time.monotonic() + 20
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [m["To"] for m in inbox.messages] == ["late@example.org"]
            assert "payment is overdue" in inbox.bodies()[0]
            jobs = {line.get("job") for line in service.log_lines() if line.get("job")}
            assert {"gc", "notify", "scrub"} <= jobs
