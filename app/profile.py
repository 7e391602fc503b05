"""One person's Keepsake profile on this PC: where settings, index, logs and secrets live.

`KEEPSAKE_HOME` (or `--home`) selects the folder; otherwise the platform's user data dir. A
single-instance lock and the keystore are per profile, so two profiles never share state.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.settings import Settings, load_settings, save_settings

MASTER_KEY_SECRET = "master-key"  # noqa: S105 (a keystore entry name, not a secret)
TOKEN_SECRET = "device-token"  # noqa: S105 (a keystore entry name)


def default_home() -> Path:
    env = os.environ.get("KEEPSAKE_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("Keepsake", appauthor=False))


@dataclass(frozen=True)
class Profile:
    home: Path

    @classmethod
    def open(cls, home: Path | None = None) -> Profile:
        path = (home or default_home()).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        return cls(path)

    @property
    def settings_path(self) -> Path:
        return self.home / "settings.json"

    @property
    def index_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    @property
    def default_kit_path(self) -> Path:
        return self.home / "keepsake-recovery-kit.json"

    @property
    def profile_id(self) -> str:
        """Stable short id naming this profile in the OS keychain (no path leaks into it)."""
        return hashlib.sha256(str(self.home).encode()).hexdigest()[:16]

    def load(self) -> Settings:
        return load_settings(self.settings_path)

    def save(self, settings: Settings) -> None:
        save_settings(self.settings_path, settings)
