"""Packs sealed blobs into upload units and reads their headers back; knows nothing about files.

Layout (format v1): `blob_0 | blob_1 | ... | sealed_header | header_len (uint32 LE)`. The header
is msgpack `[V, [[blob_id, type, offset, length, raw_length], ...]]` sealed as PACK_HEADER under
the pack id, so the service sees only opaque bytes. Blobs are contiguous from offset 0 in header
order, which lets a reader check that every entry lies inside the pack.
"""

from __future__ import annotations

import secrets
import struct
from dataclasses import dataclass
from typing import Any

import msgpack

from app.core.errors import IntegrityError
from app.core.keys import Subkeys
from app.core.sealing import SEAL_OVERHEAD, BlobType, Sealer, open_blob
from app.core.spool import Spool

VERSION = 1
PACK_TARGET_SIZE = 16 * 1024 * 1024
PACK_ID_BYTES = 16
_LEN = struct.Struct("<I")
MAX_HEADER_LENGTH = 2**31  # far above any real header; refuses absurd lengths early
_PACKABLE = frozenset({BlobType.DATA, BlobType.TREE})  # snapshots and indexes travel in commits


@dataclass(frozen=True)
class PackEntry:
    """Where one sealed blob sits in its pack. `raw_length` is the plaintext size."""

    blob_id: bytes
    blob_type: BlobType
    offset: int
    length: int
    raw_length: int


def new_pack_id() -> str:
    """A random 128-bit pack id: says nothing about the pack's contents."""
    return secrets.token_hex(PACK_ID_BYTES)


def pack_id_bytes(pack_id: str) -> bytes:
    """The binary pack id (the header's blob id); IntegrityError for a malformed one."""
    try:
        raw = bytes.fromhex(pack_id)
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != PACK_ID_BYTES or raw.hex() != pack_id:
        raise IntegrityError(f"pack {pack_id!r}", "malformed pack id")
    return raw


class PackWriter:
    """Collects sealed blobs for one pack. Not thread-safe: one writer per packing thread."""

    def __init__(
        self, sealer: Sealer, pack_id: str | None = None, *, spool: Spool | None = None
    ) -> None:
        """`spool`: keep the pack's bytes in this temporary file rather than in memory (see
        `app.core.spool`); should writing to it fail (a full disk), the pack goes on in memory."""
        self.pack_id = pack_id if pack_id is not None else new_pack_id()
        self._id_bytes = pack_id_bytes(self.pack_id)
        self._sealer = sealer
        self._spool = spool
        self._parts: list[bytes] = []
        self._entries: list[PackEntry] = []
        self._by_id: dict[tuple[bytes, BlobType], PackEntry] = {}
        self._size = 0
        self._finished = False

    @property
    def size(self) -> int:
        """Bytes of blobs so far (the header adds a little at finish)."""
        return self._size

    @property
    def count(self) -> int:
        return len(self._entries)

    def add(
        self,
        blob_id: bytes,
        blob_type: BlobType,
        sealed: bytes | tuple[bytes, ...],
        raw_length: int,
    ) -> PackEntry:
        """Append a sealed blob, whole or in the parts `Sealer.seal_parts` made (kept as they
        are, not joined). Adding the same blob twice returns the first entry unchanged."""
        if self._finished:
            raise RuntimeError("pack already finished")
        blob_type = BlobType(blob_type)
        if blob_type not in _PACKABLE or len(blob_id) != 32:
            raise ValueError("packs hold data and tree blobs, named by 32-byte ids")
        parts = sealed if isinstance(sealed, tuple) else (sealed,)
        length = sum(len(part) for part in parts)
        if length < SEAL_OVERHEAD or raw_length < 0:
            raise ValueError("not a sealed blob")
        existing = self._by_id.get((blob_id, blob_type))
        if existing is not None:
            return existing
        entry = PackEntry(blob_id, blob_type, self._size, length, raw_length)
        self._append(parts)
        self._entries.append(entry)
        self._by_id[(blob_id, blob_type)] = entry
        self._size += length
        return entry

    @property
    def spooled(self) -> bool:
        return self._spool is not None

    def _append(self, parts: tuple[bytes, ...]) -> None:
        if self._spool is not None:
            try:
                self._spool.write(parts)
                return
            except OSError:
                # The pack so far back into memory; the rest of it stays there.
                spool, self._spool = self._spool, None
                try:
                    self._parts = [spool.read_prefix(self._size)]
                finally:
                    spool.close()
        self._parts.extend(parts)

    def finish(self) -> tuple[str, bytes, list[PackEntry]]:
        """Seal the header and return (pack id, pack bytes, entries). The writer is then spent."""
        pack_id, parts, entries = self.finish_parts()
        return pack_id, b"".join(parts), entries

    def finish_parts(self) -> tuple[str, tuple[bytes, ...], list[PackEntry]]:
        """Like `finish`, with the pack's bytes as its parts in order: an upload sends them as
        they are, without holding the pack twice to join it."""
        if self._spool is not None:
            raise RuntimeError("a spooled pack is finished with finish_spooled")
        self._seal_header()
        parts = tuple(self._parts)
        self._parts = []
        return self.pack_id, parts, list(self._entries)

    def finish_spooled(self) -> tuple[str, Spool | tuple[bytes, ...], list[PackEntry]]:
        """Finish a spooled writer: the pack's bytes are its spool, ready to be read back (or
        its parts, if the spool had to be given up)."""
        self._seal_header()
        data: Spool | tuple[bytes, ...] = (
            self._spool if self._spool is not None else tuple(self._parts)
        )
        self._parts = []
        return self.pack_id, data, list(self._entries)

    def _seal_header(self) -> None:
        if self._finished:
            raise RuntimeError("pack already finished")
        self._finished = True
        header = msgpack.packb(
            [
                VERSION,
                [
                    [e.blob_id, int(e.blob_type), e.offset, e.length, e.raw_length]
                    for e in self._entries
                ],
            ],
            use_bin_type=True,
        )
        sealed_header = self._sealer.seal(BlobType.PACK_HEADER, self._id_bytes, header)
        self._append((sealed_header, _LEN.pack(len(sealed_header))))

    def discard(self) -> None:
        """Drop the pack (a failed run): its spool, if any, goes at once."""
        self._finished = True
        self._parts = []
        if self._spool is not None:
            self._spool.close()


