"""The Backend protocol: named opaque objects, and the upload Body that wrappers can pace.

Every storage implementation (memory, local folder, the service's pack endpoint) offers this one
small face; retry, bandwidth and concurrency limits are wrappers around it. Failures are the
StorageError family of `app.core.errors`: Retryable, Permanent, ObjectMissing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol

from app.core.errors import Permanent

# Called with the size of the next piece just before it is handed to the wire; may block to pace.
Gate = Callable[[int], None]

# Small enough that one socket write never outlives a timeout on a slow uplink, large enough that
# a 16 MiB pack costs only a hundred or so system calls.
DEFAULT_PIECE = 128 * 1024

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,127}){0,7}")


class Body:
    """An upload's bytes, handed over in pieces so wrappers can pace or watch what goes out.

    Iterating yields memoryview slices (no copies) and runs every gate before each piece. It can
    be iterated again from the start, which is what a retry does. `len()` is the total size, so
    an HTTP client sends it with a Content-Length rather than chunked.
    """

    __slots__ = ("_data", "_gates", "_piece")

    def __init__(
        self, data: bytes, *, piece: int = DEFAULT_PIECE, gates: tuple[Gate, ...] = ()
    ) -> None:
        if piece <= 0:
            raise ValueError("piece size must be positive")
        self._data = data
        self._piece = piece
        self._gates = gates

    @property
    def data(self) -> bytes:
        """The whole content, for hashing; reading it runs no gate."""
        return self._data

    @property
    def piece(self) -> int:
        return self._piece

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[memoryview]:
        view = memoryview(self._data)
        for offset in range(0, len(view), self._piece):
            chunk = view[offset : offset + self._piece]
            for gate in self._gates:
                gate(len(chunk))
            yield chunk

    def gated(self, gate: Gate, *, piece: int | None = None) -> Body:
        """The same bytes with one more gate, optionally cut into smaller pieces."""
        size = self._piece if piece is None else min(self._piece, piece)
        return Body(self._data, piece=size, gates=(*self._gates, gate))

    def collect(self) -> bytes:
        """Run the pieces through the gates and return the bytes (no copy when nothing gates)."""
        if not self._gates:
            return self._data
        return b"".join(self)


def as_body(data: bytes | Body) -> Body:
    return data if isinstance(data, Body) else Body(bytes(data))


def check_name(name: str) -> str:
    """Refuse names that could escape a folder or a URL path: relative segments only, no `..`."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise Permanent(f"invalid object name {name!r}")
    return name


def check_range(start: int, length: int | None) -> None:
    if start < 0 or (length is not None and length < 0):
        raise ValueError(f"invalid byte range start={start} length={length}")


class Backend(Protocol):
    """Where named opaque objects live. Names are checked by `check_name`."""

    def put(self, name: str, data: bytes | Body) -> None:
        """Store an object whole; a reader never sees it half written. Replaces an older one."""

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        """Read an object or a byte range of it (shorter at the object's end).

        Raises ObjectMissing when absent, Permanent when `start` lies past the end.
        """

    def size(self, name: str) -> int | None:
        """Size in bytes, or None when the object does not exist."""

    def list(self, prefix: str = "") -> dict[str, int]:
        """Every object whose name starts with `prefix`, with its size."""

    def delete(self, name: str) -> None:
        """Remove an object; removing one that is absent is not an error."""
