"""Account calls the service client does not wrap: export my data, delete my account, and the
update check; `call_service` is shared with `account_changes`. A service too old to know an
endpoint answers 404, which becomes `ServiceLacksFeature` so the window can say "not yet"
instead of "not found"."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app import __version__
from app.connect import keystore_for
from app.core.errors import KeepsakeError, NotFound
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile
from app.storage.http import Transport, read_json, read_nothing


class ServiceLacksFeature(KeepsakeError):
    """The service answered 404 for an endpoint this app needs: it is older than the app."""


@dataclass(frozen=True)
class UpdateInfo:
    """What the service said about client releases. `latest` is None when it published none (or
    is too old to know); `url` is kept only when it is an http(s) address, so the link the app
    offers can never open a local file or run anything."""

    current: str
    latest: str | None
    url: str | None
    notes: str | None = None

    @property
    def available(self) -> bool:
        return self.latest is not None and _version_key(self.latest) > _version_key(self.current)


def export_my_data(profile: Profile, destination: Path) -> Path:
    """Save what the service holds about the person (`GET /v1/account/export`) as JSON."""
    answer = call_service(profile, "GET", "/v1/account/export", "export your data", read_json)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(json.dumps(answer, indent=2, sort_keys=True), encoding="utf-8")
    return destination


def delete_account(profile: Profile, password: str) -> None:
    """Delete the account on the service, then forget it here: token, key and backup set.
    Protection must be stopped first (the facade does that) so nothing uploads in between."""
    call_service(
        profile, "DELETE", "/v1/account", "delete the account", read_nothing, {"password": password}
    )


def forget_account(profile: Profile) -> None:
    """Remove the token, the key and the account's ids from this PC."""
    keystore = keystore_for(profile)
    keystore.delete(TOKEN_SECRET)
    keystore.delete(MASTER_KEY_SECRET)
    settings = profile.load()
    settings.email = settings.account_id = settings.device_id = settings.set_id = None
    profile.save(settings)


def check_for_updates(profile: Profile) -> UpdateInfo:
    """Ask the service which client version is current (`GET /v1/updates`), if it knows.
    `version: null` (nothing published) and a 404 (an older service) both mean "no news"."""
    path = f"/v1/updates?platform={_platform()}"
    try:
        answer = call_service(profile, "GET", path, "check for updates", read_json)
    except ServiceLacksFeature:
        return UpdateInfo(__version__, None, None)
    fields = answer if isinstance(answer, dict) else {}
    latest, url, notes = (fields.get(k) for k in ("version", "url", "notes"))
    if not isinstance(latest, str) or not latest.strip():
        return UpdateInfo(__version__, None, None)
    return UpdateInfo(
        __version__,
        latest.strip(),
        url if isinstance(url, str) and urlsplit(url).scheme in ("https", "http") else None,
        notes.strip() or None if isinstance(notes, str) else None,
    )


def _platform() -> str:
    """The service's platform names: windows, macos, linux (anything else is sent as it is)."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux" if sys.platform.startswith("linux") else sys.platform


def call_service(
    profile: Profile,
    method: str,
    path: str,
    what: str,
    read: Callable[[Any], Any],
    body: dict[str, Any] | None = None,
) -> Any:
    """One authenticated call as the signed-in device; `what` words the action for errors."""
    settings = profile.load()
    token = keystore_for(profile).get(TOKEN_SECRET)
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


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)
