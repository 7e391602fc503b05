"""Is this PC on battery, or on a metered connection? `None` where the platform cannot tell.

Continuous protection asks before uploading when the person chose "not on battery" or "not on a
metered connection". Each answer comes from the cheapest reliable source per OS, with no extra
dependency; anything unknown is `None`, which means "go ahead".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

POWER_SUPPLY = Path("/sys/class/power_supply")


def on_battery() -> bool | None:
    if sys.platform.startswith("linux"):
        return _linux_on_battery(POWER_SUPPLY)
    if sys.platform == "darwin":
        return _macos_on_battery()
    if sys.platform == "win32":
        return _windows_on_battery()
    return None


def _linux_on_battery(root: Path) -> bool | None:
    """On battery when there is a battery and no mains/USB supply reports online."""
    try:
        supplies = list(root.iterdir())
    except OSError:
        return None
    has_battery = False
    for supply in supplies:
        kind = _read(supply / "type")
        if kind == "Battery":
            has_battery = has_battery or _read(supply / "present") != "0"
        elif kind in {"Mains", "USB", "USB_C", "USB_PD"} and _read(supply / "online") == "1":
            return False
    return True if has_battery else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _macos_on_battery() -> bool | None:
    try:
        out = subprocess.run(
            ["pmset", "-g", "batt"], capture_output=True, text=True, timeout=2, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    if "Battery Power" in out:
        return True
    if "AC Power" in out:
        return False
    return None


def _windows_on_battery() -> bool | None:
    import ctypes

    class _Status(ctypes.Structure):
        _fields_ = [
            ("ACLineStatus", ctypes.c_byte),
            ("BatteryFlag", ctypes.c_byte),
            ("BatteryLifePercent", ctypes.c_byte),
            ("SystemStatusFlag", ctypes.c_byte),
            ("BatteryLifeTime", ctypes.c_ulong),
            ("BatteryFullLifeTime", ctypes.c_ulong),
        ]

    status = _Status()
    if not ctypes.windll.kernel32.GetSystemPowerStatus(ctypes.byref(status)):  # type: ignore[attr-defined]
        return None
    return {0: True, 1: False}.get(status.ACLineStatus)


def metered() -> bool | None:
    """NetworkManager's own verdict on Linux; other platforms do not tell us cheaply."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        out = subprocess.run(
            ["nmcli", "-t", "-f", "GENERAL.METERED", "dev", "show"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    verdicts = [line.split(":", 1)[1] for line in out.splitlines() if ":" in line]
    if not verdicts:
        return None
    return any(v.startswith("yes") for v in verdicts)
