"""ConcurrencyLimited: at most n calls in flight on the wrapped Backend, whatever the callers do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from app.storage.backend import Backend, Body, Ranges

T = TypeVar("T")


class ConcurrencyLimited:
    """Callers beyond the limit wait their turn; a slow uplink is not helped by more sockets."""

    def __init__(self, backend: Backend, n: int) -> None:
        if n < 1:
            raise ValueError("the concurrency limit must be at least 1")
        self._backend = backend
        self._slots = threading.BoundedSemaphore(n)
        self.limit = n

    def _call(self, fn: Callable[[], T]) -> T:
        with self._slots:
            return fn()

    def put(self, name: str, data: bytes | Body) -> None:
        self._call(lambda: self._backend.put(name, data))

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        return self._call(lambda: self._backend.get(name, start, length))

    def get_ranges(self, ranges: Ranges) -> bytes:
        return self._call(lambda: self._backend.get_ranges(ranges))

    def size(self, name: str) -> int | None:
        return self._call(lambda: self._backend.size(name))

    def list(self, prefix: str = "") -> dict[str, int]:
        return self._call(lambda: self._backend.list(prefix))

    def delete(self, name: str) -> None:
        self._call(lambda: self._backend.delete(name))
