"""GUI test fixtures: a private home (Documents, Pictures) and profile per test, secrets in files,
and helpers that sign a profile in to the session's real service."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.controller import Controller
from app.profile import Profile
from tests.support.service import RunningService

if TYPE_CHECKING:
    from tests.conftest import TestAccount

PASSPHRASE = "a calm harbour at dawn 42"


@pytest.fixture(scope="session", autouse=True)
def english(qapp: object) -> None:
    """As the app does at start: English, with its plural forms, unless a test asks otherwise."""
    from PySide6.QtCore import QCoreApplication

    from app.gui.i18n import install_translations

    app = QCoreApplication.instance()
    assert app is not None
    install_translations(app, "en")


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
def profile(tmp_path: Path) -> Profile:
    return Profile.open(tmp_path / "profile")


@pytest.fixture
def controller(profile: Profile) -> Iterator[Controller]:
    made = Controller(profile)
    yield made
    made.stop_protection()


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
