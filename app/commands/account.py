"""Signing in and out, account status, and the key: init, recovery-kit export and import."""

from __future__ import annotations

import argparse
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from app.commands.io import emit_json, human_bytes, read_secret, say
from app.connect import (
    NotLoggedIn,
    connect,
    device_name,
    keystore_for,
    load_master_key,
    service_client,
)
from app.core.errors import KeepsakeError, KeyNotFound
from app.core.index import Index
from app.core.keys import derive_subkeys, generate_master_key
from app.core.recoverykit import (
    KitInfo,
    export_kit,
    generate_recovery_code,
    import_kit,
)
from app.core.repository import Repository
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile

LOST_KEY_WARNING = (
    "Keep the recovery kit and its passphrase or recovery code somewhere safe, away from this PC. "
    "Your files are encrypted with a key that only exists on this PC: if the PC is lost and you "
    "have neither the kit nor its passphrase/code, nobody - not even Keepsake - can restore them."
)


def cmd_login(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    settings.server_url = args.server.rstrip("/")
    settings.validate()
    password = read_secret("Password: ", confirm=args.signup)
    client = service_client(profile, settings, require_login=False)
    if args.signup:
        client.signup(args.email, password)
    result = client.login(args.email, password, args.device_name or device_name())
    keystore = keystore_for(profile)
    keystore.set(TOKEN_SECRET, result.token)
    settings.email = args.email
    settings.account_id = result.account_id
    settings.device_id = result.device_id
    settings.device_name = args.device_name or device_name()
    profile.save(settings)
    if not keystore.is_secure_keychain:
        say(
            "note: no system keychain is available; the sign-in token is kept in a file only "
            "you can read in the profile folder."
        )
    say(f"Signed in as {args.email} on {settings.server_url}.")
    return 0


def cmd_logout(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    keystore = keystore_for(profile)
    try:
        service_client(profile, settings).logout()
    except NotLoggedIn:
        say("Not signed in.")
        return 0
    except KeepsakeError as exc:
        say(f"warning: the service could not be told ({exc}); signing out here anyway")
    keystore.delete(TOKEN_SECRET)
    say("Signed out.")
    return 0


def cmd_init(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    client = service_client(profile, settings)
    keystore = keystore_for(profile)
    if settings.set_id and keystore.get(MASTER_KEY_SECRET):
        raise KeepsakeError("this profile already has a backup key; nothing to do")
    passphrase = read_secret(
        "Choose a passphrase for your recovery kit (empty: use only the recovery code): ",
        confirm=True,
        allow_empty=True,
    )
    master = generate_master_key()
    set_id = secrets.token_hex(16)
    client.create_set(set_id)
    keystore.set(MASTER_KEY_SECRET, master.hex())
    settings.set_id = set_id
    if args.default_folders:
        settings.folders = _default_folders(settings.folders)
    profile.save(settings)
    kit_path = Path(args.kit) if args.kit else profile.default_kit_path
    code = _write_kit(profile, master, set_id, passphrase, kit_path, upload=args.upload_kit)
    if not keystore.is_secure_keychain:
        say(
            "note: no system keychain is available; the backup key is kept in a file only you "
            "can read in the profile folder."
        )
    say("Backup key created on this PC.")
    say(f"Recovery kit written to {kit_path}")
    say(f"Recovery code: {code}")
    say(LOST_KEY_WARNING)
    return 0


def _default_folders(existing: list[str]) -> list[str]:
    import platformdirs

    found = list(existing)
    for folder in (platformdirs.user_documents_dir(), platformdirs.user_pictures_dir()):
        if os.path.isdir(folder) and folder not in found:
            found.append(folder)
    return found


def _write_kit(
    profile: Profile,
    master: bytes,
    set_id: str,
    passphrase: str,
    kit_path: Path,
    *,
    upload: bool,
) -> str:
    settings = profile.load()
    code = generate_recovery_code()
    info = KitInfo(
        set_id=set_id,
        account=settings.email or "",
        server=settings.server_url,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    data = export_kit(master, info, passphrase or code, recovery_code=code if passphrase else None)
    kit_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(kit_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    if upload:
        service_client(profile, settings).put_recovery_kit(data)
    return code


def cmd_key_export(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    if not settings.set_id:
        raise KeyNotFound("no backup key in this profile: run `keepsake init` first")
    master = load_master_key(profile)
    passphrase = read_secret(
        "Passphrase for the exported kit (empty: use only a recovery code): ",
        confirm=True,
        allow_empty=True,
    )
    out = Path(args.out) if args.out else profile.default_kit_path
    code = _write_kit(profile, master, settings.set_id, passphrase, out, upload=args.upload)
    say(f"Recovery kit written to {out}")
    say(f"Recovery code: {code}")
    say(LOST_KEY_WARNING)
    return 0


def cmd_key_import(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    if args.from_service:
        data = service_client(profile, settings).get_recovery_kit()
        if data is None:
            raise KeepsakeError("no copy of the recovery kit is stored on the service")
    else:
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise KeepsakeError(
                f"cannot read the recovery kit {args.file}: {exc.strerror}"
            ) from exc
    secret = read_secret("Passphrase or recovery code: ")
    master, info = import_kit(data, secret)
    keystore_for(profile).set(MASTER_KEY_SECRET, master.hex())
    settings.set_id = info.set_id
    profile.save(settings)
    say(f"Backup key imported (backup set {info.set_id[:8]}…).")
    try:
        conn = connect(profile)
    except NotLoggedIn:
        say("Sign in with `keepsake login` to reach your backups.")
        return 0
    try:
        conn.repo.rebuild_index()
        count = len(conn.repo.snapshots())
    finally:
        conn.close()
    say(f"Found {count} snapshot(s) on the service; `keepsake restore` can bring them back.")
    return 0


def cmd_status(profile: Profile, args: argparse.Namespace) -> int:
    settings = profile.load()
    keystore = keystore_for(profile)
    status: dict[str, object] = {
        "profile": str(profile.home),
        "server": settings.server_url,
        "email": settings.email,
        "signed_in": bool(keystore.get(TOKEN_SECRET)),
        "key": bool(settings.set_id and keystore.get(MASTER_KEY_SECRET)),
        "keystore": keystore.backend_name,
        "folders": settings.folders,
    }
    if status["signed_in"]:
        status["account"] = service_client(profile, settings).account_status()
    if status["key"] and status["signed_in"]:
        index = Index(profile.index_path)
        try:
            subkeys = derive_subkeys(load_master_key(profile), settings.set_id or "")
            store = service_client(profile, settings).set_store(settings.set_id or "")
            repo = Repository(subkeys, store, store, index, settings.device_name or device_name())
            snaps = repo.snapshots()
            status["snapshots"] = len(snaps)
            status["last_backup"] = snaps[-1].time if snaps else None
        finally:
            index.close()
    if args.json:
        emit_json(status)
        return 0
    say(f"Server:    {settings.server_url}")
    say(f"Account:   {settings.email or '(not signed in)'}")
    say(f"Key:       {'on this PC' if status['key'] else 'none'} ({keystore.backend_name})")
    say("Folders:   " + (", ".join(settings.folders) or "(none)"))
    account = status.get("account")
    if isinstance(account, dict):
        quota = account.get("quota_bytes")
        say(f"Plan:      {account.get('plan')} ({account.get('state')})")
        say(f"Storage:   {human_bytes(account.get('usage_bytes'))} of {human_bytes(quota)}")
        say(f"Devices:   {account.get('devices_used')} of {account.get('devices_allowed')}")
        for warning in account.get("warnings") or []:
            say(f"Warning:   {warning.get('message')}")
    if "snapshots" in status:
        say(f"Snapshots: {status['snapshots']} (last: {status.get('last_backup') or 'never'})")
    return 0
