"""Screenshots of every window and wizard page of the desktop app, for looking at them.

    python scripts/screenshots.py [--out screenshots] [--language da]

Runs the real app against a real local service on loopback, in a throw-away profile and home
folder. Without a display it starts Xvfb (and `trayer`, so there is a system tray to show); the
Debian packages `xvfb`, `trayer`, `libxcb-cursor0` and the other X libraries Qt's xcb plugin
loads (`libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xkb1
libxkbcommon-x11-0`) provide them. PNGs go to `screenshots/`, which git ignores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD, PASSPHRASE = "ada@example.org", "correct horse 42", "a calm harbour at dawn 42"


@contextmanager
def display() -> Iterator[None]:
    """Use $DISPLAY, or an Xvfb of our own with a tray (trayer) on it."""
    if os.environ.get("DISPLAY"):
        yield
        return
    if not shutil.which("Xvfb"):
        sys.exit("error: no display and no Xvfb: apt-get install xvfb trayer libxcb-cursor0")
    read_end, write_end = os.pipe()  # Xvfb picks a free display and writes its number here
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        os.environ["DISPLAY"] = ":" + answer.readline().strip()
    time.sleep(1.0)
    tray = None
    if shutil.which("trayer"):
        tray = subprocess.Popen(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--width",
                "10",
                "--height",
                "28",
                "--tint",
                "0xdddddd",
                "--transparent",
                "true",
                "--alpha",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
    try:
        yield
    finally:
        for proc in (tray, xvfb):
            if proc is not None:
                proc.terminate()
                proc.wait(10)


@contextmanager
def service(data: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    log = open(data / "service.log", "wb")  # noqa: SIM115 - kept open for the child
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--data-dir",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310 - loopback
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(15)
        log.close()


def admin(data: Path, *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "server.cli", "admin", "--data-dir", str(data), *args],
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def sample_home(home: Path) -> None:
    files = {
        "Documents/Letters/to grandma.odt": b"Dear grandma" * 100,
        "Documents/Taxes/2025 return.pdf": b"%PDF" + b"0" * 40_000,
        "Documents/recipes.txt": b"pancakes",
        "Pictures/Holiday/beach.jpg": b"\xff\xd8" + b"1" * 300_000,
        "Pictures/cat.png": b"\x89PNG" + b"2" * 90_000,
    }
    for rel, data in files.items():
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


class Shooter:
    def __init__(self, out: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.out = out
        self.count = 0
        self.app = QApplication.instance()

    def wait(self, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there in time")
            self.app.processEvents()
            time.sleep(0.02)

    def settle(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.02)

    def shot(self, widget: object, name: str, *, settle: bool = True) -> None:
        if settle:
            self.settle()
        self.count += 1
        path = self.out / f"{self.count:02}-{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print(f"  {path.name}")

    def screen(self, name: str) -> None:
        from PySide6.QtGui import QGuiApplication

        self.settle()
        self.count += 1
        path = self.out / f"{self.count:02}-{name}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
        print(f"  {path.name}")


def run(out: Path, language: str) -> None:
    from PySide6.QtWidgets import QApplication, QWizard

    from app.controller import Controller
    from app.gui.desktop import Desktop
    from app.gui.i18n import install_translations
    from app.gui.resources import app_icon, style_sheet
    from app.profile import Profile

    work = Path(tempfile.mkdtemp(prefix="keepsake-shots-"))
    home, data = work / "home", work / "service"
    data.mkdir()
    sample_home(home)
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DOCUMENTS_DIR=str(home / "Documents"),
        XDG_PICTURES_DIR=str(home / "Pictures"),
        XDG_DESKTOP_DIR=str(home / "Desktop"),
        KEEPSAKE_KEYSTORE="file",
        QT_QPA_PLATFORM="xcb",
    )
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(app_icon())
    install_translations(app, language)
    app.setStyleSheet(style_sheet())
    s = Shooter(out)
    with service(data) as url:
        admin(data, "create-account", EMAIL, "--plan", "PRO", stdin=PASSWORD + "\n")
        controller = Controller(Profile.open(work / "profile"))
        desktop = Desktop(controller)
        desktop.start()
        s.wait(lambda: desktop.windows.first_run is not None)
        wizard = desktop.windows.first_run
        page = wizard.sign_in
        page.server.setText(url)
        s.shot(wizard, "first-run-1-welcome")
        page.existing.setChecked(True)
        page.email.setText(EMAIL)
        page.password.setText(PASSWORD)
        s.shot(wizard, "first-run-1-sign-in")
        wizard.next()
        s.wait(lambda: wizard.currentId() == 1)
        form = wizard.kit.form
        form.passphrase.setText("password1")
        form.confirm.setText("password1")
        s.shot(wizard, "first-run-2-kit-weak-passphrase")
        form.passphrase.setText(PASSPHRASE)
        form.confirm.setText(PASSPHRASE)
        form.location.setText(str(home / "USB stick" / "Keepsake recovery kit.json"))
        form.upload.setChecked(True)
        form.save()
        s.wait(lambda: form.result is not None)
        form.kept.setChecked(True)
        s.shot(wizard, "first-run-2-kit-saved")
        wizard.button(QWizard.WizardButton.CommitButton).click()
        s.wait(lambda: wizard.folders.tree.topLevelItemCount() == 2)
        s.wait(lambda: "…" not in wizard.folders.tree.topLevelItem(1).text(1))
        s.shot(wizard, "first-run-3-folders")
        wizard.next()
        s.shot(wizard, "first-run-4-summary")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        s.wait(
            lambda: (
                desktop.protecting
                and desktop.presence.state is not None
                and desktop.presence.state.last_snapshot_id is not None
            )
        )
        (home / "Documents/recipes.txt").write_bytes(b"pancakes, now with blueberries")
        desktop.actions.back_up_now.trigger()
        first = desktop.presence.state.last_snapshot_id
        s.wait(lambda: desktop.presence.state.last_snapshot_id != first)
        s.wait(lambda: desktop.presence.summary.sentence.startswith(("Protected", "Beskyttet")))
        shoot_everyday(s, desktop)
        admin(
            data,
            "set-release",
            "0.2.0",
            "--url",
            "https://keepsake.example/download",
            "--notes",
            "Restores start sooner; the Danish texts are reviewed.",
        )
        shoot_settings(s, desktop)
        shoot_restore(s, desktop, home)
        shoot_new_pc(s, url, work)
        admin(data, "set-payment", EMAIL, "--state", "overdue")
        desktop.account.refresh()
        s.wait(lambda: desktop.account.latest is not None and desktop.account.latest.locked)
        s.shot(desktop.windows.show_settings("account"), "settings-account-locked")
        s.shot(desktop.windows.status, "status-locked")
        shoot_failure(s, desktop, data, home)
        desktop.quit()
        desktop.bridge.wait_idle()
    shutil.rmtree(work, ignore_errors=True)


def shoot_failure(s: Shooter, desktop: object, data: Path, home: Path) -> None:
    """A backup that fails for real (the storage is full), as the status line words it."""
    admin(data, "set-payment", EMAIL, "--state", "paid")
    admin(data, "set-plan", EMAIL, "PRO", "--quota-bytes", "1")
    desktop.account.refresh()
    s.wait(lambda: desktop.account.latest is not None and not desktop.account.latest.locked)
    (home / "Documents/recipes.txt").write_bytes(b"pancakes, with blueberries and syrup")
    desktop.actions.back_up_now.trigger()
    s.wait(lambda: str(desktop.presence.state.phase) == "error")
    desktop.windows.show_status()
    s.shot(desktop.windows.status, "status-failed")


def shoot_everyday(s: Shooter, desktop: object) -> None:
    from PySide6.QtCore import QPoint

    desktop.windows.show_status()
    s.shot(desktop.windows.status, "status-protected")
    if desktop.tray is not None:
        s.screen("tray-on-the-desktop")
        menu = desktop.tray.menu
        menu.popup(QPoint(900, 40))
        s.shot(menu, "tray-menu")
        desktop.tray.pause_menu.popup(QPoint(1100, 120))
        s.shot(desktop.tray.pause_menu, "tray-menu-pause")
        desktop.tray.pause_menu.hide()
        menu.hide()
    desktop.actions.pause_hour.trigger()
    s.wait(lambda: desktop.presence.summary.look.value == "paused")
    s.shot(desktop.windows.status, "status-paused")
    desktop.actions.resume.trigger()
    s.wait(lambda: desktop.presence.summary.look.value == "protected")
    desktop.windows.status.notify(
        "Backup failed", "Keepsake could not finish the backup: the disk was unplugged.", True
    )
    s.shot(desktop.windows.status, "status-with-notice")
    desktop.windows.status.banner.hide()
    desktop.windows.status.hide()


def shoot_settings(s: Shooter, desktop: object) -> None:
    window = desktop.windows.show_settings()
    s.wait(lambda: window.draft.settings is not None)
    for tab in ("folders", "schedule", "network", "account", "security", "privacy", "about"):
        window.show_tab(tab)
        if tab == "account":
            s.wait(lambda: window.account.status is not None)
        if tab == "privacy":
            s.wait(lambda: window.privacy.consents.on_service)
        if tab == "about":
            s.wait(lambda: "Loading" not in window.about.report.summary.text())
        s.shot(window, f"settings-{tab}")
    window.about.update_button.click()
    s.wait(lambda: window.about.update_button.isEnabled())
    s.shot(window, "settings-about-update-available")
    shoot_account_changes(s, window)
    key = window.security.open_key_dialog(change=True)
    key.form.passphrase.setText("a different calm harbour")
    s.shot(key, "key-dialog-change-passphrase")
    key.close()
    s.shot(window.security.open_import(), "import-kit-dialog")
    delete = window.privacy.open_delete()
    s.shot(delete, "delete-account-dialog")
    delete.close()
    window.close()


def shoot_account_changes(s: Shooter, window: object) -> None:
    """The password dialog with the service's refusal, and renaming this PC."""
    window.show_tab("security")
    password = window.security.open_password_dialog()
    password.current.setText("not my password")
    password.new.setText("a quiet lighthouse keeper 9")
    password.confirm.setText("a quiet lighthouse keeper 9")
    password.submit()
    s.wait(lambda: password.message.isVisible())
    s.shot(password, "password-dialog-wrong-current")
    password.new.setText("password1")
    password.confirm.setText("password1")
    password.current.setText(PASSWORD)
    shown = password.message.text()
    password.submit()
    s.wait(lambda: password.buttons.isEnabled() and password.message.text() not in ("", shown))
    s.shot(password, "password-dialog-common-password")
    password.close()
    window.show_tab("account")
    rename = window.account.open_rename()
    rename.name.setText("Ada's laptop")
    s.shot(rename, "rename-pc-dialog")
    rename.submit()
    s.wait(lambda: "Ada&#x27;s laptop" in window.account.devices.text())
    s.shot(window, "settings-account-renamed")


