"""What Keepsake tells the person, and when: failures, stale backups, subscription warnings and
finished restores — never a notification for a successful backup — and how the tray words the
state in one sentence."""

from __future__ import annotations

import errno
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.controller import AccountStatus, AccountWarning, RestoreOutcome
from app.gui.notifier import NoticePolicy
from app.gui.wording_status import Look, summarize
from app.protect.state import Phase, Problem, ProtectionState

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
IDLE = replace(
    ProtectionState.initial(),
    last_success=NOW - timedelta(minutes=2),
    last_snapshot_id="a" * 32,
    message="Up to date",
)


def status(*warnings: AccountWarning) -> AccountStatus:
    return AccountStatus(
        "a@b.c",
        "PRO",
        "active",
        100,
        1,
        30,
        1,
        3,
        None,
        None,
        None,
        None,
        warnings,
        (),
        "http://127.0.0.1:1/account",
    )


def test_successful_backups_are_never_announced(qapp: object) -> None:
    policy = NoticePolicy()
    assert policy.on_state(IDLE, NOW) == []
    for i in range(5):
        running = replace(IDLE, phase=Phase.UPLOADING, bytes_done=i, bytes_total=10)
        assert policy.on_state(running, NOW) == []
        assert policy.on_state(replace(IDLE, last_snapshot_id=str(i) * 32), NOW) == []


def test_a_failure_is_told_once_until_it_recovers(qapp: object) -> None:
    policy = NoticePolicy()
    unplugged = OSError(errno.ENODEV, "No such device", "/media/usb")
    failed = replace(IDLE, phase=Phase.ERROR, message="the disk was unplugged", error=unplugged)
    told = policy.on_state(failed, NOW)
    assert [n.title for n in told] == ["Backup failed"]
    assert "No such device" in told[0].text and "/media/usb" in told[0].text
    assert policy.on_state(failed, NOW) == []
    policy.on_state(IDLE, NOW)
    assert len(policy.on_state(failed, NOW)) == 1


def test_files_left_out_are_told_when_a_backup_finishes(qapp: object) -> None:
    policy = NoticePolicy()
    policy.on_state(IDLE, NOW)
    problem = Problem("/home/a/locked.db", "permission denied", NOW)
    told = policy.on_state(replace(IDLE, last_snapshot_id="b" * 32, problems=(problem,)), NOW)
    assert [n.title for n in told] == ["Some files were not backed up"]
    assert "1 item could not" in told[0].text


def test_no_backup_for_days_is_told_once_a_day(qapp: object) -> None:
    policy = NoticePolicy()
    stale = replace(IDLE, last_success=NOW - timedelta(days=4))
    told = policy.on_state(stale, NOW)
    assert [n.title for n in told] == ["No backup for 4 days"]
    assert policy.check_stale(stale, NOW + timedelta(hours=3)) == []
    assert len(policy.check_stale(stale, NOW + timedelta(days=1))) == 1


def test_each_subscription_warning_is_told_once(qapp: object) -> None:
    policy = NoticePolicy()
    due = AccountWarning("payment_due", "2026-05-20T00:00:00Z", "Payment is due")
    told = policy.on_account(status(due), NOW)
    assert len(told) == 1 and "Payment is due by 20 May 2026" in told[0].text
    assert policy.on_account(status(due), NOW) == []
    later = AccountWarning("inactivity_expiry", "2026-06-01T00:00:00Z", "expires")
    assert len(policy.on_account(status(due, later), NOW)) == 1


def test_a_finished_restore_is_told_with_its_failures(qapp: object) -> None:
    policy = NoticePolicy()
    fine = policy.restore_finished(RestoreOutcome(3, 30, (), (), False))
    assert (fine.title, fine.text, fine.warning) == (
        "Restore finished",
        "3 files were restored.",
        False,
    )
    bad = policy.restore_finished(RestoreOutcome(2, 20, (), (("a/b", "damaged"),), False))
    assert bad.warning and "1 file could not be restored" in bad.text


def test_the_state_in_one_sentence(qtbot: QtBot) -> None:
    assert summarize(IDLE, NOW).sentence == "Protected — last backup 2 minutes ago"
    assert summarize(IDLE, NOW).look == Look.PROTECTED
    uploading = replace(
        IDLE, phase=Phase.UPLOADING, bytes_done=25, bytes_total=100, files_done=1, files_total=4
    )
    assert summarize(uploading, NOW).sentence == "Backing up — 25% done"
    assert summarize(uploading, NOW).percent == 25
    paused = replace(IDLE, phase=Phase.PAUSED, paused_until=None)
    assert summarize(paused, NOW).look == Look.PAUSED
    offline = summarize(replace(IDLE, phase=Phase.OFFLINE), NOW)
    assert offline.look == Look.OFFLINE and offline.sentence.startswith("Offline")
    locked = summarize(
        replace(
            IDLE,
            phase=Phase.LOCKED,
            locked_reason="payment_overdue",
            locked_since="2026-05-01T00:00:00Z",
        ),
        NOW,
    )
    assert locked.sentence.startswith("Locked since 1 May 2026") and locked.look == Look.LOCKED
    never = summarize(ProtectionState.initial(), NOW)
    assert never.look == Look.ATTENTION and never.sentence == "Not backed up yet"
    stale = summarize(replace(IDLE, last_success=NOW - timedelta(days=5)), NOW)
    assert stale.look == Look.ATTENTION and "no backup for 5 days" in stale.sentence
