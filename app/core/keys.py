"""The master key and the subkeys derived from it; keyed hashes for chunk ids and the files cache.

Every other module gets its keys from here, so the key schedule lives in one place (format v1):
`HKDF-SHA256(ikm=master, salt=bytes.fromhex(set_id), info=b"keepsake/v1/" + label)`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import blake3
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_SIZE = 32

_LABELS = ("id", "enc", "meta", "cache")
_TREE_KEY_CONTEXT = b"keepsake/v1/tree-id"


def generate_master_key() -> bytes:
    """A fresh master key from the OS CSPRNG; generated once per backup set, on the PC."""
    return secrets.token_bytes(KEY_SIZE)


@dataclass(frozen=True)
class Subkeys:
    """The four purpose keys of one backup set. Kept out of reprs so they never reach a log."""

    id: bytes = field(repr=False)
    enc: bytes = field(repr=False)
    meta: bytes = field(repr=False)
    cache: bytes = field(repr=False)
    # Tree ids are keyed with a key derived from `id`, so a file chunk can never share an id
    # with a tree (the index is keyed by id alone, and open_blob binds the type).
    tree: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for label in _LABELS:
            value = getattr(self, label)
            if not isinstance(value, bytes) or len(value) != KEY_SIZE:
                raise ValueError(f"subkey {label!r} must be {KEY_SIZE} bytes")
        tree_key = blake3.blake3(_TREE_KEY_CONTEXT, key=self.id).digest()
        object.__setattr__(self, "tree", tree_key)


def set_id_bytes(set_id: str) -> bytes:
    """The HKDF salt: set ids are lowercase hex on every boundary."""
    try:
        raw = bytes.fromhex(set_id)
    except ValueError:
        raise ValueError(f"backup set id {set_id!r} is not hex") from None
    if not raw:
        raise ValueError("backup set id is empty")
    return raw


def derive_subkeys(master: bytes, set_id: str) -> Subkeys:
    """Derive the set's purpose keys; the salt ties them to one backup set."""
    if not isinstance(master, bytes) or len(master) != KEY_SIZE:
        raise ValueError(f"master key must be {KEY_SIZE} bytes")
    salt = set_id_bytes(set_id)
    derived = [
        HKDF(
            algorithm=SHA256(), length=KEY_SIZE, salt=salt, info=b"keepsake/v1/" + label.encode()
        ).derive(master)
        for label in _LABELS
    ]
    return Subkeys(id=derived[0], enc=derived[1], meta=derived[2], cache=derived[3])


def chunk_id(subkeys: Subkeys, data: bytes | memoryview) -> bytes:
    """Keyed BLAKE3 of a plaintext chunk: dedups within the set, reveals nothing without the key.

    Hashes in place (no copy) and releases the GIL, so worker threads run it in parallel.
    """
    return blake3.blake3(data, key=subkeys.id, max_threads=1).digest()


def tree_hash(subkeys: Subkeys, encoded: bytes | memoryview) -> bytes:
    """Keyed BLAKE3 of a tree's encoding, under the tree key (domain-separated from chunk ids)."""
    return blake3.blake3(encoded, key=subkeys.tree, max_threads=1).digest()


def path_key(subkeys: Subkeys, path: str) -> bytes:
    """Files-cache key for a local path, so the cache on disk holds no readable paths."""
    return blake3.blake3(path.encode("utf-8", "surrogateescape"), key=subkeys.cache).digest()
