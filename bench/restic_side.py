"""Drives restic (the Debian package) through the benchmark: a local repository, zstd default.

Why restic: it is the peer users compare us with, and 0.14 compresses with zstd by default, so
repository sizes are comparable with ours. Everything runs with the program's defaults.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from measure import run_measured, tree_bytes
from steps import StepResult


class Restic:
    """restic with a repository, cache and password private to this run."""

    name = "restic"

    def __init__(self, workdir: Path, tree: Path, log_dir: Path, binary: str = "restic") -> None:
        found = shutil.which(binary)
        if found is None:
            raise FileNotFoundError("restic is not installed (Debian: apt-get install restic)")
        self.binary = found
        self.tree = tree.resolve()
        self.repo = workdir / "restic-repo"
        self.log_dir = log_dir
        self.env = {
            **os.environ,
            "RESTIC_REPOSITORY": str(self.repo),
            "RESTIC_PASSWORD": secrets.token_urlsafe(24),
            "RESTIC_CACHE_DIR": str(workdir / "restic-cache"),
        }

    def _run(self, name: str, *args: str) -> Any:
        return run_measured(
            [self.binary, *args], log_dir=self.log_dir, name=f"restic-{name}", env=self.env
        )

    def setup(self) -> dict[str, Any]:
        self._run("init", "init")
        return {"version": self._run("version", "version").stdout.strip()}

    def warm(self) -> None:
        self._run("warm", "version")

    def backup(self, step: str) -> StepResult:
        before = tree_bytes(self.repo)
        m = self._run(step, "backup", "--json", "--host", "bench", str(self.tree))
        summary: dict[str, Any] = {}
        for line in m.stdout.splitlines():
            if '"summary"' in line:
                summary = json.loads(line)
        return StepResult(
            m.seconds, m.peak_rss_kib, tree_bytes(self.repo) - before, {"summary": summary}
        )

    def restore_all(self, dest: Path, step: str) -> tuple[StepResult, Path]:
        m = self._run(step, "restore", "latest", "--host", "bench", "--target", str(dest))
        return StepResult(m.seconds, m.peak_rss_kib), dest / self.tree.relative_to("/")

    def restore_file(self, rel: str, dest: Path, step: str) -> tuple[StepResult, Path]:
        source = self.tree / rel
        m = self._run(
            step,
            "restore",
            "latest",
            "--host",
            "bench",
            "--target",
            str(dest),
            "--include",
            str(source),
        )
        return StepResult(m.seconds, m.peak_rss_kib), dest / source.relative_to("/")

    def close(self) -> dict[str, Any]:
        return {"repo_bytes": tree_bytes(self.repo)}
