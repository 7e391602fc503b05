"""A malicious service hands back a snapshot with hostile names: nothing lands outside the target.

The snapshot is crafted with the engine's own primitives, committed through the real service on
loopback, and restored by a second PC that knows only the key (its index rebuilt from the service).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from app.core.index import Index
from app.core.keys import derive_subkeys, generate_master_key
from app.core.repository import Repository
from app.core.restore import restore
from app.core.tree import Node, NodeType, Tree
from app.storage.service import ServiceClient
from tests.core.enginekit import AheadClock, commit_trees, dir_node, file_chunk

HOSTILE = ["../x", "/etc/x", "a/../../b", "..", "nul\0name", "C:x"]


@pytest.fixture
def two_pcs(service, tmp_path: Path):  # type: ignore[no-untyped-def]
    email = f"hostile-{secrets.token_hex(4)}@example.com"
    service.create_account(email, "hostile snapshot password", plan="PRO")
    set_id = secrets.token_hex(16)
    subkeys = derive_subkeys(generate_master_key(), set_id)
    repos = []
    for pc in ("attacker-fed", "victim"):
        client = ServiceClient(service.url, None)
        client.login(email, "hostile snapshot password", pc)
        client.create_set(set_id)
        store = client.set_store(set_id)
        repos.append(
            Repository(
                subkeys, store, store, Index(tmp_path / f"{pc}.sqlite"), pc, clock=AheadClock()
            )
        )
    yield repos
    for repo in repos:
        repo.index.close()


def test_hostile_names_restore_nothing_outside_the_target(two_pcs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crafted, victim = two_pcs
    cid, data = file_chunk(crafted, b"attacker payload")
    nodes = [Node(name, NodeType.FILE, 0o644, 0, len(data), (cid,)) for name in HOSTILE]
    nodes.append(Node("fine.txt", NodeType.FILE, 0o644, 0, len(data), (cid,)))
    nodes.append(Node("escape", NodeType.SYMLINK, 0o777, 0, 0, target="../../outside"))
    docs = Tree(tuple(sorted(nodes, key=lambda n: n.name.encode("utf-8", "surrogateescape"))))
    inner = Tree((Node("inner.txt", NodeType.FILE, 0o644, 0, len(data), (cid,)),))
    root_nodes = [dir_node(crafted, "docs", docs), dir_node(crafted, "../up", inner)]
    root = Tree(tuple(sorted(root_nodes, key=lambda n: n.name.encode())))
    commit_trees(crafted, root, [docs, inner], {cid: data})

    victim.rebuild_index()
    sandbox = tmp_path / "sandbox"
    target = sandbox / "target"
    target.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*")}

    result = restore(victim, victim.resolve(None), [], target)

    created = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(target) for p in created), created
    assert (target / "docs" / "fine.txt").read_bytes() == b"attacker payload"
    assert os.readlink(target / "docs" / "escape") == "../../outside"  # stored as a link, inert
    assert not (sandbox / "outside").exists()
    refused = {path for path, reason in result.failures if "unsafe path" in reason}
    assert len(refused) == len(HOSTILE) + 1  # every hostile file and the hostile folder


def test_a_planted_symlinked_parent_in_the_target_is_not_followed(two_pcs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crafted, victim = two_pcs
    cid, data = file_chunk(crafted, b"would land outside")
    sub = Tree((Node("secret.txt", NodeType.FILE, 0o644, 0, len(data), (cid,)),))
    docs = Tree((dir_node(crafted, "sub", sub),))
    root = Tree((dir_node(crafted, "docs", docs),))
    commit_trees(crafted, root, [sub, docs], {cid: data})
    victim.rebuild_index()
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "target"
    (target / "docs").mkdir(parents=True)
    os.symlink(outside, target / "docs" / "sub")

    result = restore(victim, victim.resolve(None), [], target)

    assert list(outside.iterdir()) == []
    assert [path for path, _ in result.failures] == ["docs/sub"]