def shoot_restore(s: Shooter, desktop: object, home: Path) -> None:
    from PySide6.QtWidgets import QWizard

    wizard = desktop.windows.show_restore()
    s.wait(lambda: wizard.job.snapshot is not None)
    s.shot(wizard, "restore-1-when")
    wizard.next()
    model = wizard.what.model
    s.wait(lambda: model.rowCount() == 2)
    documents = model.index(0, 0)
    wizard.what.tree.expand(documents)
    s.wait(lambda: model.rowCount(documents) == 3)
    letters = next(
        model.index(r, 0, documents)
        for r in range(3)
        if model.data(model.index(r, 0, documents)) == "Letters"
    )
    wizard.what.tree.expand(letters)
    s.wait(lambda: model.rowCount(letters) == 1)
    recipes = next(
        model.index(r, 0, documents)
        for r in range(3)
        if model.data(model.index(r, 0, documents)) == "recipes.txt"
    )
    model.setData(letters, 2, 10)  # tick the Letters folder
    wizard.what.tree.setCurrentIndex(recipes)
    s.shot(wizard, "restore-2-what")
    dialog = wizard.what.open_versions()
    s.wait(lambda: dialog.list.topLevelItemCount() == 2)
    dialog.list.setCurrentItem(dialog.list.topLevelItem(1))
    s.shot(dialog, "restore-2-versions")
    dialog.accept()
    wizard.what.search.setText("cat")
    s.wait(lambda: wizard.what.results.rowCount() == 1)
    s.shot(wizard, "restore-2-search")
    wizard.what.search.clear()
    wizard.next()
    wizard.where.elsewhere.setChecked(True)
    wizard.where.folder.setText(str(home / "Desktop" / "Restored files"))
    s.shot(wizard, "restore-3-where")
    wizard.button(QWizard.WizardButton.CommitButton).click()
    s.shot(wizard, "restore-4-progress", settle=False)  # before the quick restore ends
    s.wait(lambda: wizard.job.outcome is not None and wizard.currentId() == 4)
    s.shot(wizard, "restore-5-done")
    wizard.close()


