"""First run, end to end against the real service: create an account, save the kit, choose
folders, and the first backup completes; on a second PC: sign in, import the kit, restore."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.gui.desktop import Desktop
from app.gui.firstrun.context import FOLDERS, IMPORT, KIT, RESTORE_OFFER, SUMMARY
from app.gui.firstrun.wizard import FirstRunWizard
from app.gui.wording_status import Look
from tests.gui.conftest import PASSPHRASE, write_files
from tests.support.service import RunningService

WAIT = 60_000


def _next(qtbot: QtBot, wizard: QWizard, page: int) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=WAIT)


def _commit(qtbot: QtBot, wizard: QWizard, page: int) -> None:
    wizard.button(QWizard.WizardButton.CommitButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=WAIT)


def _has_snapshots(controller: Controller) -> bool:
    session = controller.open_restore()
    try:
        return session.snapshots() != []
    finally:
        session.close()


def _save_kit(qtbot: QtBot, wizard: FirstRunWizard, where: Path) -> None:
    form = wizard.kit.form
    assert not wizard.kit.isComplete()
    form.passphrase.setText("short")
    form.confirm.setText("short")
    assert not form.save_button.isEnabled()  # too short to be accepted
    form.passphrase.setText(PASSPHRASE)
    form.confirm.setText(PASSPHRASE)
    form.location.setText(str(where))
    form.upload.setChecked(True)
    form.save_button.click()
    qtbot.waitUntil(lambda: form.result is not None, timeout=WAIT)
    assert not wizard.kit.isComplete()  # saved, but the person has not confirmed keeping it
    form.kept.setChecked(True)
    assert wizard.kit.isComplete()


def test_first_run_creates_an_account_saves_the_kit_and_completes_a_backup(
    qtbot: QtBot,
    controller: Controller,
    make_desktop: Callable[..., Desktop],
    service: RunningService,
    private_home: Path,
) -> None:
    write_files(private_home / "Documents", {"cv.odt": b"my cv", "notes/a.txt": b"a note"})
    write_files(private_home / "Pictures", {"cat.jpg": b"\xff\xd8 cat"})
    desktop = make_desktop(controller)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.windows.first_run is not None, timeout=WAIT)
    wizard = desktop.windows.first_run
    assert wizard is not None
    page = wizard.sign_in
    assert page.server.text() == controller.setup().server_url
    page.server.setText(service.url)
    page.new_account.setChecked(True)
    page.email.setText(f"first-{os.getpid()}-{time.monotonic_ns()}@example.org")
    page.password.setText("my own password 7")
    page.confirm.setText("not the same")
    assert not page.isComplete()
    page.confirm.setText("my own password 7")
    _next(qtbot, wizard, KIT)

    kit_path = private_home / "USB" / "kit.json"
    _save_kit(qtbot, wizard, kit_path)
    assert kit_path.exists() and controller.signed_in().kit_on_service
    _commit(qtbot, wizard, FOLDERS)

    folders = wizard.folders
    qtbot.waitUntil(lambda: folders.tree.topLevelItemCount() == 2, timeout=WAIT)
    shown = [folders.tree.topLevelItem(i).text(0) for i in range(2)]
    assert shown == [str(private_home / "Documents"), str(private_home / "Pictures")]
    qtbot.waitUntil(lambda: "counting" not in folders.tree.topLevelItem(0).text(1), timeout=WAIT)
    assert folders.tree.topLevelItem(0).text(1) != ""  # a size is shown
    folders.tree.topLevelItem(1).setCheckState(0, Qt.CheckState.Unchecked)  # not the Pictures
    _next(qtbot, wizard, SUMMARY)
    assert "Documents" in wizard.summary.text.text()

    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: desktop.protecting, timeout=WAIT)
    qtbot.waitUntil(
        lambda: (
            desktop.presence.state is not None
            and desktop.presence.state.last_snapshot_id is not None
        ),
        timeout=WAIT,
    )
    assert controller.setup().folders == (str(private_home / "Documents"),)
    qtbot.waitUntil(lambda: desktop.presence.summary.look == Look.PROTECTED, timeout=WAIT)
    assert "Protected" in desktop.windows.status.headline.text()
    session = controller.open_restore()
    try:
        latest = session.snapshots()[-1].snapshot_id
        names = {e.name for e in session.ls(latest, "Documents")}
    finally:
        session.close()
    assert names == {"cv.odt", "notes"}  # Pictures was unticked, so not backed up


def test_on_a_new_pc_the_kit_is_imported_and_everything_restored(
    qtbot: QtBot,
    ready_controller,  # type: ignore[no-untyped-def]
    make_controller: Callable[..., Controller],
    make_desktop: Callable[..., Desktop],
    service: RunningService,
    fresh_account,  # type: ignore[no-untyped-def]
    private_home: Path,
    tmp_path: Path,
) -> None:
    from app.gui.restore.context import DONE, WHAT, WHERE

    docs = private_home / "Documents"
    write_files(docs, {"diary.txt": b"dear diary", "photos/x.raw": b"raw bytes" * 100})
    old_pc = ready_controller([docs])
    old_pc.start_protection(lambda state: None)
    old_pc.back_up_now()
    qtbot.waitUntil(lambda: _has_snapshots(old_pc), timeout=WAIT)
    old_pc.stop_protection()
    for path in (docs / "diary.txt", docs / "photos/x.raw"):
        path.unlink()  # the old disk died

    new_pc = make_controller(tmp_path / "new-pc")
    desktop = make_desktop(new_pc)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.windows.first_run is not None, timeout=WAIT)
    wizard = desktop.windows.first_run
    assert wizard is not None
    wizard.sign_in.server.setText(service.url)
    wizard.sign_in.existing.setChecked(True)
    wizard.sign_in.email.setText(fresh_account.email)
    wizard.sign_in.password.setText(fresh_account.password)
    _next(qtbot, wizard, IMPORT)
    page = wizard.import_kit
    assert not page.from_service.isEnabled()  # no copy was uploaded from the old PC
    page.path.setText(str(private_home / "kit.json"))
    page.secret.setText("wrong passphrase")
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(
        lambda: page.message.isVisible() and "passphrase" in page.message.text(), timeout=WAIT
    )
    assert wizard.currentId() == IMPORT
    page.secret.setText(PASSPHRASE)
    _next(qtbot, wizard, RESTORE_OFFER)
    assert wizard.restore_offer.restore_all.isChecked()
    _next(qtbot, wizard, FOLDERS)
    qtbot.waitUntil(lambda: wizard.folders.tree.topLevelItemCount() == 1, timeout=WAIT)
    _next(qtbot, wizard, SUMMARY)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: desktop.windows.restore is not None, timeout=WAIT)
    restore = desktop.windows.restore
    assert restore is not None and not desktop.protecting  # nothing is backed up before restoring
    qtbot.waitUntil(lambda: restore.job.snapshot is not None, timeout=WAIT)
    _next(qtbot, restore, WHAT)
    qtbot.waitUntil(lambda: restore.what.selection() != [], timeout=WAIT)
    _next(qtbot, restore, WHERE)
    assert restore.where.original.isChecked()
    _commit(qtbot, restore, DONE)
    assert (docs / "diary.txt").read_bytes() == b"dear diary"
    assert (docs / "photos/x.raw").read_bytes() == b"raw bytes" * 100
    restore.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: desktop.protecting, timeout=WAIT)
    assert any("restored" in n.text for n in desktop.notifier.shown)
