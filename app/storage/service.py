"""ServiceClient: the account, device, set and recovery-kit calls of the service API v1.

The engine's storage for one backup set comes from `set_store()`. Everything shares one
`Transport` (one pooled, TLS-verified session). Passwords and tokens are sent, never logged.
"""

from __future__ import annotations

import builtins
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from app.core.errors import NotFound, Permanent
from app.storage.backend import Backend
from app.storage.http import Timeouts, Transport, read_bytes, read_json, read_nothing
from app.storage.retry import RetryPolicy
from app.storage.setstore import ServicePacks, SetStore, check_id

log = logging.getLogger(__name__)

_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
_BAD_ANSWER = "the service's answer could not be understood"


@dataclass(frozen=True)
class LoginResult:
    device_id: str
    token: str = field(repr=False)
    account_id: str


class ServiceClient:
    """One service, one device token (None until `login`)."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        ca_bundle: str | None = None,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._t = Transport(
            base_url,
            token,
            ca_bundle=ca_bundle,
            session=session,
            timeouts=timeouts,
            policy=policy,
            sleep=sleep,
        )

    @property
    def base_url(self) -> str:
        return self._t.base_url

    @property
    def token(self) -> str | None:
        return self._t.token

    def close(self) -> None:
        self._t.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # No device token needed

    def healthz(self) -> dict[str, Any]:
        return _obj(
            self._t.call(
                "GET", "/healthz", what="check the service", idempotent=True, read=read_json
            )
        )

    def signup(self, email: str, password: str) -> str:
        """Create an account (plan FREE); returns its id. Not resent once it may have arrived."""
        answer = self._t.call(
            "POST",
            "/v1/accounts",
            what="create the account",
            idempotent=False,
            read=read_json,
            ok=(201,),
            json_body={"email": email, "password": password},
        )
        return _field(answer, "account_id")

    def login(self, email: str, password: str, device_name: str) -> LoginResult:
        """Register this PC as a device; the client uses the new token from then on."""
        answer = self._t.call(
            "POST",
            "/v1/sessions",
            what="log in",
            idempotent=False,
            read=read_json,
            ok=(201,),
            json_body={"email": email, "password": password, "device_name": device_name},
        )
        result = LoginResult(
            device_id=_field(answer, "device_id"),
            token=_field(answer, "token"),
            account_id=_field(answer, "account_id"),
        )
        self._t.token = result.token
        log.info("logged in as device %s", result.device_id)
        return result

    # Device token needed

    def logout(self) -> None:
        """End this device's session on the service and forget the token."""
        self._t.call(
            "DELETE",
            "/v1/sessions/current",
            what="log out",
            idempotent=True,
            read=read_nothing,
            ok=(204,),
        )
        self._t.token = None

    def account_status(self) -> dict[str, Any]:
        return _obj(
            self._t.call(
                "GET",
                "/v1/account",
                what="read the account status",
                idempotent=True,
                read=read_json,
            )
        )

    def devices(self) -> builtins.list[dict[str, Any]]:
        return _list(
            self._t.call("GET", "/v1/devices", what="list devices", idempotent=True, read=read_json)
        )

    def revoke_device(self, device_id: str) -> None:
        if not _DEVICE_ID.fullmatch(device_id):
            raise NotFound(f"no device {device_id!r}")
        self._t.call(
            "DELETE",
            f"/v1/devices/{device_id}",
            what=f"revoke device {device_id}",
            idempotent=True,
            read=read_nothing,
            ok=(204,),
        )

    def create_set(self, set_id: str) -> bool:
        """Create the backup set if needed; True when it is new."""
        status: int = self._t.call(
            "PUT",
            f"/v1/sets/{check_id(set_id, 'set')}",
            what=f"create backup set {set_id}",
            idempotent=True,
            read=_drain_status,
            ok=(200, 201),
            json_body={},
        )
        return status == 201

    def list_sets(self) -> builtins.list[dict[str, Any]]:
        return _list(
            self._t.call(
                "GET", "/v1/sets", what="list backup sets", idempotent=True, read=read_json
            )
        )

    def put_recovery_kit(self, data: bytes) -> None:
        self._t.call(
            "PUT",
            "/v1/recovery-kit",
            what="store the recovery kit",
            idempotent=True,
            read=read_nothing,
            ok=(200, 201, 204),
            body=data,
            headers={"Content-Type": "application/octet-stream"},
        )

    def get_recovery_kit(self) -> bytes | None:
        try:
            kit: bytes = self._t.call(
                "GET",
                "/v1/recovery-kit",
                what="fetch the recovery kit",
                idempotent=True,
                read=read_bytes,
            )
        except NotFound:
            return None
        return kit

    def set_store(
        self, set_id: str, *, wrap: Callable[[Backend], Backend] | None = None
    ) -> SetStore:
        """The engine's PackStore + CommitLog for one set.

        `wrap` puts Backend wrappers around the set's packs, for example
        `lambda packs: ConcurrencyLimited(Throttled(packs, bucket=shared_bucket), 3)`.
        Requests are already retried by the transport; a Retrying wrapper is not needed.
        """
        packs: Backend = ServicePacks(self._t, set_id)
        if wrap is not None:
            packs = wrap(packs)
        return SetStore(self._t, set_id, packs)


def _drain_status(response: requests.Response) -> int:
    read_nothing(response)
    return response.status_code


def _obj(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Permanent(_BAD_ANSWER)
    return value


def _list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Permanent(_BAD_ANSWER)
    return value


def _field(value: Any, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    if not isinstance(found, str) or not found:
        raise Permanent(_BAD_ANSWER)
    return found
