"""One app per profile: a second launch wakes the first instead of starting again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.gui.single_instance import SingleInstance

REPO = Path(__file__).resolve().parents[2]


def test_a_second_instance_wakes_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path / "app.lock", "profile-a")
    assert first.acquire()
    try:
        second = SingleInstance(tmp_path / "app.lock", "profile-a")
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert not second.acquire()
        other_profile = SingleInstance(tmp_path / "other.lock", "profile-b")
        assert other_profile.acquire()  # another profile runs side by side
        other_profile.release()
    finally:
        first.release()
    third = SingleInstance(tmp_path / "app.lock", "profile-a")
    assert third.acquire()  # released: the next launch becomes the one
    third.release()


def test_launching_the_app_again_brings_the_running_one_forward(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from app.profile import Profile

    profile = Profile.open(tmp_path / "profile")
    running = SingleInstance(profile.home / "app.lock", profile.profile_id)
    assert running.acquire()
    launch: subprocess.Popen[bytes] | None = None
    try:
        env = dict(
            os.environ, QT_QPA_PLATFORM="offscreen", KEEPSAKE_KEYSTORE="file", PYTHONPATH=str(REPO)
        )
        with qtbot.waitSignal(running.activated, timeout=30_000):
            launch = subprocess.Popen(
                [sys.executable, "-m", "app.gui.main", "--home", str(profile.home)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            while launch.poll() is None:
                qtbot.wait(50)
        assert launch.returncode == 0, launch.stderr.read() if launch.stderr else ""
    finally:
        running.release()
        if launch is not None and launch.poll() is None:
            launch.kill()
            launch.wait(10)


def test_the_app_starts_and_a_second_launch_leaves_it_running(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KEEPSAKE_KEYSTORE="file",
        PYTHONPATH=str(REPO),
        HOME=str(tmp_path / "home"),
    )
    home = tmp_path / "profile"
    first = subprocess.Popen(
        [sys.executable, "-m", "app.gui.main", "--home", str(home)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (home / "app.lock").exists():
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "app.gui.main", "--home", str(home)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert first.poll() is None  # the first one is still running, now woken
    finally:
        first.terminate()
        first.wait(30)
