"""Runs the real `keepsake` command in a subprocess against a profile folder, as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Cli:
    home: Path

    def run(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env["KEEPSAKE_HOME"] = str(self.home)
        env["KEEPSAKE_KEYSTORE"] = "file"
        env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"keepsake {' '.join(args)} exited {done.returncode}\n"
                f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
            )
        return done

    def json(self, *args: str, input: str | None = None) -> Any:
        return json.loads(self.run(*args, "--json", input=input).stdout)

    def setup(
        self, url: str, email: str, password: str, passphrase: str = "correct horse battery"
    ) -> str:
        """Sign in and create the key; returns the recovery code the command printed."""
        self.run("login", "--server", url, "--email", email, input=password + "\n")
        out = self.run("init", "--kit", str(self.home / "kit.json"), input=passphrase + "\n").stdout
        for line in out.splitlines():
            if line.startswith("Recovery code:"):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"init printed no recovery code:\n{out}")
