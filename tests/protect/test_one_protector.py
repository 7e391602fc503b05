"""One protector per profile on a PC: the app and `keepsake agent` never both back up its folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.runlock import AlreadyRunning
from app.protect.protector import Protector
from tests.protect.support import signed_in_profile, wait_for
from tests.support.service import RunningService

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_protector_on_the_profile_is_refused_until_the_first_stops(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    first = Protector(profile, watch=False)
    second = Protector(profile, watch=False)
    first.start()
    try:
        with pytest.raises(AlreadyRunning, match="already protecting these folders"):
            second.start()
        with pytest.raises(AlreadyRunning):
            second.run_once()
    finally:
        first.stop()
    second.start()  # the first one let go
    second.stop()


def test_the_agent_refuses_to_start_while_another_program_protects_the_profile(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "a.txt").write_text("a\n")
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    app_side = Protector(profile, watch=False)
    app_side.start()
    try:
        env = {**os.environ, "KEEPSAKE_HOME": str(profile.home), "KEEPSAKE_KEYSTORE": "file"}
        agent = subprocess.run(
            [sys.executable, "-m", "app.cli", "agent"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert agent.returncode == 1
        assert "already protecting these folders" in agent.stderr
        assert "Traceback" not in agent.stderr
        wait_for(lambda: app_side.state.get().last_snapshot_id is not None, 30, "the app's backup")
    finally:
        app_side.stop()
