"""The controller, Qt-free, against the real service: what the GUI relies on, without the GUI."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.controller import (
    Controller,
    RestoreItem,
    _account_status,
    folder_size,
    pause_until_tomorrow,
)
from app.core.errors import KeepsakeError, WrongPassphrase
from app.core.progress import CancelToken
from app.protect.state import ProtectionState
from tests.gui.conftest import PASSPHRASE, write_files
from tests.support.service import RunningService

if TYPE_CHECKING:
    from tests.conftest import TestAccount


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def test_a_fresh_profile_needs_sign_in_and_a_key(controller: Controller) -> None:
    setup = controller.setup()
    assert not setup.signed_in and not setup.has_key and not setup.ready


def test_creating_an_account_then_a_key_makes_the_profile_ready(
    controller: Controller, service: RunningService, tmp_path: Path
) -> None:
    email = f"new-{os.getpid()}-{time.monotonic_ns()}@example.org"
    first = controller.sign_in(service.url, email, "a long password 1", create_account=True)
    assert first.email == email and first.existing_sets == 0 and not first.kit_on_service
    controller.create_key()
    saved = controller.save_kit(tmp_path / "kit.json", PASSPHRASE, upload=True)
    assert (tmp_path / "kit.json").stat().st_mode & 0o777 == 0o600
    assert saved.recovery_code.count("-") >= 4 and "RECOVERY KIT" in saved.printable
    setup = controller.setup()
    assert setup.ready and setup.email == email
    again = controller.signed_in()
    assert again.existing_sets == 1 and again.kit_on_service


def test_a_backup_can_be_browsed_and_restored_on_another_pc(
    ready_controller: Callable[..., Controller],
    make_controller: Callable[..., Controller],
    private_home: Path,
    service: RunningService,
    fresh_account: TestAccount,
    tmp_path: Path,
) -> None:
    docs = private_home / "Documents"
    write_files(docs, {"letters/mum.txt": b"dear mum", "taxes/2024.pdf": b"%PDF numbers"})
    controller = ready_controller([docs])
    states: list[ProtectionState] = []
    controller.start_protection(states.append)
    controller.back_up_now()
    wait_for(lambda: bool(states) and states[-1].last_snapshot_id is not None)
    (docs / "letters/mum.txt").write_bytes(b"dear mum, version two")
    first = states[-1].last_snapshot_id
    controller.back_up_now()
    wait_for(lambda: states[-1].last_snapshot_id not in (None, first))
    controller.stop_protection()

    other = make_controller(tmp_path / "other-pc")
    other.sign_in(service.url, fresh_account.email, fresh_account.password)
    assert other.signed_in().existing_sets == 1
    with pytest.raises(WrongPassphrase):
        other.import_kit(private_home / "kit.json", "not the passphrase")
    assert other.import_kit(private_home / "kit.json", PASSPHRASE) == 2
    assert other.setup().folders == (str(docs),)

    session = other.open_restore()
    try:
        snaps = session.snapshots()
        assert len(snaps) == 2
        top = session.ls(snaps[-1].snapshot_id, "")
        assert [e.name for e in top] == ["Documents"]
        inside = session.ls(snaps[-1].snapshot_id, "Documents")
        assert {e.name for e in inside} == {"letters", "taxes"}
        versions = session.versions("Documents/letters/mum.txt")
        assert len(versions) == 2
        oldest = min(versions, key=lambda v: v.time)
        assert session.search(snaps[-1].snapshot_id, "MUM")[0].path == "Documents/letters/mum.txt"
        target = tmp_path / "restored"
        outcome = session.restore(
            [RestoreItem(oldest.snapshot_id, "Documents/letters/mum.txt")], target, "overwrite"
        )
    finally:
        session.close()
    assert outcome.files_restored == 1 and not outcome.failures
    assert (target / "mum.txt").read_bytes() == b"dear mum"
    stopped = CancelToken()
    stopped.cancel()
    session = other.open_restore()
    try:
        cancelled = session.restore(
            [RestoreItem(snaps[-1].snapshot_id, "Documents")],
            tmp_path / "never",
            "overwrite",
            cancel=stopped,
        )
    finally:
        session.close()
    assert cancelled.cancelled and cancelled.files_restored == 0


def test_deleted_files_show_up_only_when_asked_for(
    ready_controller: Callable[..., Controller], private_home: Path
) -> None:
    docs = private_home / "Documents"
    write_files(docs, {"keep.txt": b"keep", "gone.txt": b"soon deleted"})
    controller = ready_controller([docs])
    states: list[ProtectionState] = []
    controller.start_protection(states.append)
    controller.back_up_now()
    wait_for(lambda: bool(states) and states[-1].last_snapshot_id is not None)
    first = states[-1].last_snapshot_id
    (docs / "gone.txt").unlink()
    controller.back_up_now()
    wait_for(lambda: states[-1].last_snapshot_id not in (None, first))
    controller.stop_protection()
    session = controller.open_restore()
    try:
        latest = session.snapshots()[-1].snapshot_id
        plain = session.ls(latest, "Documents")
        with_deleted = session.ls(latest, "Documents", include_deleted=True)
    finally:
        session.close()
    assert [e.name for e in plain] == ["keep.txt"]
    deleted = [e for e in with_deleted if e.deleted]
    assert [(e.name, e.snapshot_id) for e in deleted] == [("gone.txt", first)]


def test_after_shutting_down_protection_is_never_started_again(
    ready_controller: Callable[..., Controller],
) -> None:
    controller = ready_controller()
    controller.shut_down()  # the app quits while a start is still on its way
    with pytest.raises(KeepsakeError, match="quitting"):
        controller.start_protection(lambda state: None)


def test_folder_size_adds_up_and_gives_up_after_its_budget(tmp_path: Path) -> None:
    write_files(tmp_path / "f", {"a": b"x" * 10, "sub/b": b"y" * 5})
    assert folder_size(str(tmp_path / "f"), budget_s=10).size == 15
    ticks = iter(range(100))
    partial = folder_size(str(tmp_path / "f"), budget_s=0.5, clock=lambda: float(next(ticks)))
    assert not partial.complete


def test_until_tomorrow_means_six_in_the_morning_the_next_day() -> None:
    now = datetime(2026, 3, 10, 22, 15, tzinfo=UTC).astimezone()
    until = pause_until_tomorrow(now)
    assert (until.hour, until.minute) == (6, 0) and until.date() > now.date()


def test_an_overdue_account_is_read_as_locked_with_its_date() -> None:
    raw = {
        "email": "a@b.c",
        "plan": "PRO",
        "state": "overdue",
        "locked": True,
        "lock_reason": "payment_overdue",
        "locked_since": "2026-05-01T00:00:00Z",
        "quota_bytes": 100,
        "usage_bytes": 50,
        "retention_days": 30,
        "devices_used": 1,
        "devices_allowed": 3,
        "paid_until": "2026-05-01T00:00:00Z",
        "warnings": [{"code": "locked", "date": "2026-05-01T00:00:00Z", "message": "m"}],
    }
    status = _account_status(raw, (), "http://127.0.0.1:1")
    assert status.locked and status.lock_reason == "payment_overdue"
    assert status.locked_since == "2026-05-01T00:00:00Z"
    assert [w.code for w in status.warnings] == ["locked"]
