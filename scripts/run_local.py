"""`make run`: the local service with its embedded defaults, a local account, and the app on top.

Runs the service on 127.0.0.1 (SQLite and a pack folder under the platform data dir), creates a
local account the first time (its generated password is kept in a 0600 file next to the service's
data), signs the app's profile in, and starts the desktop app; with no display it runs headless
and says so.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import platformdirs

HOST = "127.0.0.1"
PORT = int(os.environ.get("KEEPSAKE_PORT", "8420"))
URL = f"http://{HOST}:{PORT}"
EMAIL = "me@keepsake.local"


def _healthy() -> bool:
    try:
        with urllib.request.urlopen(f"{URL}/healthz", timeout=1) as reply:  # noqa: S310 (loopback)
            return bool(reply.status == 200)
    except OSError:
        return False


def _port_free() -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, PORT)) != 0


def start_service(data_dir: Path) -> subprocess.Popen[bytes] | None:
    if _healthy():
        print(f"Using the Keepsake service already running at {URL}.")
        return None
    if not _port_free():
        sys.exit(f"error: port {PORT} is taken by another program; set KEEPSAKE_PORT")
    log = open(data_dir / "service.log", "ab")  # noqa: SIM115 (kept open for the child)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--data-dir",
            str(data_dir),
            "--host",
            HOST,
            "--port",
            str(PORT),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(150):
        if _healthy():
            print(f"Keepsake service running at {URL} (data in {data_dir}).")
            return proc
        if proc.poll() is not None:
            sys.exit(f"error: the service did not start; see {data_dir / 'service.log'}")
        time.sleep(0.1)
    proc.terminate()
    sys.exit("error: the service did not answer within 15 s")


def local_password(data_dir: Path) -> tuple[str, bool]:
    """The local account's password, made and stored (0600) the first time."""
    path = data_dir / "local-account-password"
    if path.exists():
        return path.read_text().strip(), False
    password = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(password + "\n")
    return password, True


def keepsake(*args: str, stdin: str | None = None) -> int:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], input=stdin, text=True, check=False
    ).returncode


def ensure_account(data_dir: Path, password: str, created: bool) -> None:
    if not created:
        return
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "admin",
            "--data-dir",
            str(data_dir),
            "create-account",
            EMAIL,
            "--plan",
            "PRO",
        ],
        input=password + "\n",
        text=True,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 and "exists" not in (done.stderr + done.stdout):
        sys.exit(f"error: could not create the local account: {done.stderr.strip()}")
    print(f"Created the local account {EMAIL}.")


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main() -> int:
    data_dir = Path(platformdirs.user_data_dir("keepsake-server", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KEEPSAKE_SERVER_URL", URL)
    service = start_service(data_dir)
    try:
        password, created = local_password(data_dir)
        ensure_account(data_dir, password, created)
        return run_app(password)
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=15)


def run_app(password: str) -> int:
    import json

    from app.profile import Profile

    settings = Profile.open().load()
    signed_in = bool(settings.email)
    if not signed_in and keepsake(
        "login", "--server", URL, "--email", EMAIL, stdin=password + "\n"
    ):
        return 1
    gui_available = has_display()
    try:
        import app.gui.main
    except ImportError:
        gui_available = False
    if gui_available:
        return subprocess.run([sys.executable, "-m", "app.gui.main"], check=False).returncode
    print("No display (or no desktop app in this build): running headless.")
    if not settings.set_id and keepsake("init", "--default-folders", stdin="\n") != 0:
        return 1
    folders = json.loads(
        subprocess.run(
            [sys.executable, "-m", "app.cli", "folders", "list", "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    if not folders:
        print("No folders are protected yet: add one with `.venv/bin/keepsake folders add PATH`.")
    try:
        import app.commands.agent  # noqa: F401
    except ImportError:
        print("Continuous protection is not in this build yet: running one backup.")
        return keepsake("backup") if folders else 0
    print("Protecting your folders continuously (keepsake agent); press Ctrl+C to stop.")
    return keepsake("agent")


if __name__ == "__main__":
    sys.exit(main())
