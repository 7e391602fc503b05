"""Starting at sign-in: each OS's entry is written where that OS looks, starts this install, and
goes away again; every test writes into its own temporary folder or a pretend registry."""

from __future__ import annotations

import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import KeepsakeError
from app.platform import autostart
from app.platform.autostart import AutostartError, desktop_exec_arg, for_platform

COMMAND = ["/opt/keepsake/bin/python3", "-m", "app.gui.main"]


def _exec_line(desktop_file: Path) -> str:
    lines = desktop_file.read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.startswith("Exec="))


def test_linux_entry_is_a_desktop_file_that_starts_the_tray_app(tmp_path: Path) -> None:
    entry = for_platform("linux", base=tmp_path, command=COMMAND)
    assert not entry.is_enabled()
    entry.enable()
    desktop_file = tmp_path / "keepsake.desktop"
    text = desktop_file.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n")
    assert "Type=Application\n" in text
    assert _exec_line(desktop_file) == "Exec=/opt/keepsake/bin/python3 -m app.gui.main"
    assert entry.is_enabled()
    entry.disable()
    assert not desktop_file.exists()
    assert not entry.is_enabled()
    entry.disable()  # already off: still fine


def test_linux_entry_goes_in_the_users_xdg_autostart_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for_platform("linux", command=COMMAND).enable()
    assert (tmp_path / "config" / "autostart" / "keepsake.desktop").is_file()


def test_linux_entry_switched_off_by_the_desktop_counts_as_off(tmp_path: Path) -> None:
    entry = for_platform("linux", base=tmp_path, command=COMMAND)
    entry.enable()
    desktop_file = tmp_path / "keepsake.desktop"
    desktop_file.write_text(desktop_file.read_text() + "Hidden=true\n")
    assert not entry.is_enabled()
    entry.enable()  # turning it on again writes a fresh entry
    assert entry.is_enabled()


def test_exec_quotes_paths_with_spaces_and_shell_characters(tmp_path: Path) -> None:
    assert desktop_exec_arg("/usr/bin/python3") == "/usr/bin/python3"
    assert desktop_exec_arg("/home/a b/py") == '"/home/a b/py"'
    assert desktop_exec_arg("/x/$HOME") == '"/x/\\\\$HOME"'  # \$ inside quotes, then \\ escaped
    assert desktop_exec_arg("/x/100%") == "/x/100%%"
    entry = for_platform("linux", base=tmp_path, command=["/home/Ann Lee/venv/bin/python"])
    entry.enable()
    assert _exec_line(tmp_path / "keepsake.desktop") == 'Exec="/home/Ann Lee/venv/bin/python"'


def test_default_command_is_this_interpreter_running_the_gui_module() -> None:
    assert autostart.launch_command() == [sys.executable, "-m", "app.gui.main"]


def test_a_frozen_bundle_starts_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/Applications/Keepsake.app/Contents/MacOS/Keepsake")
    assert autostart.launch_command() == ["/Applications/Keepsake.app/Contents/MacOS/Keepsake"]


def test_module_functions_use_this_platforms_entry(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("checks the Linux entry")
    assert not autostart.is_enabled(tmp_path)
    autostart.enable(tmp_path)
    assert autostart.is_enabled(tmp_path)
    assert _exec_line(tmp_path / "keepsake.desktop").endswith(" -m app.gui.main")
    autostart.disable(tmp_path)
    assert not autostart.is_enabled(tmp_path)


def test_macos_entry_is_a_launch_agent_run_at_load(tmp_path: Path) -> None:
    entry = for_platform("darwin", base=tmp_path, command=COMMAND)
    assert not entry.is_enabled()
    entry.enable()
    (plist,) = tmp_path.glob("*.plist")
    agent = plistlib.loads(plist.read_bytes())
    assert agent["Label"] == plist.stem
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True
    assert entry.is_enabled()
    agent["Disabled"] = True
    plist.write_bytes(plistlib.dumps(agent))
    assert not entry.is_enabled()
    entry.disable()
    assert list(tmp_path.iterdir()) == []


class PretendRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_windows_entry_is_a_quoted_run_value(tmp_path: Path) -> None:
    command = [r"C:\Program Files\Keepsake\Keepsake.exe", "--show"]
    key = PretendRunKey()
    entry = for_platform("win32", registry=key, command=command)
    assert not entry.is_enabled()
    entry.enable()
    assert key.values == {"Keepsake": r'"C:\Program Files\Keepsake\Keepsake.exe" --show'}
    assert key.values["Keepsake"] == subprocess.list2cmdline(command)
    assert entry.is_enabled()
    entry.disable()
    assert key.values == {}
    assert not entry.is_enabled()


def test_an_entry_that_cannot_be_written_says_where(tmp_path: Path) -> None:
    blocker = tmp_path / "autostart"
    blocker.write_text("a file where the folder should be")
    entry = for_platform("linux", base=blocker, command=COMMAND)
    with pytest.raises(AutostartError, match="autostart") as caught:
        entry.enable()
    assert isinstance(caught.value, KeepsakeError)  # the GUI can show it as a sentence
    assert not entry.is_enabled()
