"""Starts a REAL Keepsake service process on a free loopback port for tests.

    with running_service(tmp_path) as service:
        service.create_account("a@example.org", "correct horse", plan="PRO")
        requests.get(service.url + "/healthz")

The service runs as `python -m server.cli serve` with its own data folder, its log (JSON lines)
goes to `DATA_DIR/service.log` (printed when it fails to start), and it is killed at interpreter
exit even if a test forgets to stop it. Its clock can be moved with `set_time` (the `--clock-file`
aid); `extra_args` and `env` add serve options (a safety copy, TLS, SMTP settings...).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
_LIVE: set[subprocess.Popen[bytes]] = set()


def _kill_leftovers() -> None:
    for process in list(_LIVE):
        with contextlib.suppress(Exception):
            process.kill()
            process.wait(timeout=5)


atexit.register(_kill_leftovers)


def _environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPSAKE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceStartError(RuntimeError):
    pass


class RunningService:
    """A started service process. `url` has no trailing slash."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        process: subprocess.Popen[bytes],
        scheme: str = "http",
        env: Mapping[str, str] | None = None,
        location: Sequence[str] = (),
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.url = f"{scheme}://127.0.0.1:{port}"
        self.process = process
        self.log_path = data_dir / "service.log"
        self.clock_path = data_dir / "clock"
        self._env = dict(env or {})
        self._location = list(location)  # storage options the admin commands need too

    def admin(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run `keepsake-server admin --data-dir DATA_DIR ARGS...` against this service's data."""
        command = [sys.executable, "-m", "server.cli", "admin", "--data-dir", str(self.data_dir)]
        return subprocess.run(
            [*command, *self._location, *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env=_environment(self._env),
            cwd=REPO_ROOT,
            timeout=120,
            check=False,
        )

    def create_account(self, email: str, password: str, plan: str = "PRO") -> None:
        result = self.admin("create-account", email, "--plan", plan, input=password + "\n")
        if result.returncode != 0:
            raise RuntimeError(f"create-account {email} failed: {result.stderr.strip()}")

    def set_time(self, when: datetime | None) -> None:
        """Move the service's clock (None: back to the real time)."""
        if when is None:
            self.clock_path.unlink(missing_ok=True)
            return
        stamp = when.astimezone(UTC).isoformat() if when.tzinfo else when.isoformat() + "+00:00"
        temp = self.clock_path.with_suffix(".tmp")
        temp.write_text(stamp, encoding="utf-8")
        temp.replace(self.clock_path)

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_lines(self) -> list[dict[str, Any]]:
        """The log's JSON lines (anything else, e.g. a crash's raw output, fails the parse)."""
        return [json.loads(line) for line in self.log().splitlines() if line.strip()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _LIVE.discard(self.process)

    def __enter__(self) -> RunningService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_service(
    data_dir: Path,
    attempts: int = 3,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    tls_context: ssl.SSLContext | None = None,
    location: Sequence[str] = (),
) -> RunningService:
    """Start a service on a free port and wait until /healthz answers.

    `location` holds options that both `serve` and the admin commands need (e.g. a copy store);
    `extra_args` those for `serve` only. With `tls_context` the service is reached over HTTPS.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    last_error = ""
    scheme = "https" if tls_context is not None else "http"
    for _ in range(attempts):
        port = free_port()
        log_path = data_dir / "service.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "serve",
                    "--data-dir",
                    str(data_dir),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--clock-file",
                    str(data_dir / "clock"),
                    "--parent-pid",
                    str(os.getpid()),
                    *location,
                    *extra_args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=_environment(env),
                cwd=REPO_ROOT,
            )
        _LIVE.add(process)
        service = RunningService(data_dir, port, process, scheme, env, location)
        if _wait_healthy(service, tls_context):
            return service
        service.stop()
        last_error = service.log()
        if "address already in use" not in last_error.lower():
            break
    raise ServiceStartError(f"the service did not start; its log:\n{last_error}")


def _wait_healthy(service: RunningService, tls_context: ssl.SSLContext | None = None) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(
                service.url + "/healthz", timeout=2, context=tls_context
            ) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def running_service(data_dir: Path, **options: Any) -> Iterator[RunningService]:
    service = start_service(data_dir, **options)
    try:
        yield service
    finally:
        service.stop()
