"""Checking a stored object against its checksum, and copying one between stores, verified on
the way (for the safety copy and repairs from it)."""

from __future__ import annotations

from server import checksums
from server.store import ObjectNotFound, PackStore


class CopyFailed(Exception):
    """The source did not read back as the recorded checksum; nothing was written."""


def check_object(store: PackStore, key: str, size: int, checksum: str) -> str | None:
    """None when the object reads back whole and matches its stored `checksum`; else what is
    wrong, in a few words."""
    try:
        expected = checksums.parse(checksum)
    except ValueError:
        return "its recorded checksum is unreadable"
    hasher = expected.hasher()
    length = 0
    try:
        for block in store.read_blocks(key):
            hasher.update(block)
            length += len(block)
    except ObjectNotFound:
        return "missing"
    if length != size:
        return f"size {length} instead of {size}"
    if hasher.hexdigest() != expected.hex:
        return "checksum mismatch"
    return None


def copy_object(source: PackStore, target: PackStore, key: str, checksum: str) -> None:
    """Write `key` from source to target under the same key, only if the bytes read match the
    stored `checksum`; the target's object appears whole or not at all."""
    try:
        expected = checksums.parse(checksum)
    except ValueError as exc:
        raise CopyFailed("the recorded checksum is unreadable") from exc
    writer = target.writer(key)
    hasher = expected.hasher()
    try:
        for block in source.read_blocks(key):
            hasher.update(block)
            writer.write(block)
        if hasher.hexdigest() != expected.hex:
            raise CopyFailed("the source does not match its checksum")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
