"""Expected failures of the service, each with its API status, machine code and one sentence.

Domain code raises these; the HTTP layer turns them into `{"error", "message", ...extra}` and the
admin CLI prints the sentence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.clock import iso


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"} if self.status == 401 else {}


class BadRequest(ServiceError):
    status, code = 400, "bad_request"


class ChecksumMismatch(ServiceError):
    status, code = 400, "checksum_mismatch"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class SubscriptionLocked(ServiceError):
    status, code = 402, "subscription_locked"

    def __init__(self, message: str, reason: str, since: datetime | None) -> None:
        super().__init__(message, reason=reason, since=None if since is None else iso(since))


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class DeviceLimit(ServiceError):
    status, code = 403, "device_limit"


class NotFound(ServiceError):
    status, code = 404, "not_found"

    def __init__(self, message: str = "not found") -> None:
        super().__init__(message)


class Conflict(ServiceError):
    status, code = 409, "conflict"


class MissingPacks(ServiceError):
    status, code = 409, "missing_packs"

    def __init__(self, packs: list[str]) -> None:
        super().__init__(
            f"{len(packs)} added pack(s) are not uploaded or have expired; upload them again",
            packs=packs,
        )


class TooLarge(ServiceError):
    status, code = 413, "too_large"


class QuotaExceeded(ServiceError):
    status, code = 413, "quota_exceeded"

    def __init__(self, used: int, allowed: int, incoming: int) -> None:
        super().__init__(
            f"storage quota exceeded: {used} of {allowed} bytes used, {incoming} more requested",
            used=used,
            allowed=allowed,
        )


class RangeNotSatisfiable(ServiceError):
    status, code = 416, "range_not_satisfiable"

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message, size=size)
        self.size = size

    def headers(self) -> dict[str, str]:
        return {"Content-Range": f"bytes */{self.size}"}


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
