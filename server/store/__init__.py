"""Where pack bytes live: a small object-store interface and its implementations.

The store knows keys and bytes, nothing about accounts or states; the metadata database decides
what a key means and when it may be deleted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse


class ObjectNotFound(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(f"object {key} is not in the store")
        self.key = key


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime


class ObjectWriter(Protocol):
    """An object being written piece by piece; invisible under its key until `commit`."""

    def write(self, chunk: bytes) -> None: ...

    def commit(self) -> None:
        """Make the object durable and visible under its key, atomically."""

    def abort(self) -> None:
        """Drop what was written; the key is left as it was."""


class PackStore(Protocol):
    def writer(self, key: str) -> ObjectWriter:
        """Start writing an object, for bodies that arrive in pieces."""
        ...

    def put(self, key: str, chunks: Sequence[bytes]) -> None:
        """Store the concatenated chunks under key, atomically and durably (all or nothing)."""

    def get(self, key: str, start: int = 0, length: int | None = None) -> bytes:
        """Bytes [start, start+length) of the object (to its end when length is None)."""
        ...

    def read_blocks(self, key: str, block_size: int = 1 << 20) -> Iterator[bytes]:
        """The whole object in blocks, for hashing without holding it in memory."""
        ...

    def size(self, key: str) -> int | None:
        """Size in bytes, or None when absent."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; absent objects are not an error."""

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        """Every stored object whose key starts with prefix (finished uploads only)."""
        ...

    def clean_temporary(self, older_than: datetime) -> int:
        """Remove leftovers of interrupted uploads; returns how many were removed."""
        ...

    def check(self) -> None:
        """Raise unless the store can be written to right now (for the health check)."""


def open_store(url: str) -> PackStore:
    """A store from `--storage-url`: a folder path, a `file://` URL, or `s3://BUCKET/PREFIX`."""
    from server.store.folder import FolderStore

    parsed = urlparse(url)
    if parsed.scheme in ("", "file") or len(parsed.scheme) == 1:  # 1 letter: a Windows drive
        path = unquote(parsed.path) if parsed.scheme == "file" else url
        return FolderStore(Path(path))
    if parsed.scheme == "s3":
        from server.store.s3 import S3Store

        return S3Store.from_url(url)
    raise ValueError(f"unsupported storage URL scheme {parsed.scheme!r} (a folder or s3://)")
