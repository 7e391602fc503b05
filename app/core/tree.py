"""One directory's listing as a deterministic blob, so unchanged directories keep their tree id.

Format v1: msgpack `[V, [node, ...]]`, nodes sorted by encoded name, node =
`[name (bin), type ("f"|"d"|"l"), mode, mtime_ns, size, chunks ([bin32]) | nil,
subtree (bin32) | nil, target (bin) | nil]`. Names and symlink targets are the OS bytes
(`str.encode("utf-8", "surrogateescape")`), so undecodable names survive a round trip.

Decoding is faithful, not judgmental: a tree from a hostile service may name entries `..`,
`/etc/passwd` or `a\\0b`; they come back exactly as stored and the restore code refuses them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import msgpack

from app.core.errors import IntegrityError
from app.core.keys import Subkeys, tree_hash

VERSION = 1
ID_SIZE = 32
_INT64 = 2**63
_UINT64 = 2**64


class NodeType(StrEnum):
    FILE = "f"
    DIR = "d"
    SYMLINK = "l"


def encode_name(name: str) -> bytes:
    """The OS bytes of a name; ValueError for a str no OS could have produced."""
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise ValueError(f"name {name!r} cannot be stored (unpaired surrogate)") from None


def _decode_name(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == ID_SIZE


@dataclass(frozen=True)
class Node:
    """One directory entry. Files list their chunk ids, dirs name their subtree, links a target."""

    name: str
    type: NodeType
    mode: int
    mtime_ns: int
    size: int
    chunks: tuple[bytes, ...] = ()
    subtree: bytes | None = None
    target: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", NodeType(self.type))
        object.__setattr__(self, "chunks", tuple(self.chunks))
        if not isinstance(self.name, str):
            raise ValueError("node name must be a str")
        encode_name(self.name)
        if not (_is_int(self.mode) and 0 <= self.mode < 2**32):
            raise ValueError(f"bad mode for {self.name!r}")
        if not (_is_int(self.mtime_ns) and -_INT64 <= self.mtime_ns < _INT64):
            raise ValueError(f"bad mtime for {self.name!r}")
        if not (_is_int(self.size) and 0 <= self.size < _UINT64):
            raise ValueError(f"bad size for {self.name!r}")
        if not all(_is_id(c) for c in self.chunks):
            raise ValueError(f"bad chunk id in {self.name!r}")
        shape_ok = {
            NodeType.FILE: self.subtree is None and self.target is None,
            NodeType.DIR: not self.chunks and _is_id(self.subtree) and self.target is None,
            NodeType.SYMLINK: not self.chunks
            and self.subtree is None
            and isinstance(self.target, str),
        }[self.type]
        if not shape_ok:
            raise ValueError(f"{self.name!r}: fields do not fit a {self.type.name.lower()} node")
        if self.target is not None:
            encode_name(self.target)

    def _encode(self) -> list[Any]:
        return [
            encode_name(self.name),
            self.type.value,
            self.mode,
            self.mtime_ns,
            self.size,
            list(self.chunks) if self.type is NodeType.FILE else None,
            self.subtree,
            None if self.target is None else encode_name(self.target),
        ]


@dataclass(frozen=True)
class Tree:
    """A directory listing. Construction sorts the nodes and refuses duplicate names."""

    nodes: tuple[Node, ...]
    _by_name: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keyed = sorted(((encode_name(n.name), n) for n in self.nodes), key=lambda kn: kn[0])
        for (a, _), (b, _) in itertools.pairwise(keyed):
            if a == b:
                raise ValueError(f"duplicate name {_decode_name(a)!r} in one directory")
        nodes = tuple(n for _, n in keyed)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "_by_name", {n.name: n for n in nodes})

    def get(self, name: str) -> Node | None:
        return self._by_name.get(name)

    def encode(self) -> bytes:
        """Deterministic bytes: the same listing always gives the same tree id."""
        packed: bytes = msgpack.packb(
            [VERSION, [n._encode() for n in self.nodes]], use_bin_type=True
        )
        return packed

    @staticmethod
    def decode(data: bytes, *, what: str = "tree") -> Tree:
        """Strictly parse an encoded tree; anything malformed is an IntegrityError."""
        try:
            obj: Any = msgpack.unpackb(data, raw=False, strict_map_key=True, use_list=True)
        except Exception as exc:  # msgpack raises many types for bad input
            raise IntegrityError(what, f"unreadable tree ({type(exc).__name__})") from None
        if not (isinstance(obj, list) and len(obj) == 2 and obj[0] == VERSION):
            raise IntegrityError(what, "unknown tree format")
        rows = obj[1]
        if not isinstance(rows, list):
            raise IntegrityError(what, "malformed tree")
        nodes = []
        previous: bytes | None = None
        for row in rows:
            node, raw_name = _decode_node(what, row)
            if previous is not None and raw_name <= previous:
                raise IntegrityError(what, "tree entries are not in canonical order")
            previous = raw_name
            nodes.append(node)
        return Tree(tuple(nodes))


def _decode_node(what: str, row: object) -> tuple[Node, bytes]:
    if not (isinstance(row, list) and len(row) == 8):
        raise IntegrityError(what, "malformed tree entry")
    raw_name, kind, mode, mtime_ns, size, chunks, subtree, target = row
    if not isinstance(raw_name, bytes) or not isinstance(kind, str):
        raise IntegrityError(what, "malformed tree entry")
    if kind not in NodeType._value2member_map_:
        raise IntegrityError(what, f"unknown entry type {kind!r}")
    node_type = NodeType(kind)
    if (chunks is None) == (node_type is NodeType.FILE):
        raise IntegrityError(what, "malformed chunk list")
    if chunks is not None and not isinstance(chunks, list):
        raise IntegrityError(what, "malformed chunk list")
    if target is not None and not isinstance(target, bytes):
        raise IntegrityError(what, "malformed symlink target")
    try:
        node = Node(
            name=_decode_name(raw_name),
            type=node_type,
            mode=mode,
            mtime_ns=mtime_ns,
            size=size,
            chunks=tuple(chunks or ()),
            subtree=subtree,
            target=None if target is None else _decode_name(target),
        )
    except ValueError as exc:
        raise IntegrityError(what, f"malformed tree entry: {exc}") from None
    return node, raw_name


def tree_id(subkeys: Subkeys, encoded: bytes) -> bytes:
    """Keyed hash of a tree's encoding (domain-separated from chunk ids; see keys.tree_hash)."""
    return tree_hash(subkeys, encoded)