def shoot_new_pc(s: Shooter, url: str, work: Path) -> None:
    from PySide6.QtWidgets import QWizard

    from app.controller import Controller
    from app.gui.desktop import Desktop
    from app.profile import Profile

    desktop = Desktop(Controller(Profile.open(work / "new-pc")), has_tray=False)
    desktop.start()
    s.wait(lambda: desktop.windows.first_run is not None)
    wizard = desktop.windows.first_run
    wizard.sign_in.server.setText(url)
    wizard.sign_in.existing.setChecked(True)
    wizard.sign_in.email.setText(EMAIL)
    wizard.sign_in.password.setText(PASSWORD)
    wizard.next()
    s.wait(lambda: wizard.currentId() == 2)
    wizard.import_kit.secret.setText(PASSPHRASE)
    s.shot(wizard, "new-pc-1-import-kit")
    wizard.button(QWizard.WizardButton.NextButton).click()
    s.wait(lambda: wizard.currentId() == 3, timeout=120)
    s.shot(wizard, "new-pc-2-restore-offer")
    wizard.close()
    s.shot(desktop.windows.status, "status-without-tray")
    desktop.quit()
    desktop.bridge.wait_idle()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "screenshots"))
    parser.add_argument("--language", default="en", choices=["en", "da"])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    with display():
        print(f"Screenshots into {out}:")
        run(out, args.language)
    return 0


if __name__ == "__main__":
    sys.exit(main())
