"""The one face the desktop app talks to: sign-in, the key and its recovery kit, folders, protection,
the account and its privacy rights, and browsing and restoring snapshots.

Qt-free and blocking on purpose: the GUI's bridge runs every call that touches disk or network on
a worker thread, and tests drive it directly. It does what `app/commands` do for the terminal, in
the shapes a window needs (small frozen dataclasses), and holds no widget state.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app import __version__
from app.connect import Connection, connect, device_name, keystore_for, service_client
from app.core.errors import KeepsakeError, KeyNotFound, NotFound
from app.core.keys import generate_master_key
from app.core.progress import Cancelled, CancelToken, Events, NoEvents
from app.core.recoverykit import (
    KitInfo,
    export_kit,
    generate_recovery_code,
    import_kit,
    render_kit_page,
)
from app.core.restore import Conflict, restore
from app.core.tree import Node, NodeType
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile
from app.protect.folders import default_folders
from app.protect.protector import Protector
from app.protect.state import ProtectionState
from app.settings import Settings
from app.storage.http import Transport, read_json, read_nothing

FOLDER_SIZE_BUDGET_S = 3.0  # a size that takes longer to add up is shown as "at least ..."


class ServiceLacksFeature(KeepsakeError):
    """The service answered 404 for an endpoint this app needs: it is older than the app."""


@dataclass(frozen=True)
class Setup:
    """How far this profile is set up; the first-run wizard starts where this says."""

    server_url: str
    email: str | None
    signed_in: bool
    has_key: bool
    folders: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return self.signed_in and self.has_key


@dataclass(frozen=True)
class SignedIn:
    email: str
    existing_sets: int  # backup sets the account already holds: > 0 means "a new PC"
    kit_on_service: bool


@dataclass(frozen=True)
class KitSaved:
    path: Path
    recovery_code: str = field(repr=False)
    uploaded: bool
    printable: str  # the kit as a printable page (plain text), for the print dialog


@dataclass(frozen=True)
class FolderSize:
    path: str
    size: int
    complete: bool  # False: adding up took too long; the real size is larger


@dataclass(frozen=True)
class AccountWarning:
    code: str
    date: str | None
    message: str


@dataclass(frozen=True)
class Device:
    device_id: str
    name: str
    last_seen_at: str | None
    current: bool


@dataclass(frozen=True)
class AccountStatus:
    email: str
    plan: str
    state: str
    quota_bytes: int | None
    usage_bytes: int
    retention_days: int
    devices_used: int
    devices_allowed: int | None
    paid_until: str | None
    lock_reason: str | None
    locked_since: str | None
    delete_data_at: str | None
    warnings: tuple[AccountWarning, ...]
    devices: tuple[Device, ...]
    account_page: str

    @property
    def locked(self) -> bool:
        return self.lock_reason is not None


@dataclass(frozen=True)
class UpdateInfo:
    current: str
    latest: str | None
    url: str | None

    @property
    def available(self) -> bool:
        return self.latest is not None and _version_key(self.latest) > _version_key(self.current)


class Controller:
    """Everything the GUI can ask for. Thread-safe enough for a worker pool: the protector and the
    restore sessions keep their own locks, and the settings file is replaced atomically."""

    def __init__(
        self,
        profile: Profile,
        *,
        protector_factory: Callable[[Profile], Protector] = Protector,
        open_connection: Callable[[Profile], Connection] = connect,
    ) -> None:
        self.profile = profile
        self._protector_factory = protector_factory
        self._open_connection = open_connection
        self._protector: Protector | None = None
        self._lock = threading.RLock()

    # -- setup -----------------------------------------------------------------------------------

    def setup(self) -> Setup:
        settings = self.profile.load()
        keystore = keystore_for(self.profile)
        return Setup(
            server_url=settings.server_url,
            email=settings.email,
            signed_in=bool(settings.email and keystore.get(TOKEN_SECRET)),
            has_key=bool(settings.set_id and keystore.get(MASTER_KEY_SECRET)),
            folders=tuple(settings.folders),
        )

    def settings(self) -> Settings:
        return self.profile.load()

    def save_settings(self, settings: Settings) -> Settings:
        """Validate and store; a running protector picks the change up at once."""
        home = self.profile.home
        for folder in settings.folders:
            if Path(folder) == home or Path(folder).is_relative_to(home):
                raise KeepsakeError("Keepsake's own data folder cannot be backed up")
        self.profile.save(settings)
        with self._lock:
            if self._protector is not None:
                self._protector.reload_settings()
        return settings

    def set_folders(self, folders: list[str]) -> Settings:
        settings = self.profile.load()
        settings.folders = list(dict.fromkeys(folders))
        return self.save_settings(settings)

    def sign_in(
        self, server_url: str, email: str, password: str, *, create_account: bool = False
    ) -> SignedIn:
        settings = self.profile.load()
        settings.server_url = server_url.strip().rstrip("/")
        settings.validate()
        client = service_client(self.profile, settings, require_login=False)
        if create_account:
            client.signup(email, password)
        name = settings.device_name or device_name()
        result = client.login(email, password, name)
        keystore_for(self.profile).set(TOKEN_SECRET, result.token)
        settings.email = email
        settings.account_id = result.account_id
        settings.device_id = result.device_id
        settings.device_name = name
        self.profile.save(settings)
        return self.signed_in()

    def signed_in(self) -> SignedIn:
        """Who is signed in, and whether the account already has backups (then: a new PC)."""
        settings = self.profile.load()
        client = service_client(self.profile, settings)
        return SignedIn(
            email=settings.email or "",
            existing_sets=len(client.list_sets()),
            kit_on_service=client.get_recovery_kit() is not None,
        )

    def sign_out(self) -> None:
        self.stop_protection()
        settings = self.profile.load()
        with contextlib.suppress(KeepsakeError):  # sign out here even if the service is away
            service_client(self.profile, settings).logout()
        keystore_for(self.profile).delete(TOKEN_SECRET)

    # -- the key and the recovery kit ------------------------------------------------------------

    def create_key(self) -> None:
        """Generate the master key on this PC and create its backup set; once per profile."""
        settings = self.profile.load()
        keystore = keystore_for(self.profile)
        if settings.set_id and keystore.get(MASTER_KEY_SECRET):
            return
        client = service_client(self.profile, settings)
        set_id = secrets.token_hex(16)
        client.create_set(set_id)
        keystore.set(MASTER_KEY_SECRET, generate_master_key().hex())
        settings.set_id = set_id
        self.profile.save(settings)

    def save_kit(self, path: Path, passphrase: str, *, upload: bool) -> KitSaved:
        """Write the recovery kit (0600) and optionally store the encrypted copy on the service.

        Also how the passphrase is changed: a new kit replaces the old file and service copy.
        """
        settings = self.profile.load()
        if not settings.set_id:
            raise KeyNotFound("there is no backup key on this PC yet")
        master = bytes.fromhex(keystore_for(self.profile).get(MASTER_KEY_SECRET) or "")
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
            service_client(self.profile, settings).put_recovery_kit(data)
        return KitSaved(path, code, upload, render_kit_page(data, code))

    def import_kit(self, kit: Path | None, secret: str) -> int:
        """Use a kit file (or, with None, the copy on the service); returns the snapshots found."""
        settings = self.profile.load()
        if kit is None:
            data = service_client(self.profile, settings).get_recovery_kit()
            if data is None:
                raise KeepsakeError("no copy of the recovery kit is stored on the service")
        else:
            try:
                data = kit.read_bytes()
            except OSError as exc:
                raise KeepsakeError(f"cannot read the recovery kit {kit}: {exc.strerror}") from exc
        master, info = import_kit(data, secret)
        keystore_for(self.profile).set(MASTER_KEY_SECRET, master.hex())
        settings.set_id = info.set_id
        self.profile.save(settings)
        conn = self._open_connection(self.profile)
        try:
            conn.repo.rebuild_index()
            snapshots = conn.repo.snapshots()
        finally:
            conn.close()
        if snapshots and not settings.folders:
            settings.folders = [
                p for p in snapshots[-1].record.folders.values() if os.path.isabs(p)
            ]
            self.profile.save(settings)
        return len(snapshots)

    # -- folders ---------------------------------------------------------------------------------

    def suggested_folders(self) -> list[str]:
        """The folders already chosen (e.g. brought in by a recovery kit), else Documents and
        Pictures: what the first-run wizard ticks."""
        return list(self.profile.load().folders) or default_folders()

    def folder_size(self, path: str, *, budget_s: float = FOLDER_SIZE_BUDGET_S) -> FolderSize:
        return folder_size(path, budget_s=budget_s)

    # -- protection ------------------------------------------------------------------------------

    def start_protection(self, on_state: Callable[[ProtectionState], None]) -> ProtectionState:
        """Start continuous protection (idempotent); `on_state` is called on engine threads."""
        with self._lock:
            if self._protector is None:
                protector = self._protector_factory(self.profile)
                protector.state.subscribe(on_state)
                protector.start()
                self._protector = protector
            return self._protector.state.get()

    def stop_protection(self) -> None:
        with self._lock:
            protector, self._protector = self._protector, None
        if protector is not None:
            protector.stop()

    def _running(self) -> Protector:
        with self._lock:
            if self._protector is None:
                raise KeepsakeError("protection is not running: finish setting up Keepsake first")
            return self._protector

    def back_up_now(self) -> None:
        self._running().back_up_now()

    def pause(self, until: datetime | None) -> None:
        self._running().pause(until)

    def resume(self) -> None:
        self._running().resume()

    def report(self) -> Any:
        return self._running().report()

    # -- the account -----------------------------------------------------------------------------

    def account_status(self) -> AccountStatus:
        settings = self.profile.load()
        client = service_client(self.profile, settings)
        raw = client.account_status()
        devices = tuple(
            Device(
                str(d.get("device_id", "")),
                str(d.get("name", "")),
                d.get("last_seen_at"),
                bool(d.get("current")),
            )
            for d in client.devices()
        )
        return _account_status(raw, devices, settings.server_url)

    def export_my_data(self, destination: Path) -> Path:
        """Save what the service holds about the person (`GET /v1/account/export`) as JSON."""
        answer = self._privacy_call("GET", "/v1/account/export", "export your data", read_json)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(json.dumps(answer, indent=2, sort_keys=True), encoding="utf-8")
        return destination

    def delete_account(self, password: str) -> None:
        """Delete the account on the service, then forget it here: token, key and backup set."""
        self._privacy_call(
            "DELETE", "/v1/account", "delete the account", read_nothing, {"password": password}
        )
        self.stop_protection()
        keystore = keystore_for(self.profile)
        keystore.delete(TOKEN_SECRET)
        keystore.delete(MASTER_KEY_SECRET)
        settings = self.profile.load()
        settings.email = settings.account_id = settings.device_id = settings.set_id = None
        self.profile.save(settings)

    def _privacy_call(
        self,
        method: str,
        path: str,
        what: str,
        read: Callable[[Any], Any],
        body: dict[str, str] | None = None,
    ) -> Any:
        settings = self.profile.load()
        token = keystore_for(self.profile).get(TOKEN_SECRET)
        transport = Transport(settings.server_url, token, ca_bundle=settings.ca_bundle)
        try:
            return transport.call(
                method,
                path,
                what=what,
                idempotent=method == "GET",
                read=read,
                ok=(200, 204),
                json_body=body,
            )
        except NotFound as exc:
            raise ServiceLacksFeature(
                f"the Keepsake service cannot {what} yet (it answered 'not found')"
            ) from exc
        finally:
            transport.close()

    def check_for_updates(self) -> UpdateInfo:
        """Ask the service which client version is current (`GET /v1/updates`), if it knows."""
        try:
            answer = self._privacy_call("GET", "/v1/updates", "check for updates", read_json)
        except ServiceLacksFeature:
            return UpdateInfo(__version__, None, None)
        latest = answer.get("version") if isinstance(answer, dict) else None
        url = answer.get("url") if isinstance(answer, dict) else None
        return UpdateInfo(__version__, latest if isinstance(latest, str) else None, url)

    # -- restore ---------------------------------------------------------------------------------

    def open_restore(self) -> RestoreSession:
        """A browsing and restoring session for the restore wizard; close() it when done."""
        return RestoreSession(lambda: self._open_connection(self.profile))


def pause_until_tomorrow(now: datetime) -> datetime:
    """'Until tomorrow' means 06:00 local time the next day: a pause never eats a whole day."""
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)


def folder_size(
    path: str, *, budget_s: float, clock: Callable[[], float] | None = None
) -> FolderSize:
    """Add up a folder's file sizes, giving up (complete=False) after `budget_s` seconds."""
    now = clock or time.monotonic
    deadline = now() + budget_s
    total, stack = 0, [path]
    while stack:
        if now() > deadline:
            return FolderSize(path, total, False)
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return FolderSize(path, total, True)


