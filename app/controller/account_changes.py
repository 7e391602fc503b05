"""Changes the person makes to their account from this PC: the account password, this PC's name
on the service, and the consent flags. Each is one service call as the signed-in device; the
service's refusals become errors the window can word (a wrong current password, a weak new one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.controller.account_status import Device
from app.controller.service_calls import call_service
from app.core.errors import KeepsakeError
from app.profile import Profile
from app.storage.http import ServiceRefused, read_json

WRONG_CURRENT = "wrong_current"
NOT_ACCEPTED = "not_accepted"


class PasswordRefused(KeepsakeError):
    """The service did not change the password. `reason` is `WRONG_CURRENT` (the current one did
    not match) or `NOT_ACCEPTED` (the new one is too short, too long or too common); the message
    is the service's own sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PasswordChanged:
    devices_signed_out: int


@dataclass(frozen=True)
class Consent:
    """One consent flag: off until the person turns it on; `meaning` is the service's words."""

    name: str
    granted: bool
    changed_at: str | None
    meaning: str


def change_password(
    profile: Profile, current: str, new: str, *, sign_out_other_devices: bool = True
) -> PasswordChanged:
    """Change the account password (`PUT /v1/account/password`). This PC stays signed in; the
    service signs every other device out unless told not to."""
    body = {
        "current_password": current,
        "new_password": new,
        "sign_out_other_devices": sign_out_other_devices,
    }
    try:
        answer = call_service(
            profile, "PUT", "/v1/account/password", "change the password", read_json, body
        )
    except ServiceRefused as exc:
        if exc.status == 403:
            raise PasswordRefused(WRONG_CURRENT, str(exc)) from exc
        if exc.status in (400, 422):
            raise PasswordRefused(NOT_ACCEPTED, str(exc)) from exc
        raise
    signed_out = answer.get("devices_signed_out") if isinstance(answer, dict) else None
    return PasswordChanged(signed_out if isinstance(signed_out, int) else 0)


def rename_this_device(profile: Profile, name: str) -> Device:
    """Give this PC a new name on the service (`PATCH /v1/devices/{id}`) and remember it here,
    so signing in again keeps it."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise KeepsakeError("a PC needs a name")
    settings = profile.load()
    if not settings.device_id:
        raise KeepsakeError("this PC is not signed in to a Keepsake account")
    path = f"/v1/devices/{quote(settings.device_id, safe='')}"
    answer = call_service(profile, "PATCH", path, "rename this PC", read_json, {"name": cleaned})
    device = _obj(answer)
    settings = profile.load()
    settings.device_name = str(device.get("name") or cleaned)
    profile.save(settings)
    return Device(
        str(device.get("device_id") or settings.device_id),
        settings.device_name,
        device.get("last_seen_at"),
        True,
    )


def consents(profile: Profile) -> tuple[Consent, ...]:
    """The account's consent flags (`GET /v1/account/consents`), in the service's order."""
    answer = call_service(profile, "GET", "/v1/account/consents", "read your consents", read_json)
    return _parse_consents(answer)


def set_consent(profile: Profile, name: str, granted: bool) -> tuple[Consent, ...]:
    """Turn one flag on or off; the others keep their value. Returns every flag as now stored."""
    answer = call_service(
        profile,
        "PUT",
        "/v1/account/consents",
        "save your consent",
        read_json,
        {name: bool(granted)},
    )
    return _parse_consents(answer)


def _parse_consents(answer: Any) -> tuple[Consent, ...]:
    return tuple(
        Consent(
            str(name),
            bool(flag.get("granted")),
            flag.get("changed_at") if isinstance(flag.get("changed_at"), str) else None,
            str(flag.get("meaning") or ""),
        )
        for name, flag in _obj(answer).items()
        if isinstance(flag, dict)
    )


def _obj(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise KeepsakeError("the service's answer could not be understood")
    return value
