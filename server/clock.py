"""The service's one source of time, injected everywhere policy or records need `now`.

The service never imports the client's clock (the two share only the HTTP API), so it has its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests and `--now` set by hand."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = as_utc(at)


class FileClock:
    """Reads the time from a file on every call, else the system time.

    A testing aid for the real service process: end-to-end tests move the service through days by
    rewriting the file. Only used when `serve --clock-file` is given explicitly.
    """

    def __init__(self, path: Path) -> None:
        self._path = path

    def now(self) -> datetime:
        try:
            text = self._path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            text = ""
        return parse_time(text) if text else datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """Naive datetimes (as SQLite returns them) are UTC by convention here."""
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


def parse_time(text: str) -> datetime:
    """ISO 8601, with `Z` accepted; a bare date means midnight UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    return as_utc(datetime.fromisoformat(value))


def iso(at: datetime) -> str:
    """The API's time format: `2026-11-23T10:00:00Z` (microseconds kept when present)."""
    return as_utc(at).isoformat().replace("+00:00", "Z")
