"""The keystore keeps secrets in a real keychain when there is one, else in owner-only files."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from app.platform.keystore import ENV_VAR, Keystore, KeystoreError, is_real_keychain

FILE_ONLY = {ENV_VAR: "file"}

# keyring's own placeholder backends (untyped classes, so typed as Any here)
FailKeyring: Any = fail.Keyring
NullKeyring: Any = null.Keyring
Chainer: Any = chainer.ChainerBackend


class FakeKeychain:
    """Duck-typed keychain (a KeyringBackend subclass would register itself with keyring)."""

    name = "fake keychain"

    def __init__(self, priority: float = 5, refuse: bool = False) -> None:
        self.priority = priority
        self.refuse = refuse
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse:
            raise keyring.errors.PasswordSetError("locked")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("absent")
        del self.items[(service, username)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_values_round_trip_with_owner_only_modes(tmp_path: Path) -> None:
    store = Keystore("p1", tmp_path / "secrets", environ=FILE_ONLY)
    assert store.backend_name == "file" and not store.is_secure_keychain
    assert store.get("master-key") is None
    store.set("master-key", "00ff" * 16)
    store.set("device-token", "tök€n with unicode")
    assert store.get("master-key") == "00ff" * 16
    assert store.get("device-token") == "tök€n with unicode"
    assert _mode(tmp_path / "secrets") == 0o700
    assert _mode(tmp_path / "secrets" / "master-key") == 0o600
    assert sorted(p.name for p in (tmp_path / "secrets").iterdir()) == [
        "device-token",
        "master-key",
    ]  # no temporary files left behind


def test_file_mode_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        Keystore("p1", tmp_path / "secrets", environ=FILE_ONLY).set("token", "v")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "secrets" / "token") == 0o600
    assert _mode(tmp_path / "secrets") == 0o700


def test_a_loose_secrets_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Keystore("p1", folder, environ=FILE_ONLY).set("token", "v")
    assert _mode(folder) == 0o700


def test_set_replaces_and_delete_removes(tmp_path: Path) -> None:
    store = Keystore("p1", tmp_path / "secrets", environ=FILE_ONLY)
    store.set("token", "first")
    store.set("token", "second")
    assert store.get("token") == "second"
    store.delete("token")
    store.delete("token")  # already gone: fine
    assert store.get("token") is None


def test_forcing_file_ignores_an_available_keychain(tmp_path: Path) -> None:
    keychain = FakeKeychain()
    store = Keystore("p1", tmp_path / "secrets", environ=FILE_ONLY, keyring_backend=keychain)
    store.set("token", "v")
    assert store.backend_name == "file"
    assert keychain.items == {}
    assert (tmp_path / "secrets" / "token").read_text(encoding="utf-8") == "v"


def test_a_real_keychain_is_used_under_the_profile_service_name(tmp_path: Path) -> None:
    keychain = FakeKeychain()
    store = Keystore("abc123", tmp_path / "secrets", environ={}, keyring_backend=keychain)
    assert store.is_secure_keychain and store.backend_name == "fake keychain"
    store.set("device-token", "secret-value")
    assert keychain.items == {("Keepsake/abc123", "device-token"): "secret-value"}
    assert store.get("device-token") == "secret-value"
    assert not (tmp_path / "secrets").exists()
    store.delete("device-token")
    assert keychain.items == {} and store.get("device-token") is None


def test_placeholder_backends_fall_back_to_files(tmp_path: Path) -> None:
    for backend in (FailKeyring(), NullKeyring(), FakeKeychain(priority=0.5)):
        store = Keystore("p", tmp_path / "secrets", environ={}, keyring_backend=backend)
        assert store.backend_name == "file" and not store.is_secure_keychain
        store.set("token", "v")
        assert store.get("token") == "v"


def test_which_backends_count_as_real_keychains() -> None:
    assert is_real_keychain(FakeKeychain(priority=1))
    assert not is_real_keychain(FakeKeychain(priority=0.9))
    assert not is_real_keychain(FailKeyring())
    assert not is_real_keychain(NullKeyring())
    empty_chainer = Chainer()
    assert is_real_keychain(empty_chainer) == any(b.priority >= 1 for b in empty_chainer.backends)


def test_a_secret_filed_before_a_keychain_existed_moves_into_it(tmp_path: Path) -> None:
    Keystore("p", tmp_path / "secrets", environ=FILE_ONLY).set("master-key", "k")
    keychain = FakeKeychain()
    store = Keystore("p", tmp_path / "secrets", environ={}, keyring_backend=keychain)
    assert store.get("master-key") == "k"
    assert keychain.items == {("Keepsake/p", "master-key"): "k"}
    assert not (tmp_path / "secrets" / "master-key").exists()


def test_a_refusing_keychain_raises_instead_of_filing_silently(tmp_path: Path) -> None:
    store = Keystore(
        "p", tmp_path / "secrets", environ={}, keyring_backend=FakeKeychain(refuse=True)
    )
    with pytest.raises(KeystoreError):
        store.set("token", "v")
    assert not (tmp_path / "secrets").exists()


def test_insisting_on_a_keychain_without_one_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeystoreError):
        Keystore("p", tmp_path / "s", environ={ENV_VAR: "keyring"}, keyring_backend=FailKeyring())
    with pytest.raises(KeystoreError):
        Keystore("p", tmp_path / "s", environ={ENV_VAR: "flie"})


def test_names_cannot_leave_the_secrets_folder(tmp_path: Path) -> None:
    store = Keystore("p", tmp_path / "secrets", environ=FILE_ONLY)
    for name in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            store.set(name, "v")
    assert not (tmp_path / "escape").exists()


def test_values_never_reach_the_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    Keystore("p", tmp_path / "s", environ=FILE_ONLY).set("token", "very-secret-value")
    Keystore("p", tmp_path / "s", environ={}, keyring_backend=FakeKeychain()).get("token")
    assert "very-secret-value" not in caplog.text


def test_the_environment_variable_forces_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "file")
    store = Keystore("p", tmp_path / "secrets", keyring_backend=FakeKeychain())
    assert store.backend_name == "file"
