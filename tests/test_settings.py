"""Settings are declared once, validated, saved atomically, and never hold a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.settings import SCHEMA_VERSION, Settings, SettingsError, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "settings.json")
    assert settings == Settings()
    assert settings.folders == [] and settings.continuous is True


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(
        email="a@example.com",
        folders=[str(tmp_path)],
        daily_time="03:30",
        upload_limit_kib=512,
        exclude_patterns=["*.iso"],
    )
    save_settings(path, settings)
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    "change",
    [
        {"server_url": "ftp://example.com"},
        {"daily_time": "25:00"},
        {"daily_time": "noon"},
        {"upload_limit_kib": -1},
        {"folders": ["relative/path"]},
    ],
)
def test_invalid_values_are_refused_with_a_clear_error(tmp_path: Path, change: dict) -> None:  # type: ignore[type-arg]
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({**Settings().__dict__, **change}))
    with pytest.raises(SettingsError):
        load_settings(path)


def test_a_newer_schema_is_refused_not_silently_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(SettingsError, match="newer Keepsake"):
        load_settings(path)


def test_corrupt_file_is_an_error_not_a_reset(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(SettingsError):
        load_settings(path)
    assert path.read_text() == "{not json"


def test_invalid_settings_are_never_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(email="keep@example.com"))
    with pytest.raises(SettingsError):
        save_settings(path, Settings(daily_time="99:99"))
    assert load_settings(path).email == "keep@example.com"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
