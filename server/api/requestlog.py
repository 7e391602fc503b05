"""One structured log line per request: request id, method, route template, status, duration.

A plain ASGI wrapper (no body buffering, so uploads stream as before). The request id comes from
a well-formed `X-Request-ID` (a proxy's) or is made here, is answered in `X-Request-ID`, and is
attached to every log line written while the request is handled. Health checks are logged only
when they fail, so a monitor polling every few seconds does not drown the log.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import logs

log = logging.getLogger("keepsake.server.requests")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_QUIET = {"/healthz"}
REQUEST_ID_HEADER = b"x-request-id"


def incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            text = value.decode("latin-1")
            return text if _REQUEST_ID.fullmatch(text) else None
    return None


def route_template(scope: Scope) -> str:
    """`/v1/sets/{set_id}/packs/{pack_id}`: the matched route, never the raw path."""
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(no route)"


class RequestLog:
    def __init__(self, app: ASGIApp, enabled: bool = True) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_id(scope) or secrets.token_hex(8)
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # if the app fails before answering, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", ()))
                headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = route_template(scope)
            if self.enabled and (route not in _QUIET or status != 200):
                log_request(scope.get("method", ""), route, status, started)
            logs.request_id.reset(token)


def log_request(method: str, route: str, status: int, started: float) -> None:
    """The request's line; `started` is its `time.perf_counter()` at arrival."""
    log.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
