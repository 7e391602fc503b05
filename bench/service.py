"""Starts the Keepsake service on loopback for the benchmark, and watches its memory.

Why a real process: the benchmark must measure what a user gets, HTTP and all. The service's
peak RSS is read from /proc (VmHWM, reset per step through clear_refs when permitted), so the
report can show the engine's memory separately from the service's.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from measure import Measured, run_measured

# How the service is started and administered; adjust here if its command line changes.
SERVE = [
    "-m",
    "server.cli",
    "serve",
    "--data-dir",
    "{data}",
    "--host",
    "127.0.0.1",
    "--port",
    "{port}",
    "--log-level",
    "warning",
    "--no-access-log",
]
CREATE_ACCOUNT = [
    "-m",
    "server.cli",
    "admin",
    "--data-dir",
    "{data}",
    "create-account",
    "{email}",
    "--plan",
    "PRO",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fill(template: list[str], **values: str) -> list[str]:
    return [part.format(**values) for part in template]


class Service:
    """One service process with a private data folder, started and stopped by the benchmark."""

    def __init__(self, repo_root: Path, data_dir: Path, log_dir: Path, env: dict[str, str]) -> None:
        self.repo_root = repo_root
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.lifetime_peak_kib = 0

    def start(self, timeout: float = 60.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        argv = [sys.executable, *_fill(SERVE, data=str(self.data_dir), port=str(port))]
        with open(self.log_dir / "service.log", "wb") as log:
            self.proc = subprocess.Popen(
                argv,
                cwd=self.repo_root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"service exited {self.proc.returncode} at start:\n{self._tail()}"
                )
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as resp:
                    if json.load(resp).get("status") == "ok":
                        return self.url
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(
            f"service did not answer /healthz within {timeout:.0f} s:\n{self._tail()}"
        )

    def create_account(self, email: str, password: str) -> Measured:
        argv = [sys.executable, *_fill(CREATE_ACCOUNT, data=str(self.data_dir), email=email)]
        return run_measured(
            argv,
            log_dir=self.log_dir,
            name="service-create-account",
            env=self.env,
            cwd=self.repo_root,
            stdin_text=password + "\n",
        )

    def _pids(self) -> list[int]:
        """The service process and its descendants (in case it runs worker processes)."""
        if self.proc is None:
            return []
        pids, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        todo += [int(c) for c in fh.read().split()]
            except OSError:
                continue
        return pids

    def reset_peak(self) -> bool:
        """Resets the peak-RSS mark so the next reading covers one step; False if not permitted."""
        ok = True
        for pid in self._pids():
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as fh:
                    fh.write("5\n")
            except OSError:
                ok = False
        return ok

    def peak_rss_kib(self) -> int:
        """The service's peak RSS (KiB) since the last `reset_peak`; also kept as lifetime peak."""
        total = self._vm_hwm()
        self.lifetime_peak_kib = max(self.lifetime_peak_kib, total)
        return total

    def _vm_hwm(self) -> int:
        total = 0
        for pid in self._pids():
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1])
            except OSError:
                continue
        return total

    def stop(self) -> int:
        """Stops the service; returns its lifetime peak RSS (KiB): the highest VmHWM read.

        Not `wait4`'s figure: the service is started straight from the benchmark process, and
        Linux hands a process's peak RSS on across fork and exec (see measure.py), so that
        figure would be the benchmark's own peak whenever it is the larger."""
        if self.proc is None or self.proc.returncode is not None:
            return self.lifetime_peak_kib
        self.peak_rss_kib()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.lifetime_peak_kib

    def _tail(self) -> str:
        try:
            lines = (self.log_dir / "service.log").read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-20:])
