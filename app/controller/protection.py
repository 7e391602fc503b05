"""Continuous protection's lifecycle for the app: one protector per controller, started once,
stopped on sign-out or account deletion, closed for good when the app quits, and told when the
settings change.

The lock only guards which protector is current; the protector keeps its own locks, so a slow
stop never blocks a settings save for longer than the swap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from app.core.errors import KeepsakeError
from app.profile import Profile
from app.protect.protector import Protector
from app.protect.state import ProtectionState


def pause_until_tomorrow(now: datetime) -> datetime:
    """'Until tomorrow' means 06:00 local time the next day: a pause never eats a whole day."""
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)


class Protection:
    def __init__(self, profile: Profile, factory: Callable[[Profile], Protector]) -> None:
        self._profile = profile
        self._factory = factory
        self._protector: Protector | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._lock = threading.RLock()
        self._closed = False

    def start(self, on_state: Callable[[ProtectionState], None]) -> ProtectionState:
        """Start continuous protection (idempotent); `on_state` is called on engine threads."""
        with self._lock:
            if self._closed:
                raise KeepsakeError("Keepsake is quitting: protection is not started again")
            if self._protector is None:
                protector = self._factory(self._profile)
                self._unsubscribe = protector.state.subscribe(on_state)
                protector.start()
                self._protector = protector
            return self._protector.state.get()

    def stop(self) -> None:
        """Stop protecting; when this returns, `on_state` is no longer called (its owner may go)."""
        with self._lock:
            protector, self._protector = self._protector, None
            unsubscribe, self._unsubscribe = self._unsubscribe, None
        if protector is not None:
            protector.stop()
        if unsubscribe is not None:
            unsubscribe()

    def close(self) -> None:
        """Stop for good: a start that was still on its way (the app quit while starting up)
        is refused instead of leaving a protector running behind the quit."""
        with self._lock:
            self._closed = True
        self.stop()

    def settings_changed(self) -> None:
        """A running protector picks a saved change up at once; none running, nothing to do."""
        with self._lock:
            if self._protector is not None:
                self._protector.reload_settings()

    def running(self) -> Protector:
        with self._lock:
            if self._protector is None:
                raise KeepsakeError("protection is not running: finish setting up Keepsake first")
            return self._protector

    def back_up_now(self) -> None:
        self.running().back_up_now()

    def pause(self, until: datetime | None) -> None:
        self.running().pause(until)

    def resume(self) -> None:
        self.running().resume()

    def report(self) -> Any:
        return self.running().report()
