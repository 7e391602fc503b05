"""Every client setting declared once: typed, defaulted, validated, versioned and migrated.

The GUI renders from this model and the CLI edits it; neither holds defaults of its own. Secrets are
never here (they live in the keystore): this file is safe to read on a stolen, powered-off PC.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
DEFAULT_SERVER_URL = "http://127.0.0.1:8420"


class SettingsError(ValueError):
    """The settings file is unreadable or holds an invalid value."""


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    server_url: str = DEFAULT_SERVER_URL
    ca_bundle: str | None = None
    email: str | None = None
    account_id: str | None = None
    device_id: str | None = None
    device_name: str | None = None
    set_id: str | None = None
    folders: list[str] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=list)
    exclude_presets: bool = True
    max_file_size_mb: int = 0  # 0 = no limit
    continuous: bool = True
    daily_time: str = "12:00"
    upload_limit_kib: int = 0  # 0 = unlimited
    skip_on_battery: bool = False
    skip_on_metered: bool = False
    telemetry_consent: bool = False
    language: str = ""  # "" = follow the system

    def validate(self) -> None:
        if not self.server_url.startswith(("https://", "http://")):
            raise SettingsError(f"server_url must be an http(s) URL, not {self.server_url!r}")
        if self.max_file_size_mb < 0 or self.upload_limit_kib < 0:
            raise SettingsError("limits cannot be negative")
        hour, _, minute = self.daily_time.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise SettingsError(f"daily_time must be HH:MM, not {self.daily_time!r}")
        for folder in self.folders:
            if not os.path.isabs(folder):
                raise SettingsError(f"folder {folder!r} is not an absolute path")

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Settings:
        raw = _migrate(dict(raw))
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in raw.items() if k in known})
        settings.validate()
        return settings


def _migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings document up to SCHEMA_VERSION, one step at a time."""
    version = int(raw.get("schema_version", 1))
    if version > SCHEMA_VERSION:
        raise SettingsError(
            f"settings were written by a newer Keepsake (schema {version}); please update the app"
        )
    raw["schema_version"] = SCHEMA_VERSION
    return raw


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"settings file {path} does not hold an object")
    if int(raw.get("schema_version", 1)) < SCHEMA_VERSION:
        shutil.copy2(path, path.with_suffix(f".v{raw.get('schema_version', 1)}.bak"))
    return Settings.from_dict(raw)


def save_settings(path: Path, settings: Settings) -> None:
    """Validate, then replace the file atomically so a crash never leaves half a settings file."""
    settings.validate()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(settings), out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
