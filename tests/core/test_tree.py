"""Trees: deterministic, lossless for any name the OS can produce, strict about structure."""

from __future__ import annotations

import contextlib
import os

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import IntegrityError
from app.core.keys import chunk_id, derive_subkeys
from app.core.sealing import BlobType, Sealer, open_blob
from app.core.tree import Node, NodeType, Tree, tree_id

KEYS = derive_subkeys(bytes(range(32)), "00112233445566778899aabbccddeeff")

ids = st.binary(min_size=32, max_size=32)
# Names as the OS gives them: arbitrary bytes through os.fsdecode's surrogateescape, or text.
names = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.text(min_size=1, max_size=40),
)


@st.composite
def nodes(draw: st.DrawFn, name: str) -> Node:
    kind = draw(st.sampled_from(NodeType))
    mode = draw(st.integers(0, 2**32 - 1))
    mtime_ns = draw(st.integers(-(2**63), 2**63 - 1))
    size = draw(st.integers(0, 2**64 - 1))
    if kind is NodeType.FILE:
        chunks = tuple(draw(st.lists(ids, max_size=4)))
        return Node(name, kind, mode, mtime_ns, size, chunks=chunks)
    if kind is NodeType.DIR:
        return Node(name, kind, mode, mtime_ns, size, subtree=draw(ids))
    return Node(name, kind, mode, mtime_ns, size, target=draw(names))


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    raw = draw(
        st.lists(names, max_size=12, unique_by=lambda n: n.encode("utf-8", "surrogateescape"))
    )
    return Tree(tuple(draw(nodes(n)) for n in raw))


@settings(max_examples=80)
@given(trees())
def test_round_trip(tree: Tree) -> None:
    encoded = tree.encode()
    back = Tree.decode(encoded)
    assert back == tree
    assert back.encode() == encoded
    for node in tree.nodes:
        assert back.get(node.name) == node


@settings(max_examples=40)
@given(trees(), st.randoms(use_true_random=False))
def test_encoding_ignores_the_order_nodes_were_given_in(tree: Tree, rnd: object) -> None:
    shuffled = list(tree.nodes)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    again = Tree(tuple(shuffled))
    assert again.encode() == tree.encode()
    assert tree_id(KEYS, again.encode()) == tree_id(KEYS, tree.encode())


def test_nodes_are_sorted_by_name_bytes() -> None:
    t = Tree((_file("b"), _file("B"), _file("a\udcff"), _file("ä"), _file("a")))
    assert [n.name for n in t.nodes] == ["B", "a", "a\udcff", "b", "ä"]


HOSTILE = ["..", "../../etc/passwd", "/etc/passwd", "C:\\Windows\\x", "a\0b", "", ".", "con"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_decoded_faithfully(name: str) -> None:
    tree = Tree((_file(name), Node("link", NodeType.SYMLINK, 0o777, 0, 0, target=name)))
    back = Tree.decode(tree.encode())
    assert back.get(name) == _file(name)
    link = back.get("link")
    assert link is not None and link.target == name


def test_undecodable_bytes_survive() -> None:
    raw = b"caf\xe9 \xff\xfe.txt"
    name = os.fsdecode(raw) if os.name != "nt" else raw.decode("utf-8", "surrogateescape")
    back = Tree.decode(Tree((_file(name),)).encode())
    assert back.nodes[0].name.encode("utf-8", "surrogateescape") == raw


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Tree((_file("x"), _file("x")))


def test_unstorable_names_are_refused() -> None:
    with pytest.raises(ValueError):
        _file("\ud800")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": NodeType.DIR},  # no subtree
        {"type": NodeType.DIR, "subtree": bytes(31)},
        {"type": NodeType.FILE, "subtree": bytes(32)},
        {"type": NodeType.FILE, "chunks": (b"short",)},
        {"type": NodeType.SYMLINK},  # no target
        {"type": NodeType.FILE, "size": -1},
        {"type": NodeType.FILE, "mode": True},
        {"type": "x"},
    ],
)
def test_inconsistent_nodes_are_refused(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"name": "n", "mode": 0o644, "mtime_ns": 0, "size": 0} | kwargs
    with pytest.raises(ValueError):
        Node(**args)  # type: ignore[arg-type]


def _raw_node(**over: object) -> list[object]:
    node: dict[str, object] = {
        "name": b"n",
        "type": "f",
        "mode": 0o644,
        "mtime": 1,
        "size": 1,
        "chunks": [bytes(32)],
        "subtree": None,
        "target": None,
    } | over
    return list(node.values())


MALFORMED = [
    b"",
    b"\xc1",
    msgpack.packb([1, []]) + b"\x00",  # trailing data
    msgpack.packb({"v": 1}),
    msgpack.packb([2, []]),
    msgpack.packb([1, {}]),
    msgpack.packb([1, [[b"n", "f"]]]),
    msgpack.packb([1, [_raw_node(type="z")]]),
    msgpack.packb([1, [_raw_node(type=1)]]),
    msgpack.packb([1, [_raw_node(name="text not bytes")]]),
    msgpack.packb([1, [_raw_node(chunks=None)]]),
    msgpack.packb([1, [_raw_node(chunks=[b"short"])]]),
    msgpack.packb([1, [_raw_node(chunks=b"x" * 32)]]),
    msgpack.packb([1, [_raw_node(type="d", subtree=bytes(32))]]),  # dir with chunk list
    msgpack.packb([1, [_raw_node(type="d", chunks=None)]]),  # dir without subtree
    msgpack.packb([1, [_raw_node(type="l", chunks=None, target="str")]]),
    msgpack.packb([1, [_raw_node(size=-5)]]),
    msgpack.packb([1, [_raw_node(mode=1.5)]]),
    msgpack.packb([1, [_raw_node(mtime=2**64 - 1)]]),
    msgpack.packb([1, [_raw_node(name=b"b"), _raw_node(name=b"a")]]),  # not canonical
    msgpack.packb([1, [_raw_node(name=b"a"), _raw_node(name=b"a")]]),  # duplicate
    msgpack.packb([1, [_raw_node(mtime=msgpack.ExtType(5, b"x"))]]),
    b"\x91" * 100_000,  # deep nesting
]


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_trees_are_integrity_errors(data: bytes) -> None:
    with pytest.raises(IntegrityError):
        Tree.decode(data)


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_garbage_never_crashes(data: bytes) -> None:
    with contextlib.suppress(IntegrityError):
        Tree.decode(data)


def test_tree_blob_round_trip_through_sealing() -> None:
    tree = Tree((_file("report.pdf"), Node("sub", NodeType.DIR, 0o755, 0, 0, subtree=bytes(32))))
    encoded = tree.encode()
    tid = tree_id(KEYS, encoded)
    sealed = Sealer(KEYS).seal(BlobType.TREE, tid, encoded)
    assert Tree.decode(open_blob(KEYS, BlobType.TREE, tid, sealed)) == tree
    assert tid != chunk_id(KEYS, encoded)


def test_changed_entry_changes_the_id() -> None:
    a = Tree((_file("x"),))
    b = Tree((Node("x", NodeType.FILE, 0o644, 2, 10, chunks=(bytes(32),)),))
    assert tree_id(KEYS, a.encode()) != tree_id(KEYS, b.encode())


def _file(name: str) -> Node:
    return Node(name, NodeType.FILE, 0o644, 1, 10, chunks=(bytes(32),))
