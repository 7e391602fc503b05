"""`Controller`: the one object the desktop app talks to. It holds the profile, the protector and
the sign-in entry, and hands each request to the module that does that job; it adds only what
spans two jobs (signing out stops protection first, saving settings tells the protector).

Qt-free and blocking on purpose: the GUI's bridge runs every call that touches disk or network on
a worker thread, and tests drive it directly.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from app.connect import Connection, connect
from app.controller import account_changes, keys, service_calls, signin
from app.controller import account_status as account
from app.controller import folders as folder_choice
from app.controller.account_changes import Consent, PasswordChanged
from app.controller.account_status import AccountStatus, Device
from app.controller.folders import FOLDER_SIZE_BUDGET_S, FolderSize
from app.controller.keys import KitSaved
from app.controller.protection import Protection
from app.controller.restore_session import RestoreSession
from app.controller.service_calls import UpdateInfo
from app.controller.signin import Setup, SignedIn
from app.core.errors import KeepsakeError
from app.platform.autostart import Autostart, for_platform
from app.profile import Profile
from app.protect.protector import Protector
from app.protect.state import ProtectionState
from app.settings import Settings

log = logging.getLogger(__name__)

_SETTING_NAMES = frozenset(f.name for f in fields(Settings))


class Controller:
    """Everything the GUI can ask for. Thread-safe enough for a worker pool: the protector and the
    restore sessions keep their own locks, and the settings file is replaced atomically."""

    def __init__(
        self,
        profile: Profile,
        *,
        protector_factory: Callable[[Profile], Protector] = Protector,
        open_connection: Callable[[Profile], Connection] = connect,
        autostart: Autostart | None = None,
    ) -> None:
        self.profile = profile
        self._open_connection = open_connection
        self._protection = Protection(profile, protector_factory)
        self._autostart = autostart if autostart is not None else for_platform()
        self._settings_lock = threading.Lock()  # load-change-save of the settings, one at a time

    # -- setup and sign-in -----------------------------------------------------------------------

    def setup(self) -> Setup:
        return signin.setup(self.profile)

    def sign_in(
        self, server_url: str, email: str, password: str, *, create_account: bool = False
    ) -> SignedIn:
        return signin.sign_in(
            self.profile, server_url, email, password, create_account=create_account
        )

    def signed_in(self) -> SignedIn:
        return signin.signed_in(self.profile)

    def sign_out(self) -> None:
        self.stop_protection()
        signin.sign_out(self.profile)

    # -- settings and folders --------------------------------------------------------------------

    def settings(self) -> Settings:
        return self.profile.load()

    def save_settings(self, settings: Settings) -> Settings:
        """Validate and store; a running protector picks the change up at once."""
        home = self.profile.home
        for folder in settings.folders:
            if Path(folder) == home or Path(folder).is_relative_to(home):
                raise KeepsakeError("Keepsake's own data folder cannot be backed up")
        self.profile.save(settings)
        self._protection.settings_changed()
        return settings

    def update_settings(self, changes: Mapping[str, Any]) -> Settings:
        """Apply just these fields to the settings as stored now, and save (see `save_settings`).
        A window open for a while must not put back fields changed since it loaded them."""
        with self._settings_lock:
            settings = self.profile.load()
            for name, value in changes.items():
                if name not in _SETTING_NAMES:
                    raise KeepsakeError(f"internal error: there is no setting named {name!r}")
                setattr(settings, name, copy.deepcopy(value))
            settings.validate()
            return self.save_settings(settings)

    def set_folders(self, folders: list[str]) -> Settings:
        settings = self.profile.load()
        settings.folders = list(dict.fromkeys(folders))
        return self.save_settings(settings)

    def suggested_folders(self) -> list[str]:
        return folder_choice.suggested_folders(self.profile)

    def folder_size(self, path: str, *, budget_s: float = FOLDER_SIZE_BUDGET_S) -> FolderSize:
        return folder_choice.folder_size(path, budget_s=budget_s)

    def finish_first_run(self, folders: list[str]) -> Settings:
        """Save the chosen folders and, by default, start Keepsake at sign-in from now on. A PC
        that refuses the sign-in entry still finishes setting up: protection matters more."""
        settings = self.set_folders(folders)
        try:
            self._autostart.enable()
        except KeepsakeError as exc:
            log.warning("could not set Keepsake to start at sign-in: %s", exc)
        return settings

    # -- starting at sign-in ---------------------------------------------------------------------

    def starts_at_sign_in(self) -> bool:
        return self._autostart.is_enabled()

    def set_start_at_sign_in(self, on: bool) -> bool:
        """Add or remove the OS's sign-in entry; returns what is now in place."""
        if on:
            self._autostart.enable()
        else:
            self._autostart.disable()
        return self._autostart.is_enabled()

    # -- the key and the recovery kit ------------------------------------------------------------

    def create_key(self) -> None:
        keys.create_key(self.profile)

    def save_kit(self, path: Path, passphrase: str, *, upload: bool) -> KitSaved:
        return keys.save_kit(self.profile, path, passphrase, upload=upload)

    def import_kit(self, kit: Path | None, secret: str) -> int:
        return keys.bring_in_kit(self.profile, self._open_connection, kit, secret)

    # -- protection ------------------------------------------------------------------------------

    def start_protection(self, on_state: Callable[[ProtectionState], None]) -> ProtectionState:
        return self._protection.start(on_state)

    def stop_protection(self) -> None:
        self._protection.stop()

    def shut_down(self) -> None:
        """Stop protection and refuse to start it again: the app is quitting."""
        self._protection.close()

    def back_up_now(self) -> None:
        self._protection.back_up_now()

    def pause(self, until: datetime | None) -> None:
        self._protection.pause(until)

    def resume(self) -> None:
        self._protection.resume()

    def report(self) -> Any:
        return self._protection.report()

    # -- the account -----------------------------------------------------------------------------

    def account_status(self) -> AccountStatus:
        return account.account_status(self.profile)

    def export_my_data(self, destination: Path) -> Path:
        return service_calls.export_my_data(self.profile, destination)

    def delete_account(self, password: str) -> None:
        """Delete the account on the service, then forget it here: token, key and backup set."""
        service_calls.delete_account(self.profile, password)
        self.stop_protection()
        service_calls.forget_account(self.profile)

    def check_for_updates(self) -> UpdateInfo:
        return service_calls.check_for_updates(self.profile)

    def change_password(self, current: str, new: str) -> PasswordChanged:
        """Change the account password; this PC stays signed in, every other one is signed
        out by the service (someone else may know the old password)."""
        return account_changes.change_password(self.profile, current, new)

    def rename_this_device(self, name: str) -> Device:
        return account_changes.rename_this_device(self.profile, name)

    def consents(self) -> tuple[Consent, ...]:
        return account_changes.consents(self.profile)

    def set_consent(self, name: str, granted: bool) -> tuple[Consent, ...]:
        """Save one consent flag with the account (this PC's own `telemetry_consent` setting is
        saved with the other settings)."""
        return account_changes.set_consent(self.profile, name, granted)

    # -- restore ---------------------------------------------------------------------------------

    def open_restore(self) -> RestoreSession:
        """A browsing and restoring session for the restore wizard; close() it when done."""
        return RestoreSession(lambda: self._open_connection(self.profile))
