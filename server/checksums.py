"""Pack checksums: declared by the client with each upload, verified as the body arrives, and
checked again by scrub and by every copy to or from the safety copy.

Stored self-describing (`blake3:<hex>`), so packs stored under an older algorithm stay
verifiable. Current clients send BLAKE3: every pack byte is hashed twice, once by the client and
once here, and BLAKE3 does that in half the processor time of SHA-256 (even with the processor's
SHA extensions). SHA-256 stays accepted from clients that predate it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import blake3

from server.errors import BadRequest

BLAKE3 = "blake3"
SHA256 = "sha256"
# The request header that carries each algorithm's hex digest (HTTP header names are
# case-insensitive; these are the spellings the schema shows).
HEADERS = {BLAKE3: "X-Content-BLAKE3", SHA256: "X-Content-SHA256"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Hasher(Protocol):
    def update(self, data: bytes, /) -> object: ...

    def hexdigest(self) -> str: ...


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    hex: str

    def __str__(self) -> str:
        """The stored form."""
        return f"{self.algorithm}:{self.hex}"

    @property
    def header(self) -> str:
        return HEADERS[self.algorithm]

    def hasher(self) -> Hasher:
        return new_hasher(self.algorithm)


def new_hasher(algorithm: str) -> Hasher:
    if algorithm == BLAKE3:
        return blake3.blake3()
    if algorithm == SHA256:
        return hashlib.sha256()
    raise ValueError(f"unknown checksum algorithm {algorithm!r}")


def parse(stored: str) -> Checksum:
    """A stored checksum; ValueError for anything else (a damaged row must not pass a check)."""
    algorithm, _, digest = stored.partition(":")
    if algorithm not in HEADERS or _HEX64.fullmatch(digest) is None:
        raise ValueError(f"not a stored checksum: {stored[:80]!r}")
    return Checksum(algorithm, digest)


def declared(headers: Mapping[str, str]) -> Checksum:
    """The checksum an upload declares in exactly one of the checksum headers."""
    given = [
        Checksum(algorithm, headers[name.lower()].strip().lower())
        for algorithm, name in HEADERS.items()
        if name.lower() in headers
    ]
    if len(given) != 1:
        names = " or ".join(HEADERS.values())
        raise BadRequest(f"send the body's checksum in one header: {names}")
    if _HEX64.fullmatch(given[0].hex) is None:
        raise BadRequest(f"{given[0].header} must be the 64-character hex digest of the body")
    return given[0]
