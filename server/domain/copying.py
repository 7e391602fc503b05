"""Checking a stored object against its checksum, and copying one between stores, verified on
the way (for the safety copy and repairs from it)."""

from __future__ import annotations

import hashlib

from server.store import ObjectNotFound, PackStore


class CopyFailed(Exception):
    """The source did not read back as the recorded checksum; nothing was written."""


def check_object(store: PackStore, key: str, size: int, sha256: str) -> str | None:
    """None when the object reads back whole and matches; else what is wrong, in a few words."""
    hasher = hashlib.sha256()
    length = 0
    try:
        for block in store.read_blocks(key):
            hasher.update(block)
            length += len(block)
    except ObjectNotFound:
        return "missing"
    if length != size:
        return f"size {length} instead of {size}"
    if hasher.hexdigest() != sha256:
        return "checksum mismatch"
    return None


def copy_object(source: PackStore, target: PackStore, key: str, sha256: str) -> None:
    """Write `key` from source to target under the same key, only if the bytes read match
    `sha256`; the target's object appears whole or not at all."""
    writer = target.writer(key)
    hasher = hashlib.sha256()
    try:
        for block in source.read_blocks(key):
            hasher.update(block)
            writer.write(block)
        if hasher.hexdigest() != sha256:
            raise CopyFailed("the source does not match its checksum")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
