"""Encodes a directory's tree straight from plain rows, byte for byte as `tree.Tree.encode` does.

Why: a backup builds one tree per folder from thousands of entries, and `tree.Node` validates
every field of every entry (a good thing for trees read back from the service, where any field
may be hostile). Entries produced by the scan come from `os.stat`, so they are valid by
construction; going through `Node` cost more than the rest of a no-change scan together. A row is
exactly the list `Node._encode` produces: `(name bytes, type, mode, mtime_ns, size, chunks | None,
subtree | None, target bytes | None)`. The tests check that both encoders agree.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import msgpack

from app.core.tree import VERSION, Node, NodeType, encode_name

Row = tuple[Any, ...]

_BY_NAME = itemgetter(0)


def file_row(name: bytes, st_mode: int, mtime_ns: int, size: int, chunks: Sequence[bytes]) -> Row:
    return (name, "f", stat.S_IMODE(st_mode), mtime_ns, size, list(chunks), None, None)


def dir_row(name: bytes, st_mode: int, mtime_ns: int, subtree: bytes) -> Row:
    return (name, "d", stat.S_IMODE(st_mode), mtime_ns, 0, None, subtree, None)


def link_row(name: bytes, st_mode: int, mtime_ns: int, size: int, target: bytes) -> Row:
    return (name, "l", stat.S_IMODE(st_mode), mtime_ns, size, None, None, target)


def node_row(node: Node) -> Row:
    """The row of a node read back from a snapshot (kept from the previous one)."""
    return (
        encode_name(node.name),
        node.type.value,
        node.mode,
        node.mtime_ns,
        node.size,
        list(node.chunks) if node.type is NodeType.FILE else None,
        node.subtree,
        None if node.target is None else encode_name(node.target),
    )


def encode_rows(rows: list[Row]) -> bytes:
    """The tree bytes of one folder: rows sorted by name bytes (names are unique in a folder)."""
    rows.sort(key=_BY_NAME)
    packed: bytes = msgpack.packb([VERSION, rows], use_bin_type=True)
    return packed
