"""The files cache one level up: folders whose entries are exactly as the last backup saw them.

Why: a backup with nothing changed still has to look at every file (one lstat each), but it need
not judge every file again. For each folder whose files were all unchanged and old enough (see
`filescache.RACY_NS`) at the last committed backup, the index keeps a keyed fingerprint of the
lstat of its files and links (name, mode, inode, size, mtime, ctime, link target) together with
what the scan derived from them: their tree rows, files-cache keys and chunk ids. When the
fingerprint of a fresh listing is the same, so is every file, and the scan reuses the record
after checking that every chunk it names is still safely stored. Anything else (a changed,
added or removed entry, a different exclusion) changes the fingerprint, and the folder's files
go through the files cache one by one as before. Subfolders are separate records.
"""

from __future__ import annotations

from typing import Any

import blake3
import msgpack

from app.core.filescache import ID_SIZE
from app.core.keys import Subkeys
from app.core.treerows import Row

# (dir_key, fingerprint, rows, kept, refs, files, bytes): one `dir_cache` row.
Record = tuple[bytes, bytes, bytes, bytes, bytes, int, int]
# What the fingerprint covers, per file or link: (name bytes, st_mode, st_ino, st_size,
# st_mtime_ns, st_ctime_ns, link target bytes or None).
Stamp = tuple[bytes, int, int, int, int, int, bytes | None]

_DOMAIN = b"keepsake/v1/dir-fingerprint"


def fingerprint(subkeys: Subkeys, stamps: list[Stamp]) -> bytes:
    """Keyed (the local index holds no unkeyed hash of names) hash of a folder's entries."""
    hasher = blake3.blake3(_DOMAIN, key=subkeys.cache, max_threads=1)
    hasher.update(msgpack.packb(stamps, use_bin_type=True))
    return hasher.digest()


def split_ids(blob: bytes) -> list[bytes]:
    if len(blob) % ID_SIZE:
        raise ValueError("corrupt id list in the folder cache")
    return [blob[i : i + ID_SIZE] for i in range(0, len(blob), ID_SIZE)]


def record(
    dir_key: bytes,
    fp: bytes,
    rows: list[Row],
    kept: list[bytes],
    refs: list[bytes],
    files: int,
    size: int,
) -> Record:
    packed: bytes = msgpack.packb(rows, use_bin_type=True)
    return (dir_key, fp, packed, b"".join(kept), b"".join(refs), files, size)


def record_rows(rec: tuple[Any, ...]) -> list[Row]:
    """The tree rows (files and links) a record holds; rows come back as lists, which encode
    exactly like tuples."""
    rows: list[Row] = msgpack.unpackb(rec[2], raw=False, use_list=True)
    return rows
