"""Talks HTTP to the Keepsake service: one pooled, TLS-verified session; answers become errors.

Everything that crosses the wire goes through `Transport.call`, which decides what may be sent
again. Idempotent calls (reads, pack uploads, and commits, which the service answers with the
original result when the same commit arrives twice) are retried on connection failures, 5xx and
429; any other call (sign-up, log-in) only when the request provably never left this PC (no
connection could be opened), so nothing runs twice. A 4xx is never retried.
Tokens travel in the Authorization header only and are never logged.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from app.core.errors import (
    AuthenticationFailed,
    KeepsakeError,
    MissingPacks,
    NotFound,
    ObjectMissing,
    Permanent,
    QuotaExceeded,
    Retryable,
    SubscriptionLocked,
)
from app.storage.backend import Body, as_body
from app.storage.retry import RetryPolicy, retry_call

log = logging.getLogger(__name__)

T = TypeVar("T")

USER_AGENT = "Keepsake-client/1"
# A few concurrent pack uploads plus the odd metadata call, without "pool full" churn.
POOL_SIZE = 8


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 60.0  # also the longest wait for the answer to a whole 16 MiB upload


class NotSent(Retryable):
    """No connection could be opened: the request never left, so sending it again is safe."""


class ServiceUnavailable(Retryable):
    """5xx or 429: the service is busy or failing; `retry_after` is its hint, in seconds."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ServiceRefused(Permanent):
    """A 4xx answer without a more specific error class; `code` is the service's machine code."""

    def __init__(self, status: int, code: str | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class _BearerAuth(requests.auth.AuthBase):
    """Adds the device token; setting `session.auth`-style auth also keeps ~/.netrc out of play."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_BearerAuth(<hidden>)"


def make_session(pool_size: int = POOL_SIZE) -> requests.Session:
    session = requests.Session()
    # Retries are ours (Transport.call): urllib3 must not resend anything behind our back.
    adapter = HTTPAdapter(
        pool_connections=2, pool_maxsize=pool_size, max_retries=urllib3.Retry(0, read=False)
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def _check_base_url(base_url: str) -> str:
    """Plain HTTP only to this PC itself: a token must never cross a network unencrypted."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Permanent(f"the service address {base_url!r} is not an http(s) URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise Permanent("the service address must use https (plain http only for this PC)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise Permanent("the service address must not carry credentials, a query or a fragment")
    return base_url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Transport:
    """The one session to one service, with the device token and the retry rules."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_bundle: str | None = None,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = _check_base_url(base_url)
        if ca_bundle is not None and not os.path.isfile(ca_bundle):
            raise Permanent(f"the CA bundle {ca_bundle} does not exist")
        # Verification is always on; a custom bundle only changes which CAs are trusted.
        self._verify: bool | str = ca_bundle or True
        self._session = session or make_session()
        self._timeouts = timeouts or Timeouts()
        self._policy = policy or RetryPolicy.default()
        self._sleep = sleep
        self.token = token

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, token: str | None) -> None:
        self._token = token
        self._auth = _BearerAuth(token) if token else None

    def close(self) -> None:
        self._session.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        idempotent: bool,
        read: Callable[[requests.Response], T],
        ok: Container[int] = (200,),
        json_body: Any = None,
        body: bytes | Body | None = None,
        headers: Mapping[str, str] | None = None,
        missing: str | None = None,
    ) -> T:
        """Send one request (retrying as allowed) and turn its answer into `read(response)`.

        `what` names the action for messages ("upload pack 3fa4…"); `missing` names the object
        a 404 means is missing (ObjectMissing), otherwise a 404 is NotFound.
        """

        def attempt() -> T:
            return self._attempt(method, path, what, read, ok, json_body, body, headers, missing)

        return retry_call(
            attempt,
            self._policy,
            what=what,
            retry_on=Retryable if idempotent else NotSent,
            sleep=self._sleep,
        )

    def _attempt(
        self,
        method: str,
        path: str,
        what: str,
        read: Callable[[requests.Response], T],
        ok: Container[int],
        json_body: Any,
        body: bytes | Body | None,
        headers: Mapping[str, str] | None,
        missing: str | None,
    ) -> T:
        data: Iterable[bytes] | bytes | None = None
        if body is not None and len(body):
            # Sent piece by piece: one huge socket write could outlast the timeout on a slow link.
            data = cast("Iterable[bytes]", as_body(body))  # memoryview pieces, which urllib3 takes
        elif body is not None:
            data = b""  # an empty Body would go out chunked
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                data=data,
                json=json_body,
                headers=headers,
                auth=self._auth,
                timeout=(self._timeouts.connect, self._timeouts.read),
                verify=self._verify,
                allow_redirects=False,  # the API never redirects; a redirect is not followed
                stream=True,
            )
        except requests.RequestException as err:
            raise _connection_error(err, what, self.base_url) from err
        with response:
            log.debug("%s %s -> %d", method, path, response.status_code)
            if response.status_code not in ok:
                raise error_for(response, what, missing)
            try:
                return read(response)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as err:
                raise Retryable(f"could not {what}: the connection was lost") from err


def read_json(response: requests.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise Permanent("the service's answer could not be understood") from None


def read_bytes(response: requests.Response) -> bytes:
    """The whole body in one read (one buffer, no 10 KiB slices); short bodies raise."""
    data: bytes = response.raw.read(decode_content=True)
    return data


def read_nothing(response: requests.Response) -> None:
    response.content  # noqa: B018 - drain it, so the connection goes back to the pool


def _connection_error(err: requests.RequestException, what: str, base_url: str) -> KeepsakeError:
    host = urlsplit(base_url).netloc
    if isinstance(err, requests.exceptions.SSLError):
        text = str(err)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return Permanent(f"could not {what}: the TLS certificate of {host} is not trusted")
        return Retryable(f"could not {what}: the secure connection to {host} failed")
    if isinstance(err, requests.ConnectTimeout) or _never_connected(err):
        return NotSent(f"could not {what}: {host} cannot be reached")
    if isinstance(err, requests.Timeout):
        return Retryable(f"could not {what}: {host} did not answer in time")
    if isinstance(err, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        return Retryable(f"could not {what}: the connection to {host} was lost")
    return Permanent(f"could not {what}: {err.__class__.__name__}")


def _never_connected(err: requests.RequestException) -> bool:
    if not isinstance(err, requests.ConnectionError) or isinstance(
        err, requests.exceptions.ProxyError
    ):
        return False
    inner = err.args[0] if err.args else None
    return isinstance(inner, urllib3.exceptions.MaxRetryError) and isinstance(
        inner.reason, urllib3.exceptions.NewConnectionError
    )


def error_for(response: requests.Response, what: str, missing: str | None) -> KeepsakeError:
    """The error class for a non-success answer, with the service's own sentence."""
    status = response.status_code
    info = _error_body(response)
    code = info.get("error") if isinstance(info.get("error"), str) else None
    said = info.get("message")
    message = said if isinstance(said, str) and said else f"the service answered {status}"
    if status == 401:
        return AuthenticationFailed(message)
    if status == 402:
        since = info.get("since")
        return SubscriptionLocked(
            str(info.get("reason") or "locked"), since if isinstance(since, str) else None, message
        )
    if status == 404:
        return ObjectMissing(missing) if missing else NotFound(message)
    if status == 409 and code == "missing_packs":
        packs = info.get("packs")
        return MissingPacks([str(p) for p in packs] if isinstance(packs, list) else [], message)
    if status == 413:
        return QuotaExceeded(_int(info.get("used")), _int(info.get("allowed")), message)
    if status == 429 or status >= 500:
        return ServiceUnavailable(status, f"could not {what}: {message}", _retry_after(response))
    if 300 <= status < 400:
        return Permanent(f"could not {what}: the service answered with a redirect ({status})")
    return ServiceRefused(status, code, message)


def _error_body(response: requests.Response) -> dict[str, Any]:
    try:
        info = json.loads(response.content[:65536])
    except (ValueError, requests.RequestException, OSError):
        return {}
    return info if isinstance(info, dict) else {}


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