def header_length(last4: bytes) -> int:
    """Length of the sealed header, from the pack's last four bytes."""
    if len(last4) != _LEN.size:
        raise ValueError("need exactly the last 4 bytes of the pack")
    (length,) = _LEN.unpack(last4)
    return int(length)


def read_header(
    subkeys: Subkeys, pack_id: str, tail: bytes, *, pack_size: int | None = None
) -> list[PackEntry]:
    """Decrypt and check a pack's header from the pack's last bytes.

    `tail` must hold at least `header_length(tail[-4:]) + 4` bytes. With `pack_size` given, the
    entries must also end exactly where the header starts.
    """
    what = f"pack {pack_id}"
    id_bytes = pack_id_bytes(pack_id)
    if len(tail) < _LEN.size:
        raise IntegrityError(what, "pack is truncated")
    hlen = header_length(tail[-_LEN.size :])
    if hlen < SEAL_OVERHEAD or hlen > MAX_HEADER_LENGTH:
        raise IntegrityError(what, f"implausible header length {hlen}")
    if len(tail) < hlen + _LEN.size:
        raise IntegrityError(what, "pack is truncated before its header")
    view = memoryview(tail)
    sealed = view[len(tail) - _LEN.size - hlen : len(tail) - _LEN.size]
    plain = open_blob(subkeys, BlobType.PACK_HEADER, id_bytes, sealed, what=what)
    entries = _decode_header(what, plain)
    if pack_size is not None:
        blobs_end = entries[-1].offset + entries[-1].length if entries else 0
        if blobs_end != pack_size - _LEN.size - hlen:
            raise IntegrityError(what, "header does not describe the pack's size")
    return entries


def parse_pack(subkeys: Subkeys, pack_id: str, data: bytes) -> list[PackEntry]:
    """Read a whole pack's header and check every entry lies inside the pack, before the header."""
    return read_header(subkeys, pack_id, data, pack_size=len(data))


def _decode_header(what: str, plain: bytes) -> list[PackEntry]:
    try:
        obj: Any = msgpack.unpackb(plain, raw=False, strict_map_key=True)
    except Exception as exc:  # msgpack raises many types for bad input
        raise IntegrityError(what, f"unreadable pack header ({type(exc).__name__})") from None
    if not (isinstance(obj, list) and len(obj) == 2 and obj[0] == VERSION):
        raise IntegrityError(what, "unknown pack header format")
    rows = obj[1]
    if not isinstance(rows, list):
        raise IntegrityError(what, "malformed pack header")
    entries: list[PackEntry] = []
    expected_offset = 0
    for row in rows:
        entry = _decode_entry(row)
        if entry is None:
            raise IntegrityError(what, "malformed pack header entry")
        if entry.offset != expected_offset:
            raise IntegrityError(what, "pack header entries overlap or leave gaps")
        expected_offset += entry.length
        entries.append(entry)
    return entries


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decode_entry(row: object) -> PackEntry | None:
    if not (isinstance(row, list) and len(row) == 5):
        return None
    blob_id, blob_type, offset, length, raw_length = row
    if not (isinstance(blob_id, bytes) and len(blob_id) == 32):
        return None
    if not all(_is_int(v) for v in (blob_type, offset, length, raw_length)):
        return None
    if blob_type not in _PACKABLE or offset < 0 or raw_length < 0:
        return None
    if length < SEAL_OVERHEAD:
        return None
    return PackEntry(blob_id, BlobType(blob_type), offset, length, raw_length)
