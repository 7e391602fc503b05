"""The observable protection state: one immutable snapshot the GUI and the agent subscribe to.

The engine side replaces the state (`update`); listeners get the newest one on their own delivery
thread. Delivery is conflated: a listener that is slow simply skips intermediate states and later
sees the newest, so no listener can ever hold up a backup.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Phase(StrEnum):
    IDLE = "idle"
    SCANNING = "scanning"
    UPLOADING = "uploading"
    PAUSED = "paused"
    OFFLINE = "offline"
    LOCKED = "locked"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """Something that is not backed up and why; `since` is when it was first seen."""

    path: str
    reason: str
    since: datetime


@dataclass(frozen=True)
class ProtectionState:
    phase: Phase
    current_file: str | None
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    eta_seconds: float | None
    last_success: datetime | None
    last_snapshot_id: str | None
    paused_until: datetime | None
    locked_reason: str | None
    locked_since: str | None
    problems: tuple[Problem, ...]
    excluded_count: int
    # The engine-side detail for a status line ("Backing up 12 of 40 files", "Paused until
    # 14:00", "Offline — will retry in 30 s"); the GUI composes the friendly summary around it.
    message: str
    # Phase ERROR: the failure itself, so the GUI can word it in the person's language (None
    # when protection itself stopped), and when the next attempt is due (ERROR and OFFLINE).
    error: BaseException | None = None
    retry_at: datetime | None = None

    @classmethod
    def initial(cls) -> ProtectionState:
        return cls(
            phase=Phase.IDLE,
            current_file=None,
            files_done=0,
            files_total=0,
            bytes_done=0,
            bytes_total=0,
            eta_seconds=None,
            last_success=None,
            last_snapshot_id=None,
            paused_until=None,
            locked_reason=None,
            locked_since=None,
            problems=(),
            excluded_count=0,
            message="Starting",
        )


Listener = Callable[[ProtectionState], None]


class _Mailbox:
    """One listener's delivery thread holding only the newest undelivered state."""

    def __init__(self, listener: Listener) -> None:
        self._listener = listener
        self._cond = threading.Condition()
        self._pending: ProtectionState | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="state-listener", daemon=True)
        self._thread.start()

    def post(self, state: ProtectionState) -> None:
        with self._cond:
            self._pending = state
            self._cond.notify()

    def close(self, timeout: float = 5.0) -> None:
        """Stop delivering; once this returns (from another thread), no callback is running or
        will run, so the listener's owner may be torn down safely."""
        with self._cond:
            self._closed = True
            self._pending = None
            self._cond.notify()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                state, self._pending = self._pending, None
            if state is None:  # pragma: no cover - guarded by the wait loop
                continue
            try:
                self._listener(state)
            except Exception:
                log.exception("a protection state listener failed")


class StateModel:
    """Thread-safe holder of the current `ProtectionState` with non-blocking notification."""

    def __init__(self, initial: ProtectionState | None = None) -> None:
        self._lock = threading.Lock()
        self._state = initial or ProtectionState.initial()
        self._boxes: list[_Mailbox] = []

    def get(self) -> ProtectionState:
        with self._lock:
            return self._state

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call `callback` with the current state now and with every later one (conflated).

        Callbacks run on a delivery thread of their own, never on the caller's; returns a
        function that unsubscribes (idempotent).
        """
        box = _Mailbox(callback)
        with self._lock:
            self._boxes.append(box)
            box.post(self._state)

        def unsubscribe() -> None:
            with self._lock:
                if box in self._boxes:
                    self._boxes.remove(box)
            box.close()

        return unsubscribe

    def update(self, **changes: Any) -> ProtectionState:
        """Replace some fields atomically and tell every listener; returns the new state."""
        with self._lock:
            state = replace(self._state, **changes)
            if state == self._state:
                return state
            self._state = state
            for box in self._boxes:
                box.post(state)
        return state
