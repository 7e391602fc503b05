"""A restore's pack reads, answered without the framework's layers when all is well.

A full restore makes hundreds of ranged pack reads. Through FastAPI each small one cost the
service about 3 ms of processor, a sixth of it in a dozen middleware layers, routing and
dependency solving, which this lane skips. A read that succeeds is answered directly, after the
same checks (`routes_packs.locate`) and with the same answer and request-log line. Anything else
(an error of any kind, a missing token, a range that cannot be served) is handed to the full
application untouched, which answers it as it always does, so every error shape is made in one
place only.
"""

from __future__ import annotations

import re
import secrets
import time

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from server import logs

from .auth import MAX_TOKEN
from .context import Context
from .requestlog import REQUEST_ID_HEADER, incoming_id, log_request
from .routes_packs import OCTETS, PACK_ROUTE, locate, parse_range

_PATH = re.compile(r"/v1/sets/([^/]+)/packs/([^/]+)")

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class PackReads:
    """Serves `GET /v1/sets/{set_id}/packs/{pack_id}` when it succeeds; `fallback` otherwise."""

    def __init__(self, context: Context, fallback: ASGIApp, *, log: bool = True) -> None:
        self._context = context
        self._fallback = fallback
        self._log = log

    @staticmethod
    def handles(scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope.get("method") == "GET"
            and not scope.get("query_string")
            and _PATH.fullmatch(scope.get("path", "")) is not None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _PATH.fullmatch(scope["path"])
        headers: dict[bytes, bytes] = {}
        for name, value in scope.get("headers", ()):
            headers.setdefault(name, value)  # the first of repeated headers, as Starlette reads
        token = _bearer(headers.get(b"authorization"))
        if match is None or token is None:
            await self._fallback(scope, receive, send)
            return
        request_id = incoming_id(scope) or secrets.token_hex(8)
        context_token = logs.request_id.set(request_id)
        try:
            started = time.perf_counter()
            range_header = headers.get(b"range")
            answer = await anyio.to_thread.run_sync(
                self._read,
                token,
                match.group(1),
                match.group(2),
                None if range_header is None else range_header.decode("latin-1"),
            )
            if answer is None:
                await self._fallback(scope, receive, send)
                return
            status, response_headers, body = answer
            response_headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
            try:
                await send(
                    {"type": "http.response.start", "status": status, "headers": response_headers}
                )
                await send({"type": "http.response.body", "body": body})
            finally:  # also when the client went away mid-answer
                if self._log:
                    log_request("GET", PACK_ROUTE, status, started)
        finally:
            logs.request_id.reset(context_token)

    def _read(
        self, token: str, set_id: str, pack_id: str, range_header: str | None
    ) -> Answer | None:
        """The answer to a read that succeeds; None for the full application to answer."""
        try:
            key, size, checksum = locate(self._context, token, set_id, pack_id)
            wanted = parse_range(range_header, size)
            if wanted is None:
                body = self._context.store.get(key)
                named = (checksum.header.lower().encode(), checksum.hex.encode())
                return 200, _headers(len(body), named), body
            start, end = wanted
            body = self._context.store.get(key, start, end - start + 1)
        except Exception:  # the full application answers, or reports, every failure
            return None
        content_range = f"bytes {start}-{end}/{size}".encode("ascii")
        return 206, _headers(len(body), (b"content-range", content_range)), body


def _bearer(value: bytes | None) -> str | None:
    """The token of a well-formed `Bearer` header; None leaves the answer to the full app."""
    if value is None:
        return None
    scheme, _, credentials = value.decode("latin-1").partition(" ")
    token = credentials.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN:
        return None
    return token


def _headers(length: int, extra: tuple[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-length", str(length).encode("ascii")),
        (b"content-type", OCTETS.encode("ascii")),
        (b"accept-ranges", b"bytes"),
        extra,
    ]
