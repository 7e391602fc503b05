"""The backup key and its recovery kit: create the key once, save the kit, bring a kit back in.

The master key lives only in the keystore; the kit file is written 0600 and the copy on the
service is the encrypted kit, never the key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.connect import Connection, keystore_for, service_client
from app.core.errors import KeepsakeError, KeyNotFound
from app.core.keys import generate_master_key
from app.core.recoverykit import (
    KitInfo,
    export_kit,
    generate_recovery_code,
    import_kit,
    render_kit_page,
)
from app.profile import MASTER_KEY_SECRET, Profile


@dataclass(frozen=True)
class KitSaved:
    path: Path
    recovery_code: str = field(repr=False)
    uploaded: bool
    printable: str  # the kit as a printable page (plain text), for the print dialog


def create_key(profile: Profile) -> None:
    """Generate the master key on this PC and create its backup set; once per profile."""
    settings = profile.load()
    keystore = keystore_for(profile)
    if settings.set_id and keystore.get(MASTER_KEY_SECRET):
        return
    client = service_client(profile, settings)
    set_id = secrets.token_hex(16)
    client.create_set(set_id)
    keystore.set(MASTER_KEY_SECRET, generate_master_key().hex())
    settings.set_id = set_id
    profile.save(settings)


def save_kit(profile: Profile, path: Path, passphrase: str, *, upload: bool) -> KitSaved:
    """Write the recovery kit (0600) and optionally store the encrypted copy on the service.

    Also how the passphrase is changed: a new kit replaces the old file and service copy.
    """
    settings = profile.load()
    if not settings.set_id:
        raise KeyNotFound("there is no backup key on this PC yet")
    master = bytes.fromhex(keystore_for(profile).get(MASTER_KEY_SECRET) or "")
    if not master:
        raise KeyNotFound("the backup key is missing from this PC's keychain")
    code = generate_recovery_code()
    info = KitInfo(
        set_id=settings.set_id,
        account=settings.email or "",
        server=settings.server_url,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    data = export_kit(master, info, passphrase, recovery_code=code)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    if upload:
        service_client(profile, settings).put_recovery_kit(data)
    return KitSaved(path, code, upload, render_kit_page(data, code))


def bring_in_kit(
    profile: Profile,
    open_connection: Callable[[Profile], Connection],
    kit: Path | None,
    secret: str,
) -> int:
    """Use a kit file (or, with None, the copy on the service); returns the snapshots found."""
    settings = profile.load()
    if kit is None:
        data = service_client(profile, settings).get_recovery_kit()
        if data is None:
            raise KeepsakeError("no copy of the recovery kit is stored on the service")
    else:
        try:
            data = kit.read_bytes()
        except OSError as exc:
            raise KeepsakeError(f"cannot read the recovery kit {kit}: {exc.strerror}") from exc
    master, info = import_kit(data, secret)
    keystore_for(profile).set(MASTER_KEY_SECRET, master.hex())
    settings.set_id = info.set_id
    profile.save(settings)
    conn = open_connection(profile)
    try:
        conn.repo.rebuild_index()
        snapshots = conn.repo.snapshots()
    finally:
        conn.close()
    if snapshots and not settings.folders:
        settings.folders = [p for p in snapshots[-1].record.folders.values() if os.path.isabs(p)]
        profile.save(settings)
    return len(snapshots)