def _account_status(raw: dict[str, Any], devices: tuple[Device, ...], server: str) -> AccountStatus:
    warnings = tuple(
        AccountWarning(str(w.get("code", "")), w.get("date"), str(w.get("message", "")))
        for w in raw.get("warnings") or []
        if isinstance(w, dict)
    )
    lock = raw.get("lock_reason") or raw.get("locked_reason")
    since = raw.get("locked_since") or raw.get("since")
    if lock is None and raw.get("state") in ("overdue", "ended"):
        lock = raw.get("state")
    if lock is not None and since is None:
        since = next((w.date for w in warnings if w.code in ("locked", "data_deletion")), None)
    return AccountStatus(
        email=str(raw.get("email", "")),
        plan=str(raw.get("plan", "")),
        state=str(raw.get("state", "")),
        quota_bytes=raw.get("quota_bytes"),
        usage_bytes=int(raw.get("usage_bytes") or 0),
        retention_days=int(raw.get("retention_days") or 30),
        devices_used=int(raw.get("devices_used") or len(devices)),
        devices_allowed=raw.get("devices_allowed"),
        paid_until=raw.get("paid_until"),
        lock_reason=str(lock) if lock else None,
        locked_since=since,
        delete_data_at=raw.get("delete_data_at"),
        warnings=warnings,
        devices=devices,
        account_page=str(raw.get("account_page") or f"{server.rstrip('/')}/account"),
    )


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


