"""Battery detection reads the kernel's power-supply folder; unknown means "go ahead"."""

from __future__ import annotations

from pathlib import Path

from app.platform.power import _linux_on_battery


def _supply(root: Path, name: str, **fields: str) -> None:
    (root / name).mkdir(parents=True)
    for key, value in fields.items():
        (root / name / key).write_text(value + "\n")


def test_laptop_unplugged_is_on_battery(tmp_path: Path) -> None:
    _supply(tmp_path, "BAT0", type="Battery", present="1")
    _supply(tmp_path, "AC", type="Mains", online="0")
    assert _linux_on_battery(tmp_path) is True


def test_laptop_plugged_in_is_not_on_battery(tmp_path: Path) -> None:
    _supply(tmp_path, "BAT0", type="Battery", present="1")
    _supply(tmp_path, "AC", type="Mains", online="1")
    assert _linux_on_battery(tmp_path) is False


def test_desktop_without_battery_cannot_tell(tmp_path: Path) -> None:
    assert _linux_on_battery(tmp_path) is None
    assert _linux_on_battery(tmp_path / "missing") is None
