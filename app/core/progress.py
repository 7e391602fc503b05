"""How the engine reports while it works: plain callbacks with no-op defaults, never blocking.

The GUI's bridge and the protection state model subscribe to these; the engine never knows who
listens. Listeners must return quickly: they are called on engine threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Progress:
    phase: str  # "scanning", "uploading", "committing", "restoring", "verifying"
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str | None


class Events(Protocol):
    def progress(self, p: Progress) -> None: ...

    def problem(self, path: str, reason: str) -> None: ...


class NoEvents:
    def progress(self, p: Progress) -> None:
        pass

    def problem(self, path: str, reason: str) -> None:
        pass


class CancelToken:
    """Set from any thread to ask a running backup or restore to stop at the next safe point."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class Cancelled(Exception):
    """Raised inside the engine when a CancelToken fired; the index stays consistent."""
