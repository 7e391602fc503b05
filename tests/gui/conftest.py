"""GUI test fixtures: a private home (Documents, Pictures) and profile per test, secrets in files,
helpers that sign a profile in to the session's real service, and a check that every test ends
with no engine thread left running (a protector left behind keeps uploading to the shared
service while later tests run)."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

from app.controller import Controller
from app.profile import Profile
from tests.support.service import RunningService

if TYPE_CHECKING:
    from app.gui.desktop import Desktop
    from tests.conftest import TestAccount

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
PASSPHRASE = "a calm harbour at dawn 42"

# Threads the engine names: the protector's loop, backup/restore pools, the uploader, and the
# protection state's delivery threads; plus the folder watcher's (watchdog's observer threads).
ENGINE_THREADS = ("keepsake-", "state-listener")
WATCHER_MODULES = "watchdog."
# Pool workers of a finished run may still be on their way out when teardown ends.
THREAD_GRACE_S = 5.0


def engine_threads(ignore: Collection[threading.Thread] = ()) -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if (t.name.startswith(ENGINE_THREADS) or type(t).__module__.startswith(WATCHER_MODULES))
        and t.is_alive()
        and t not in ignore
    ]


@pytest.fixture(scope="session", autouse=True)
def english(qapp: object) -> None:
    """As the app does at start: English, with its plural forms, unless a test asks otherwise."""
    from PySide6.QtCore import QCoreApplication

    from app.gui.i18n import install_translations

    app = QCoreApplication.instance()
    assert app is not None
    install_translations(app, "en")


@pytest.fixture(autouse=True)
def no_engine_threads_left() -> Iterator[None]:
    """Fails a test whose teardown leaves engine threads running. Autouse, so it is set up before
    and torn down after the test's own fixtures (controller, desktop): it sees the end state."""
    already = set(engine_threads())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    left = engine_threads(already)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = engine_threads(already)
    if left:
        names = ", ".join(sorted(f"{t.name} ({type(t).__name__})" for t in left))
        pytest.fail(f"engine threads still running after the test: {names}", pytrace=False)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Documents and Pictures of a pretend person; nothing of the real user's is touched."""
    home = tmp_path / "home"
    for name in ("Documents", "Pictures", "Desktop"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.setenv("XDG_PICTURES_DIR", str(home / "Pictures"))
    monkeypatch.setenv("XDG_DESKTOP_DIR", str(home / "Desktop"))
    monkeypatch.setenv("KEEPSAKE_KEYSTORE", "file")
    monkeypatch.delenv("KEEPSAKE_SERVER_URL", raising=False)
    return home


@pytest.fixture
def settled_heap() -> Iterator[None]:
    """For the tests that time the UI thread: what earlier tests left in this process is collected,
    then frozen out of the cyclic collector until the test ends.

    Why: late in the suite one full collection of that heap took about 200 ms (measured in the
    big-snapshot test), and a collection that struck between two ticks once failed the 100 ms
    check: a pause of the test process, not of the code under test. Objects the test itself
    creates are collected as usual."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.open(tmp_path / "profile")


@pytest.fixture
def make_controller() -> Iterator[Callable[..., Controller]]:
    """Factory for controllers (another PC, a custom sign-in entry): every one it made has its
    protection stopped, and waited for, when the test ends, however the test ended."""
    made: list[Controller] = []

    def make(profile: Profile | Path, **options: Any) -> Controller:
        opened = profile if isinstance(profile, Profile) else Profile.open(profile)
        controller = Controller(opened, **options)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.stop_protection()  # joins the protector's thread


@pytest.fixture
def controller(profile: Profile, make_controller: Callable[..., Controller]) -> Controller:
    return make_controller(profile)


@pytest.fixture
def make_desktop(qapp: object) -> Iterator[Callable[..., Desktop]]:
    """Factory for whole desktop apps; each is quit when the test ends and its workers waited
    for, so no start of protection still in flight outlives the test."""
    from app.gui.desktop import Desktop

    made: list[Desktop] = []

    def make(controller: Controller, *, has_tray: bool | None = False) -> Desktop:
        desktop = Desktop(controller, has_tray=has_tray)
        made.append(desktop)
        return desktop

    yield make
    for desktop in made:
        desktop.quit()  # stops protection on a worker, for good
        assert desktop.bridge.wait_idle(60_000), "the desktop's workers did not finish"
        desktop.controller.stop_protection()
        # Delete its Qt objects now. A failed test's traceback keeps `desktop` alive, and its
        # windows, left standing, crashed the interpreter a few GUI tests later (a segfault in
        # pytest-qt's event processing); the whole run, and its retry, then ended there.
        windows = desktop.windows
        for window in (windows.status, windows.settings, windows.restore, windows.first_run):
            if window is not None:
                window.deleteLater()
        windows.deleteLater()
        desktop.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (1_700_000_000, 1_700_000_000))


@pytest.fixture
def ready_controller(
    controller: Controller,
    service: RunningService,
    fresh_account: TestAccount,
    private_home: Path,
) -> Callable[..., Controller]:
    """A signed-in controller with a key and a kit, protecting the given folders (not started)."""

    def make(folders: list[Path] | None = None) -> Controller:
        controller.sign_in(service.url, fresh_account.email, fresh_account.password)
        controller.create_key()
        controller.save_kit(private_home / "kit.json", PASSPHRASE, upload=False)
        chosen = folders if folders is not None else [private_home / "Documents"]
        controller.set_folders([str(f) for f in chosen])
        return controller

    return make


@pytest.fixture
def in_danish(qapp: object) -> Iterator[Callable[..., Any]]:
    """Calls a function with the Danish translation installed, and removes it again."""
    application = QCoreApplication.instance()
    assert application is not None
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "keepsake_da.qm"))

    def call(function: Callable[..., Any], *args: Any) -> Any:
        application.installTranslator(translator)
        try:
            return function(*args)
        finally:
            application.removeTranslator(translator)

    yield call
