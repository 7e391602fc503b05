"""Signing this PC in to the service and out again, and how far the profile is set up.

The device token goes to the keystore, never to the settings file; the settings keep only who is
signed in and as which device.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from app.connect import device_name, keystore_for, service_client
from app.core.errors import KeepsakeError
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile


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


def setup(profile: Profile) -> Setup:
    settings = profile.load()
    keystore = keystore_for(profile)
    return Setup(
        server_url=settings.server_url,
        email=settings.email,
        signed_in=bool(settings.email and keystore.get(TOKEN_SECRET)),
        has_key=bool(settings.set_id and keystore.get(MASTER_KEY_SECRET)),
        folders=tuple(settings.folders),
    )


def sign_in(
    profile: Profile, server_url: str, email: str, password: str, *, create_account: bool
) -> SignedIn:
    settings = profile.load()
    settings.server_url = server_url.strip().rstrip("/")
    settings.validate()
    client = service_client(profile, settings, require_login=False)
    if create_account:
        client.signup(email, password)
    name = settings.device_name or device_name()
    result = client.login(email, password, name)
    keystore_for(profile).set(TOKEN_SECRET, result.token)
    settings.email = email
    settings.account_id = result.account_id
    settings.device_id = result.device_id
    settings.device_name = name
    profile.save(settings)
    return signed_in(profile)


def signed_in(profile: Profile) -> SignedIn:
    """Who is signed in, and whether the account already has backups (then: a new PC)."""
    settings = profile.load()
    client = service_client(profile, settings)
    return SignedIn(
        email=settings.email or "",
        existing_sets=len(client.list_sets()),
        kit_on_service=client.get_recovery_kit() is not None,
    )


def sign_out(profile: Profile) -> None:
    """Forget the device token; protection must already be stopped (the facade does that)."""
    settings = profile.load()
    with contextlib.suppress(KeepsakeError):  # sign out here even if the service is away
        service_client(profile, settings).logout()
    keystore_for(profile).delete(TOKEN_SECRET)
