"""Profiles signed in to the real test service, and a second pair of eyes to read the backup.

`signed_in_profile` does in-process what `keepsake login` + `keepsake init` do (without the
recovery kit's Argon2 calibration, which protection does not need). `Reader` opens the same
backup set through its own profile folder and index, so checking snapshots never shares an index
with the protector under test.
"""

from __future__ import annotations

import os
import secrets
import shutil
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
        stack.extend(
            f"{path}/{c.name}" for c in conn.repo.ls(snap, path) if c.type is NodeType.DIR
        )
    return out


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
