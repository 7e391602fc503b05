"""Starts the Keepsake tray app when the person signs in to the PC, with one face per OS.

Linux (and other XDG desktops): a `.desktop` file in the user's autostart folder. Windows: a value
under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run. macOS: a LaunchAgent plist in
~/Library/LaunchAgents. All three are per-user and need no administrator rights, and removing the
entry is all it takes to stop. Callers use `is_enabled`, `enable` and `disable` (or `for_platform`
with an injected folder or registry in tests) and never touch `winreg` or plist files themselves.

The entry starts this very install: the frozen executable of a bundle, else the current interpreter
with `-m app.gui.main` (on Windows its windowless `pythonw.exe` when there is one).
"""

from __future__ import annotations

import importlib
import os
import plistlib
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import platformdirs

from app.core.errors import KeepsakeError

APP_MODULE = "app.gui.main"
DESKTOP_FILE = "keepsake.desktop"
AGENT_LABEL = "app.keepsake.tray"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Keepsake"


class AutostartError(KeepsakeError):
    """The login entry could not be read, written or removed; says which and why."""


class Autostart(Protocol):
    """What the app needs from an OS's "start at sign-in" mechanism."""

    def is_enabled(self) -> bool: ...

    def enable(self) -> None: ...

    def disable(self) -> None: ...


def launch_command() -> list[str]:
    """The command that starts this install's tray app."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    interpreter = Path(sys.executable)
    if sys.platform == "win32":
        windowless = interpreter.with_name("pythonw.exe")
        if windowless.exists():
            interpreter = windowless  # no console window flashing up at every sign-in
    return [str(interpreter), "-m", APP_MODULE]


def _write_atomically(path: Path, data: bytes) -> None:
    """A half-written entry must never be left behind, so write aside and rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(f"cannot remove the sign-in entry {path}: {exc.strerror}") from exc


# -- Linux and other XDG desktops ------------------------------------------------------------------

_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec_arg(arg: str) -> str:
    """One argument of a desktop entry's `Exec=` key, quoted as the Desktop Entry spec says:
    `%` doubled (field codes), reserved characters inside double quotes with `"`, `` ` ``, `$`
    and `\\` backslashed, then the string-value escapes (`\\\\`, `\\n`) applied on top."""
    arg = arg.replace("%", "%%")
    if any(ch in _EXEC_RESERVED for ch in arg) or not arg:
        arg = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg) + '"'
    return arg.replace("\\", "\\\\").replace("\n", "\\n")


class XdgAutostart:
    """A `keepsake.desktop` file in the autostart folder; `Hidden=true` there also means off."""

    def __init__(self, folder: Path, command: Sequence[str]) -> None:
        self.path = folder / DESKTOP_FILE
        self._command = list(command)

    def is_enabled(self) -> bool:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, NotADirectoryError):  # no entry, so not on
            return False
        except (OSError, UnicodeDecodeError) as exc:
            raise AutostartError(f"cannot read the sign-in entry {self.path}: {exc}") from exc
        off = {"hidden=true", "x-gnome-autostart-enabled=false"}
        return not any(line.replace(" ", "").lower() in off for line in lines)

    def enable(self) -> None:
        entry = "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                "Name=Keepsake",
                "Comment=Keeps your files backed up",
                "Exec=" + " ".join(desktop_exec_arg(a) for a in self._command),
                "Icon=keepsake",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
        try:
            _write_atomically(self.path, entry.encode("utf-8"))
        except OSError as exc:
            raise AutostartError(f"cannot write the sign-in entry {self.path}: {exc}") from exc

    def disable(self) -> None:
        _remove(self.path)


# -- macOS -----------------------------------------------------------------------------------------


class LaunchAgent:
    """A per-user LaunchAgent that runs the app once at login (`RunAtLoad`), never restarts it."""

    def __init__(self, folder: Path, command: Sequence[str]) -> None:
        self.path = folder / f"{AGENT_LABEL}.plist"
        self._command = list(command)

    def is_enabled(self) -> bool:
        try:
            with self.path.open("rb") as source:
                agent = plistlib.load(source)
        except (FileNotFoundError, NotADirectoryError):  # no entry, so not on
            return False
        except (OSError, plistlib.InvalidFileException, ValueError) as exc:
            raise AutostartError(f"cannot read the sign-in entry {self.path}: {exc}") from exc
        return isinstance(agent, dict) and not agent.get("Disabled", False)

    def enable(self) -> None:
        agent = {
            "Label": AGENT_LABEL,
            "ProgramArguments": self._command,
            "RunAtLoad": True,
            "KeepAlive": False,
            "ProcessType": "Interactive",
        }
        try:
            _write_atomically(self.path, plistlib.dumps(agent))
        except OSError as exc:
            raise AutostartError(f"cannot write the sign-in entry {self.path}: {exc}") from exc

    def disable(self) -> None:
        _remove(self.path)


# -- Windows ---------------------------------------------------------------------------------------


class RunValues(Protocol):
    """The values of one registry key, as the Run entry needs them."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def _winreg() -> Any:
    """`winreg`, imported only when used: it exists only on Windows (and its stubs say so, which
    would make mypy on Linux reject every use)."""
    return importlib.import_module("winreg")


class WinregRunValues:
    """HKCU's Run key through `winreg`."""

    def get(self, name: str) -> str | None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        winreg = _winreg()
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            return


class RunKey:
    """A `Keepsake` value under HKCU's Run key holding the quoted command line."""

    def __init__(self, values: RunValues, command: Sequence[str]) -> None:
        self._values = values
        self._command = list(command)

    def is_enabled(self) -> bool:
        try:
            return bool(self._values.get(RUN_VALUE))
        except OSError as exc:
            raise AutostartError(f"cannot read the sign-in entry: {exc}") from exc

    def enable(self) -> None:
        try:
            self._values.set(RUN_VALUE, subprocess.list2cmdline(self._command))
        except OSError as exc:
            raise AutostartError(f"cannot write the sign-in entry: {exc}") from exc

    def disable(self) -> None:
        try:
            self._values.delete(RUN_VALUE)
        except OSError as exc:
            raise AutostartError(f"cannot remove the sign-in entry: {exc}") from exc


# -- the one face ----------------------------------------------------------------------------------


def for_platform(
    platform: str | None = None,
    *,
    base: Path | None = None,
    registry: RunValues | None = None,
    command: Sequence[str] | None = None,
) -> Autostart:
    """The mechanism for `platform` (default: this PC's). `base` replaces the folder the entry
    goes in (XDG autostart or LaunchAgents), `registry` the Run key: both are for tests."""
    platform = platform or sys.platform
    command = list(command) if command is not None else launch_command()
    if platform == "win32":
        return RunKey(registry or WinregRunValues(), command)
    if platform == "darwin":
        return LaunchAgent(base or Path.home() / "Library" / "LaunchAgents", command)
    return XdgAutostart(base or Path(platformdirs.user_config_dir()) / "autostart", command)


def is_enabled(base: Path | None = None) -> bool:
    return for_platform(base=base).is_enabled()


def enable(base: Path | None = None) -> None:
    for_platform(base=base).enable()


def disable(base: Path | None = None) -> None:
    for_platform(base=base).disable()