# -- restore sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    seq: int
    time: datetime
    device: str
    folders: dict[str, str]  # label -> original absolute path


@dataclass(frozen=True)
class Entry:
    """One row of the restore tree: `path` is the snapshot path ("Documents/taxes/2024.pdf")."""

    path: str
    name: str
    kind: str  # "file", "dir", "symlink"
    size: int
    mtime: datetime | None
    deleted: bool = False  # not in the chosen snapshot; `snapshot_id` is where it was last seen
    snapshot_id: str = ""

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"


@dataclass(frozen=True)
class Version:
    snapshot_id: str
    time: datetime
    size: int
    mtime: datetime | None


@dataclass(frozen=True)
class RestoreItem:
    snapshot_id: str
    path: str


@dataclass(frozen=True)
class RestoreOutcome:
    files_restored: int
    bytes_written: int
    skipped: tuple[tuple[str, str], ...]  # (snapshot path, why it was left alone)
    failures: tuple[tuple[str, str], ...]  # (snapshot path, why)
    cancelled: bool


class RestoreSession:
    """One open connection for the restore wizard. Calls are serialised (one index connection);
    folders are listed one at a time, so a 20,000-file snapshot is never loaded whole."""

    def __init__(self, open_connection: Callable[[], Connection]) -> None:
        self._open = open_connection
        self._conn: Connection | None = None
        self._lock = threading.RLock()
        self._snapshots: dict[str, Any] = {}

    def _repo(self) -> Any:
        if self._conn is None:
            self._conn = self._open()
        return self._conn.repo

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def snapshots(self) -> list[Snapshot]:
        with self._lock:
            infos = self._repo().snapshots()
            self._snapshots = {s.snapshot_id: s for s in infos}
            return [_snapshot(s) for s in infos]

    def _info(self, snapshot_id: str) -> Any:
        if snapshot_id not in self._snapshots:
            self.snapshots()
        try:
            return self._snapshots[snapshot_id]
        except KeyError:
            raise NotFound(f"snapshot {snapshot_id[:8]} is not on the service") from None

    def ls(self, snapshot_id: str, path: str, *, include_deleted: bool = False) -> list[Entry]:
        """One folder of one snapshot; with `include_deleted`, also what older snapshots had
        there and this one does not (newest such version first wins)."""
        with self._lock:
            info = self._info(snapshot_id)
            rows = [_entry(path, n, snapshot_id) for n in self._repo().ls(info, path)]
            if not include_deleted:
                return rows
            present = {e.name for e in rows}
            older = [s for s in self._snapshots.values() if s.seq < info.seq]
            for other in sorted(older, key=lambda s: s.seq, reverse=True):
                try:
                    nodes = self._repo().ls(other, path)
                except NotFound:
                    continue
                for node in nodes:
                    if node.name not in present:
                        present.add(node.name)
                        rows.append(_entry(path, node, other.snapshot_id, deleted=True))
            return sorted(rows, key=lambda e: (not e.is_dir, e.name.lower()))

    def versions(self, path: str) -> list[Version]:
        with self._lock:
            found = self._repo().versions(path)
            return [
                Version(s.snapshot_id, _parse_time(s.time), n.size, _ns_time(n.mtime_ns))
                for s, n in found
            ]

    def search(
        self, snapshot_id: str, text: str, *, limit: int = 500, cancel: CancelToken | None = None
    ) -> list[Entry]:
        """Names containing `text` (case-insensitive), walking the snapshot on this worker."""
        needle = text.casefold()
        found: list[Entry] = []
        with self._lock:
            info = self._info(snapshot_id)
            stack = [""]
            while stack and len(found) < limit:
                if cancel is not None and cancel.cancelled:
                    break
                folder = stack.pop()
                for node in self._repo().ls(info, folder):
                    entry = _entry(folder, node, snapshot_id)
                    if needle in node.name.casefold():
                        found.append(entry)
                    if entry.is_dir:
                        stack.append(entry.path)
        return found[:limit]

    def restore(
        self,
        items: list[RestoreItem],
        target: Path | None,
        conflict: str,
        *,
        events: Events | None = None,
        cancel: CancelToken | None = None,
    ) -> RestoreOutcome:
        """Restore the items (grouped by snapshot) to their original place (target None) or into
        `target`; `conflict` is "overwrite", "keep-both" or "skip"."""
        files = written = 0
        skipped: list[tuple[str, str]] = []
        failures: list[tuple[str, str]] = []
        cancelled = False
        by_snapshot: dict[str, list[str]] = {}
        for item in items:
            by_snapshot.setdefault(item.snapshot_id, []).append(item.path)
        if target is not None:
            target.mkdir(parents=True, exist_ok=True)
        with self._lock:
            for snapshot_id, paths in by_snapshot.items():
                info = self._info(snapshot_id)
                try:
                    result = restore(
                        self._repo(),
                        info,
                        paths,
                        target,
                        conflict=Conflict(conflict),
                        events=events or NoEvents(),
                        cancel=cancel or CancelToken(),
                    )
                except Cancelled:
                    cancelled = True
                    break
                files += result.files_restored
                written += result.bytes_written
                skipped.extend(_pairs(result.skipped))
                failures.extend(_pairs(result.failures))
        return RestoreOutcome(files, written, tuple(skipped), tuple(failures), cancelled)


def _pairs(rows: Any) -> list[tuple[str, str]]:
    """(path, reason) rows; a bare path gets an empty reason."""
    return [(row, "") if isinstance(row, str) else (str(row[0]), str(row[1])) for row in rows]


def _snapshot(info: Any) -> Snapshot:
    return Snapshot(
        info.snapshot_id,
        info.seq,
        _parse_time(info.time),
        str(info.record.device),
        dict(info.record.folders),
    )


def _entry(folder: str, node: Node, snapshot_id: str, *, deleted: bool = False) -> Entry:
    kind = {NodeType.FILE: "file", NodeType.DIR: "dir", NodeType.SYMLINK: "symlink"}[node.type]
    path = f"{folder}/{node.name}" if folder else node.name
    return Entry(
        path, node.name, kind, node.size or 0, _ns_time(node.mtime_ns), deleted, snapshot_id
    )


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _ns_time(ns: int | None) -> datetime | None:
    return datetime.fromtimestamp(ns / 1e9, UTC) if ns else None
