"""MemoryBackend: objects in a dict behind a lock, for tests and as the reference behaviour."""

from __future__ import annotations

import threading

from app.core.errors import ObjectMissing, Permanent
from app.storage.backend import Body, Ranges, as_body, check_name, check_range, get_each


class MemoryBackend:
    """Thread-safe; an upload's pieces all pass through its gates before the object appears."""

    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, name: str, data: bytes | Body) -> None:
        check_name(name)
        content = as_body(data).collect()  # outside the lock: gates may sleep
        with self._lock:
            self._objects[name] = content

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        check_name(name)
        check_range(start, length)
        with self._lock:
            content = self._objects.get(name)
        if content is None:
            raise ObjectMissing(name)
        if start > len(content):
            raise Permanent(f"range starting at {start} lies past the end of {name}")
        end = len(content) if length is None else start + length
        return content[start:end]

    def get_ranges(self, ranges: Ranges) -> bytes:
        return get_each(self, ranges)

    def size(self, name: str) -> int | None:
        check_name(name)
        with self._lock:
            content = self._objects.get(name)
        return None if content is None else len(content)

    def list(self, prefix: str = "") -> dict[str, int]:
        with self._lock:
            return {n: len(c) for n, c in self._objects.items() if n.startswith(prefix)}

    def delete(self, name: str) -> None:
        check_name(name)
        with self._lock:
            self._objects.pop(name, None)
