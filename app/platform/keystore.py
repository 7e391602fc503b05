"""Keeps a profile's secrets (master key, device token) in the OS keychain, or in 0600 files.

The keychain is used through `keyring` when a real one exists (Windows Credential Manager, macOS
Keychain, Secret Service...). Where there is none (a headless Linux box), secrets go to files
readable by the owner only, in the profile's `secrets/` folder, and `is_secure_keychain` is False
so the app can say so. KEEPSAKE_KEYSTORE=file forces the files (tests, headless agents);
KEEPSAKE_KEYSTORE=keyring insists on a keychain. Values are never logged.

`keyring` is imported only when a keychain may be used: its backend discovery costs a good part
of a command's start-up, and with KEEPSAKE_KEYSTORE=file it is never needed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import KeepsakeError

log = logging.getLogger(__name__)

ENV_VAR = "KEEPSAKE_KEYSTORE"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


class KeystoreError(KeepsakeError):
    """The keychain refused or failed; the secret was not stored or read."""


class KeyringLike(Protocol):
    """The part of a keyring backend the keystore uses."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


def is_real_keychain(backend: Any) -> bool:
    """A backend that keeps secrets in an OS keychain, not the fail/null placeholders, not a
    chainer with nothing real behind it, and not a low-priority plaintext stand-in."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(_priority(b) >= 1 for b in backend.backends)
    return _priority(backend) >= 1


def _priority(backend: Any) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend reports non-viability by raising from `priority`
        return -1.0


def _system_keyring() -> Any:
    import keyring

    return keyring.get_keyring()


def _errors() -> Any:
    """keyring's exception module; only reached when a keychain is in use (so already loaded)."""
    import keyring.errors

    return keyring.errors


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid secret name {name!r}")
    return name


class FileSecrets:
    """One file per secret, owner-only (folder 0700, files 0600), replaced atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, name: str) -> str | None:
        path = self.folder / _check_name(name)
        try:
            with open(path, encoding="utf-8") as f:
                if os.name == "posix" and os.fstat(f.fileno()).st_mode & 0o077:
                    os.fchmod(f.fileno(), 0o600)  # tighten a copy made with the wrong mode
                return f.read()
        except FileNotFoundError:
            return None

    def set(self, name: str, value: str) -> None:
        path = self.folder / _check_name(name)
        self._make_folder()
        tmp = self.folder / f".{name}.{secrets.token_hex(4)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(value)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        if os.name == "posix":
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def delete(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / _check_name(name)).unlink()

    def _make_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.folder, 0o700)


class Keystore:
    """Secrets of one profile, by name ("master_key", "device_token", ...)."""

    def __init__(
        self,
        profile_id: str,
        secrets_dir: Path,
        *,
        environ: Mapping[str, str] | None = None,
        keyring_backend: KeyringLike | None = None,
    ) -> None:
        """`secrets_dir` is the profile's `secrets/` folder, used when no keychain exists.
        `keyring_backend` replaces the system's choice (tests); `environ` defaults to os's."""
        self.service = f"Keepsake/{profile_id}"
        self._files = FileSecrets(secrets_dir)
        mode = (os.environ if environ is None else environ).get(ENV_VAR, "auto").lower()
        if mode not in ("auto", "file", "keyring"):
            raise KeystoreError(f"{ENV_VAR} must be 'file', 'keyring' or unset, not {mode!r}")
        self._keyring: KeyringLike | None = None
        if mode != "file":
            backend = keyring_backend if keyring_backend is not None else _system_keyring()
            if is_real_keychain(backend):
                self._keyring = backend
            elif mode == "keyring":
                raise KeystoreError(f"{ENV_VAR}=keyring but this system has no usable keychain")
        if self._keyring is None:
            self.backend_name = "file"
        else:
            self.backend_name = str(getattr(self._keyring, "name", type(self._keyring).__name__))
        log.info("secrets of %s are kept by: %s", self.service, self.backend_name)

    @property
    def is_secure_keychain(self) -> bool:
        return self._keyring is not None

    def get(self, name: str) -> str | None:
        _check_name(name)
        if self._keyring is None:
            return self._files.get(name)
        try:
            value = self._keyring.get_password(self.service, name)
        except _errors().KeyringError as err:
            raise KeystoreError(f"the keychain could not be read ({type(err).__name__})") from err
        if value is not None:
            return value
        return self._adopt_file(name)

    def set(self, name: str, value: str) -> None:
        _check_name(name)
        if not isinstance(value, str):
            raise TypeError("secret values are strings")
        if self._keyring is None:
            self._files.set(name, value)
            return
        try:
            self._keyring.set_password(self.service, name, value)
        except _errors().KeyringError as err:
            # Never fall back silently: the person was told the secret is in the keychain.
            raise KeystoreError(f"the keychain refused the secret ({type(err).__name__})") from err
        self._files.delete(name)  # an older file copy would outlive the keychain entry

    def delete(self, name: str) -> None:
        _check_name(name)
        if self._keyring is not None:
            try:
                self._keyring.delete_password(self.service, name)
            except _errors().PasswordDeleteError:
                pass  # nothing stored under that name
            except _errors().KeyringError as err:
                raise KeystoreError(
                    f"the keychain could not delete the secret ({type(err).__name__})"
                ) from err
        self._files.delete(name)

    def _adopt_file(self, name: str) -> str | None:
        """A secret filed while no keychain existed moves into the keychain on first read."""
        value = self._files.get(name)
        if value is None or self._keyring is None:
            return value
        try:
            self._keyring.set_password(self.service, name, value)
        except _errors().KeyringError:
            log.warning("secret %s stays in its file: the keychain refused it", name)
            return value
        self._files.delete(name)
        log.info("moved secret %s from its file into the keychain", name)
        return value
