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

A record also keeps the folder's tree id and a keyed digest of the rows below it that went into
that tree (its subfolders' rows). When the record is reused and the digest of the subfolders'
fresh rows is the same, so is the tree: the scan neither unpacks, encodes, hashes nor looks up
anything for that folder. Its files-cache keys and chunk ids are staged only if the commit needs
them (`IndexHistory.stage_records`), which a snapshot identical to the last one does not.
"""

from __future__ import annotations

import struct
from operator import itemgetter
from typing import Any

import blake3
import msgpack

from app.core.filescache import ID_SIZE
from app.core.keys import Subkeys
from app.core.treerows import Row

# (dir_key, fingerprint, rows, kept, refs, files, bytes, tree, below): one `dir_cache` row.
Record = tuple[bytes, bytes, bytes, bytes, bytes, int, int, bytes, bytes]
# (dir_key, fingerprint, files, bytes, tree, below): what reusing a record whole takes.
Summary = tuple[bytes, bytes, int, int, bytes, bytes]
SUMMARY_FIELDS = 6  # a summary as read is followed by its tree's location (`Index.dir_summary`)
# What the fingerprint covers, per file or link: (name bytes, st_mode, st_ino, st_size,
# st_mtime_ns, st_ctime_ns, link target bytes or None).
Stamp = tuple[bytes, int, int, int, int, int, bytes | None]

_BY_NAME = itemgetter(0)
_DOMAIN = b"keepsake/v2/dir-fingerprint"
_NAME_LEN = struct.Struct("<I")
_STAT = struct.Struct("<IQqqq")  # mode, inode, size, mtime_ns, ctime_ns
_BELOW_DOMAIN = b"keepsake/v1/dir-below"


def fingerprint(subkeys: Subkeys, stamps: list[Stamp]) -> bytes:
    """Keyed (the local index holds no unkeyed hash of names) hash of a folder's entries. The
    native module computes the same while it lists (`native/src/listing.rs`): per entry, the
    name's length and the name, mode, inode, size, mtime and ctime, then 0, or 1 and the link
    target's length and the target; all little-endian."""
    parts: list[bytes] = []
    for name, mode, ino, size, mtime_ns, ctime_ns, target in stamps:
        parts.append(_NAME_LEN.pack(len(name)))
        parts.append(name)
        parts.append(_STAT.pack(mode, ino, size, mtime_ns, ctime_ns))
        parts.append(b"\0" if target is None else b"\1" + _NAME_LEN.pack(len(target)) + target)
    hasher = blake3.blake3(_DOMAIN, key=subkeys.cache, max_threads=1)
    hasher.update(b"".join(parts))
    return hasher.digest()


def below_digest(subkeys: Subkeys, rows: list[Row]) -> bytes:
    """Keyed hash of the rows a folder's tree holds besides its record's (its subfolders'), in
    name order: the same digest and the same record give the same tree."""
    hasher = blake3.blake3(_BELOW_DOMAIN, key=subkeys.cache, max_threads=1)
    hasher.update(msgpack.packb(sorted(rows, key=_BY_NAME), use_bin_type=True))
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
    tree: bytes,
    below: bytes,
) -> Record:
    packed: bytes = msgpack.packb(rows, use_bin_type=True)
    return (dir_key, fp, packed, b"".join(kept), b"".join(refs), files, size, tree, below)


def record_rows(rec: tuple[Any, ...]) -> list[Row]:
    """The tree rows (files and links) a record holds; rows come back as lists, which encode
    exactly like tuples."""
    rows: list[Row] = msgpack.unpackb(rec[2], raw=False, use_list=True)
    return rows
