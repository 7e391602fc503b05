"""The account as the app shows it: plan, usage, devices, warnings and any lock, parsed leniently
from the service's answer so an older or newer service still gives a readable panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.connect import service_client
from app.profile import Profile


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


def account_status(profile: Profile) -> AccountStatus:
    settings = profile.load()
    client = service_client(profile, settings)
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
    return parse_account_status(raw, devices, settings.server_url)


def parse_account_status(
    raw: dict[str, Any], devices: tuple[Device, ...], server: str
) -> AccountStatus:
    """Accepts both the current and the older field names for a lock (`locked_reason`, `since`),
    and treats an overdue or ended subscription as locked even when the service omits a reason."""
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
