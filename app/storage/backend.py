"""The Backend protocol: named opaque objects, and the upload Body that wrappers can pace.

Every storage implementation (memory, local folder, the service's pack endpoint) offers this one
small face; retry, bandwidth and concurrency limits are wrappers around it. Failures are the
StorageError family of `app.core.errors`: Retryable, Permanent, ObjectMissing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, cast

from app.core.errors import Permanent
from app.core.ports import HashedParts, pack_checksum
from app.core.spool import Spool

# Called with the size of the next piece just before it is handed to the wire; may block to pace.
Gate = Callable[[int], None]

# Small enough that one socket write never outlives a timeout on a slow uplink, large enough that
# a 16 MiB pack costs only a hundred or so system calls.
DEFAULT_PIECE = 128 * 1024

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,127}){0,7}")


class Body:
    """An upload's bytes, handed over in pieces so wrappers can pace or watch what goes out.

    The bytes may come in parts (a pack as it was built, blob by blob), which are never joined:
    joining a 16 MiB pack would hold it twice. Iterating yields pieces of `piece` bytes (the last
    one shorter): slices of a part where it is large enough, small parts copied together, so a
    pack of tiny blobs costs no more socket writes than one of large ones. Every gate runs before
    each piece. It can be iterated again from the start, which is what a retry does. `len()` is
    the total size, so an HTTP client sends it with a Content-Length rather than chunked.
    """

    __slots__ = ("_digest", "_gates", "_parts", "_piece", "_size", "_spool")

    def __init__(
        self,
        data: bytes | Sequence[bytes] | Spool,
        *,
        piece: int = DEFAULT_PIECE,
        gates: tuple[Gate, ...] = (),
        checksum: str | None = None,
    ) -> None:
        """`checksum`: the content's `pack_checksum` when the caller already has it (see
        `HashedParts`); otherwise it is computed when first asked for. A `Spool` (a pack built
        in a temporary file) is read back piece by piece, from the start for every iteration."""
        if piece <= 0:
            raise ValueError("piece size must be positive")
        self._spool: Spool | None = None
        self._parts: tuple[bytes, ...]
        if isinstance(data, Spool):
            self._spool, self._parts = data, ()
            self._size = len(data)
            checksum = data.checksum
        else:
            if isinstance(data, (bytes, bytearray, memoryview)):
                self._parts = (cast(bytes, data),)  # one buffer, not its ints
            else:
                self._parts = tuple(data)
            self._size = sum(len(part) for part in self._parts)
        self._piece = piece
        self._gates = gates
        self._digest = checksum

    @property
    def data(self) -> bytes:
        """The whole content in one buffer (joined when it came in parts); runs no gate."""
        if self._spool is not None:
            return self._spool.read_all()
        if len(self._parts) == 1 and isinstance(self._parts[0], bytes):
            return self._parts[0]
        return b"".join(self._parts)

    @property
    def piece(self) -> int:
        return self._piece

    def checksum(self) -> str:
        """`pack_checksum` of the content, part by part (no joined copy); runs no gate."""
        if self._digest is None:
            self._digest = pack_checksum(self._parts)
        return self._digest

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[memoryview | bytes]:
        for chunk in self._pieces():
            for gate in self._gates:
                gate(len(chunk))
            yield chunk

    def _pieces(self) -> Iterator[memoryview | bytes]:
        piece = self._piece
        if self._spool is not None:
            yield from self._spool.pieces(piece)
            return
        held: list[memoryview] = []  # the start of the next piece, from parts smaller than it
        held_size = 0
        for part in self._parts:
            view = memoryview(part)
            offset = 0
            while offset < len(view):
                if not held and len(view) - offset >= piece:
                    yield view[offset : offset + piece]
                    offset += piece
                    continue
                take = view[offset : offset + piece - held_size]
                held.append(take)
                held_size += len(take)
                offset += len(take)
                if held_size == piece:
                    yield _joined(held)
                    held, held_size = [], 0
        if held:
            yield _joined(held)

    def gated(self, gate: Gate, *, piece: int | None = None) -> Body:
        """The same bytes with one more gate, optionally cut into smaller pieces."""
        size = self._piece if piece is None else min(self._piece, piece)
        source = self._spool if self._spool is not None else self._parts
        return Body(source, piece=size, gates=(*self._gates, gate), checksum=self._digest)

    def collect(self) -> bytes:
        """Run the pieces through the gates and return the bytes (no copy when nothing gates
        and the content is one part)."""
        if not self._gates:
            return self.data
        return b"".join(self)


def _joined(views: list[memoryview]) -> memoryview | bytes:
    return views[0] if len(views) == 1 else b"".join(views)


def as_body(data: bytes | Sequence[bytes] | Spool | Body) -> Body:
    if isinstance(data, Body | Spool):
        return data if isinstance(data, Body) else Body(data)
    if isinstance(data, HashedParts):
        return Body(data, checksum=data.checksum)
    if isinstance(data, (bytearray, memoryview)):
        return Body(bytes(data))
    return Body(data)


def check_name(name: str) -> str:
    """Refuse names that could escape a folder or a URL path: relative segments only, no `..`."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise Permanent(f"invalid object name {name!r}")
    return name


def check_range(start: int, length: int | None) -> None:
    if start < 0 or (length is not None and length < 0):
        raise ValueError(f"invalid byte range start={start} length={length}")


Ranges = Sequence[tuple[str, int, int]]  # (name, start, length), each inside its object


def get_each(backend: Backend, ranges: Ranges) -> bytes:
    """`get_ranges` for a backend where one call per range costs nothing extra."""
    return b"".join(backend.get(name, start, length) for name, start, length in ranges)


class Backend(Protocol):
    """Where named opaque objects live. Names are checked by `check_name`."""

    def put(self, name: str, data: bytes | Body) -> None:
        """Store an object whole; a reader never sees it half written. Replaces an older one."""

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        """Read an object or a byte range of it (shorter at the object's end).

        Raises ObjectMissing when absent, Permanent when `start` lies past the end.
        """

    def get_ranges(self, ranges: Ranges) -> bytes:
        """Several byte ranges at once (of one object or of many), back to back in the order
        asked for: one buffer, so a caller can open what it holds without copying it apart.

        Raises as `get` would for any of them; a range reaching past its object's end raises
        Permanent or comes back short.
        """

    def size(self, name: str) -> int | None:
        """Size in bytes, or None when the object does not exist."""

    def list(self, prefix: str = "") -> dict[str, int]:
        """Every object whose name starts with `prefix`, with its size."""

    def delete(self, name: str) -> None:
        """Remove an object; removing one that is absent is not an error."""
