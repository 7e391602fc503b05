"""Profiles signed in to the real test service, and a second pair of eyes to read the backup.

`signed_in_profile` does in-process what `keepsake login` + `keepsake init` do (without the
recovery kit's Argon2 calibration, which protection does not need). `Reader` opens the same
backup set through its own profile folder and index, so checking snapshots never shares an index
with the protector under test.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.connect import Connection, connect, keystore_for
from app.core.keys import generate_master_key
from app.core.repository import SnapshotInfo
from app.core.tree import Node, NodeType
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile
from app.storage.service import ServiceClient
from tests.support.service import RunningService


def signed_in_profile(
    service: RunningService, home: Path, folders: list[Path], **settings_values: object
) -> Profile:
    """A profile signed in to a new PRO account, with a key, a set, and these folders."""
    os.environ["KEEPSAKE_KEYSTORE"] = "file"
    email = f"protect-{secrets.token_hex(6)}@example.org"
    password = secrets.token_urlsafe(12)
    service.create_account(email, password, plan="PRO")
    profile = Profile.open(home)
    login = ServiceClient(service.url, None).login(email, password, "test-pc")
    keystore = keystore_for(profile)
    keystore.set(TOKEN_SECRET, login.token)
    set_id = secrets.token_hex(16)
    ServiceClient(service.url, login.token).create_set(set_id)
    keystore.set(MASTER_KEY_SECRET, generate_master_key().hex())
    settings = profile.load()
    settings.server_url = service.url
    settings.email = email
    settings.account_id = login.account_id
    settings.device_id = login.device_id
    settings.device_name = "test-pc"
    settings.set_id = set_id
    settings.folders = [os.fspath(f) for f in folders]
    for key, value in settings_values.items():
        setattr(settings, key, value)
    profile.save(settings)
    return profile


@contextmanager
def reader(profile: Profile, scratch: Path) -> Iterator[Connection]:
    """The profile's backup set through a separate profile folder and index."""
    home = scratch / f"reader-{secrets.token_hex(4)}"
    home.mkdir(parents=True)
    shutil.copy2(profile.settings_path, home / "settings.json")
    shutil.copytree(profile.secrets_dir, home / "secrets")
    other = Profile.open(home)
    conn = connect(other)
    try:
        conn.repo.rebuild_index()
        yield conn
    finally:
        conn.close()


def snapshot_files(conn: Connection, snap: SnapshotInfo) -> dict[str, Node]:
    """Every file and link in a snapshot by snapshot path ("Docs/a/b.txt")."""
    out: dict[str, Node] = {}
    stack = [n.name for n in conn.repo.ls(snap, "")]
    while stack:
        path = stack.pop()
        node = conn.repo.find(snap, path)
        if node.type is NodeType.DIR:
            stack.extend(f"{path}/{child.name}" for child in conn.repo.ls(snap, path))
        else:
            out[path] = node
    return out


def snapshot_dirs(conn: Connection, snap: SnapshotInfo) -> set[str]:
    out: set[str] = set()
    stack = [n.name for n in conn.repo.ls(snap, "") if n.type is NodeType.DIR]
    while stack:
        path = stack.pop()
        out.add(path)
        stack.extend(f"{path}/{c.name}" for c in conn.repo.ls(snap, path) if c.type is NodeType.DIR)
    return out


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Cable:
    """A loopback TCP relay in front of the service that can be unplugged and plugged back in,
    on the same port: a network outage as the client sees it. `sent` counts the bytes that went
    from the client to the service: what an upload limit must hold on the wire."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._lock = threading.Lock()
        self.sent = 0
        self._conns: list[socket.socket] = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._listener: socket.socket | None = None
        self.plug()

    def plug(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def unplug(self) -> None:
        """Refuse new connections and cut every open one."""
        with self._lock:
            listener, self._listener = self._listener, None
            conns, self._conns = self._conns, []
        if listener is not None:
            _shut(listener)  # wakes the accepting thread, so the port is free at once
            listener.close()
        for conn in conns:
            _shut(conn)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self._target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(
                target=_pipe, args=(client, upstream, self._count), daemon=True
            ).start()
            threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()

    def _count(self, n: int) -> None:
        with self._lock:
            self.sent += n


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _pipe(
    src: socket.socket, dst: socket.socket, count: Callable[[int], None] | None = None
) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
            if count is not None:
                count(len(data))
    except OSError:
        pass
    finally:
        _shut(src)
        _shut(dst)
