"""Builds the engine's objects from a profile: keys from the keystore, the service client, the index.

The CLI, the agent and the GUI controller all open the repository through here, so there is one
place that knows how a profile becomes a working `Repository`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

from app.core.errors import KeepsakeError, KeyNotFound
from app.core.index import Index
from app.core.keys import Subkeys, derive_subkeys
from app.core.repository import Repository
from app.platform.keystore import Keystore
from app.profile import MASTER_KEY_SECRET, TOKEN_SECRET, Profile
from app.settings import Settings
from app.storage.backend import Backend
from app.storage.service import ServiceClient


class NotLoggedIn(KeepsakeError):
    def __init__(self) -> None:
        super().__init__("this PC is not signed in: run `keepsake login --server URL --email E`")


class NotInitialised(KeepsakeError):
    def __init__(self) -> None:
        super().__init__(
            "no backup key on this PC: run `keepsake init`, or `keepsake key import KIT` "
            "to use a recovery kit from another PC"
        )


def keystore_for(profile: Profile) -> Keystore:
    return Keystore(profile.profile_id, profile.secrets_dir)


def device_name() -> str:
    return socket.gethostname() or "this PC"


def service_client(
    profile: Profile, settings: Settings, *, require_login: bool = True
) -> ServiceClient:
    token = keystore_for(profile).get(TOKEN_SECRET)
    if require_login and not token:
        raise NotLoggedIn()
    return ServiceClient(settings.server_url, token, ca_bundle=settings.ca_bundle)


def load_master_key(profile: Profile) -> bytes:
    value = keystore_for(profile).get(MASTER_KEY_SECRET)
    if not value:
        raise KeyNotFound("no backup key is stored for this profile")
    return bytes.fromhex(value)


def subkeys_for(profile: Profile, settings: Settings) -> Subkeys:
    if not settings.set_id:
        raise NotInitialised()
    try:
        master = load_master_key(profile)
    except KeyNotFound as exc:
        raise NotInitialised() from exc
    return derive_subkeys(master, settings.set_id)


@dataclass
class Connection:
    """Everything an operation on the backup needs; close() releases the index."""

    profile: Profile
    settings: Settings
    client: ServiceClient
    repo: Repository
    index: Index

    def close(self) -> None:
        self.index.close()


def connect(profile: Profile, *, wrap: Callable[[Backend], Backend] | None = None) -> Connection:
    """`wrap` puts Backend wrappers around the set's packs (see `ServiceClient.set_store`)."""
    settings = profile.load()
    client = service_client(profile, settings)
    subkeys = subkeys_for(profile, settings)
    assert settings.set_id is not None
    store = client.set_store(settings.set_id, wrap=wrap)
    index = Index(profile.index_path)
    repo = Repository(subkeys, store, store, index, settings.device_name or device_name())
    return Connection(profile, settings, client, repo, index)
