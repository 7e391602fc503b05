"""Drives Keepsake through the benchmark: its own service on loopback and the `keepsake` CLI.

Why through the CLI and the real service: the numbers must be what a user gets (process start,
HTTP, encryption, the service's storage), measured the same way as restic's. The engine's peak
RSS is the CLI process's; the service's is reported on its own.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from measure import Measured, run_measured, tree_bytes
from service import Service
from steps import StepResult

# The CLI's command lines, one place to adjust when its contract moves. `{...}` are filled in.
CLI = ["-m", "app.cli"]
LOGIN = ["login", "--server", "{url}", "--email", "{email}"]
INIT = ["init"]
ADD_FOLDER = ["folders", "add", "{tree}"]
BACKUP = ["backup", "--json"]
RESTORE_ALL = ["restore", "--to", "{dest}", "--json"]
RESTORE_ONE = ["restore", "{path}", "--to", "{dest}", "--json"]
# Loads the client's code (not the GUI) without touching data: the analogue of `restic version`
# loading restic's binary, so a cold page cache does not charge Keepsake for reading .pyc files.
WARM = """
import importlib, pkgutil, app
for m in pkgutil.walk_packages(app.__path__, "app."):
    if not m.name.startswith(("app.gui", "app.__main__")):
        try:
            importlib.import_module(m.name)
        except Exception:
            pass
"""


def _fill(template: list[str], **values: str) -> list[str]:
    return [part.format(**values) for part in template]


def _last_json(text: str) -> dict[str, Any]:
    """The last JSON object the CLI printed (it may print progress lines before it)."""
    stripped = text.strip()
    try:
        value = json.loads(stripped)
        return value if isinstance(value, dict) else {"value": value}
    except ValueError:
        pass
    for line in reversed(stripped.splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


class Keepsake:
    """A fresh service, account, profile and key, private to this run."""

    name = "keepsake"

    def __init__(self, repo_root: Path, workdir: Path, tree: Path, log_dir: Path) -> None:
        self.repo_root = repo_root
        self.tree = tree.resolve()
        self.label = self.tree.name
        self.log_dir = log_dir
        self.profile = workdir / "keepsake-profile"
        self.email = "bench@example.com"
        self.password = secrets.token_urlsafe(18)
        self.passphrase = "bench " + secrets.token_urlsafe(18)
        pythonpath = os.pathsep.join(p for p in (str(repo_root), os.environ.get("PYTHONPATH")) if p)
        base = {**os.environ, "PYTHONPATH": pythonpath}
        self.env = {**base, "KEEPSAKE_HOME": str(self.profile), "KEEPSAKE_KEYSTORE": "file"}
        self.service = Service(repo_root, workdir / "keepsake-service", log_dir, base)

    def _cli(self, name: str, args: list[str], stdin_text: str | None = None) -> Measured:
        return run_measured(
            [sys.executable, *CLI, *args],
            log_dir=self.log_dir,
            name=f"keepsake-{name}",
            env=self.env,
            cwd=self.repo_root,
            stdin_text=stdin_text,
        )

    def setup(self) -> dict[str, Any]:
        self.profile.mkdir(parents=True, exist_ok=True)
        # An installed Keepsake runs from compiled bytecode (pip writes it at install time, the
        # bundle carries it); a checkout may have none, e.g. under PYTHONDONTWRITEBYTECODE, and
        # would then compile every module again in every measured step.
        run_measured(
            [sys.executable, "-m", "compileall", "-q", "app", "server"],
            log_dir=self.log_dir,
            name="keepsake-compile",
            env=self.env,
            cwd=self.repo_root,
        )
        url = self.service.start()
        self.service.create_account(self.email, self.password)
        self._cli("login", _fill(LOGIN, url=url, email=self.email), self.password + "\n")
        self._cli("init", INIT, self.passphrase + "\n")
        self._cli("folders-add", _fill(ADD_FOLDER, tree=str(self.tree)))
        return {"service_url": url, "peak_reset_works": self.service.reset_peak()}

    def warm(self) -> None:
        run_measured(
            [sys.executable, "-c", WARM],
            log_dir=self.log_dir,
            name="keepsake-warm",
            env=self.env,
            cwd=self.repo_root,
        )

    def _step(self, name: str, args: list[str]) -> tuple[Measured, int, dict[str, Any]]:
        """Runs one measured CLI step; returns it, the service's peak RSS and its JSON output."""
        self.service.reset_peak()
        m = self._cli(name, args)
        return m, self.service.peak_rss_kib(), _last_json(m.stdout)

    def backup(self, step: str) -> StepResult:
        packs = self.service.data_dir / "packs"
        before, packs_before = tree_bytes(self.service.data_dir), tree_bytes(packs)
        m, service_rss, out = self._step(step, BACKUP)
        added = tree_bytes(self.service.data_dir) - before
        extra = {
            "service_peak_rss_kib": service_rss,
            "packs_added": tree_bytes(packs) - packs_before,
            "json": out,
        }
        return StepResult(m.seconds, m.peak_rss_kib, added, extra)

    def restore_all(self, dest: Path, step: str) -> tuple[StepResult, Path]:
        m, service_rss, out = self._step(step, _fill(RESTORE_ALL, dest=str(dest)))
        result = StepResult(
            m.seconds, m.peak_rss_kib, None, {"service_peak_rss_kib": service_rss, "json": out}
        )
        return result, dest / self.label

    def restore_file(self, rel: str, dest: Path, step: str) -> tuple[StepResult, Path]:
        args = _fill(RESTORE_ONE, path=f"{self.label}/{rel}", dest=str(dest))
        m, service_rss, out = self._step(step, args)
        result = StepResult(
            m.seconds, m.peak_rss_kib, None, {"service_peak_rss_kib": service_rss, "json": out}
        )
        return result, dest / Path(rel).name

    def close(self) -> dict[str, Any]:
        facts = {
            "repo_bytes": tree_bytes(self.service.data_dir),
            "profile_bytes": tree_bytes(self.profile),
        }
        facts["service_lifetime_peak_rss_kib"] = self.service.stop()
        return facts
