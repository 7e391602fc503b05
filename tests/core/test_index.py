"""The client index: blob locations, pack states, the files cache rules, staged runs, index objects."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import index as ix
from app.core.errors import IntegrityError
from app.core.filescache import RACY_NS, CacheEntry, StagedVersion, entry_for
from app.core.index import BlobLocation, Index, SnapshotRow
from app.core.indexdelta import (
    VERSION,
    decode_index,
    encode_index,
    encode_pack_entry,
    new_index_id,
    open_index,
    seal_index,
)
from app.core.sealing import Sealer
from tests.core.enginekit import new_subkeys


def loc(n: int, pack: str = "aa" * 16, blob_type: int = 1) -> BlobLocation:
    return BlobLocation(bytes([n]) * 32, blob_type, pack, n * 100, 90, 80)


def test_uploaded_pack_blobs_are_found_and_can_be_forgotten(tmp_path: Path) -> None:
    index = Index(tmp_path / "i.db")
    index.record_uploaded("aa" * 16, 1000, [loc(1), loc(2)], "2030-01-01T00:00:00Z")
    assert index.lookup(bytes([1]) * 32) == loc(1)
    assert index.blob_pack_state(bytes([2]) * 32) == ("aa" * 16, ix.UPLOADED)
    assert [p.state for p in index.packs()] == [ix.UPLOADED]

    index.forget_packs(["aa" * 16])

    assert index.lookup(bytes([1]) * 32) is None and index.packs() == []


def test_lookup_many_finds_known_ids_across_query_batches(tmp_path: Path) -> None:
    """More ids than one query takes, repeated and unknown ones among them: each known id once,
    located exactly as `lookup` locates it."""
    index = Index(tmp_path / "i.db")
    known = [
        BlobLocation(i.to_bytes(32, "big"), 1 + i % 2, f"{i % 3:032x}", i * 10, 9, 8)
        for i in range(1, 1200)
    ]
    for pack in {b.pack_id for b in known}:
        blobs = [b for b in known if b.pack_id == pack]
        index.record_uploaded(pack, 1000, blobs, "2030-01-01T00:00:00Z")
    unknown = [os.urandom(32) for _ in range(50)]
    asked = [b.blob_id for b in known] + unknown + [b.blob_id for b in known[:300]]

    found = index.lookup_many(iter(asked))

    assert found == {b.blob_id: b for b in known}
    assert all(found[b.blob_id] == index.lookup(b.blob_id) for b in known[::97])
    assert index.lookup_many([]) == {}


def test_index_survives_reopening(tmp_path: Path) -> None:
    index = Index(tmp_path / "i.db")
    index.record_uploaded("aa" * 16, 1000, [loc(1)], "2030-01-01T00:00:00Z")
    index.set_meta("k", "v")
    index.close()
    again = Index(tmp_path / "i.db")
    assert again.lookup(bytes([1]) * 32) == loc(1) and again.get_meta("k") == "v"


def test_files_cache_distrusts_entries_written_near_their_scan(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x")
    st = os.stat(f)
    old_enough = entry_for(b"k" * 32, st, (b"c" * 32,), st.st_mtime_ns + RACY_NS + 10**9)
    racy = entry_for(b"k" * 32, st, (b"c" * 32,), st.st_mtime_ns + RACY_NS // 2)
    assert old_enough.matches(st)
    assert not racy.matches(st)
    f.write_bytes(b"xy")
    assert not old_enough.matches(os.stat(f))


def test_staged_run_only_becomes_state_when_finished(tmp_path: Path) -> None:
    index = Index(tmp_path / "i.db")
    index.record_uploaded("aa" * 16, 1000, [loc(1), loc(2)], "2030-01-01T00:00:00Z")
    entry = CacheEntry(b"p" * 32, 2**63 + 5, 3, 4, 5, (bytes([1]) * 32,), 6)
    index.begin_stage()
    index.stage([entry], [bytes([1]) * 32], [StagedVersion("docs/\udcff.txt", 3, 4, "f")])
    assert index.cache_lookup(b"p" * 32) is None
    assert index.staged_pack_counts() == ({"aa" * 16: 1}, 0)

    row = SnapshotRow("bb" * 16, 1, "2026-01-01T00:00:00Z", b"r" * 32, b"h" * 32, b"sealed")
    index.finish_backup(
        snapshot=row,
        added=["aa" * 16],
        removed=[],
        live_refs={"aa" * 16: 1},
        index_id="cc" * 16,
        index_kind="full",
        superseded=[],
        versions_base=True,
    )

    assert index.cache_lookup(b"p" * 32) == entry
    assert [(p.state, p.live_refs) for p in index.packs()] == [(ix.COMMITTED, 1)]
    assert index.last_known() == (1, b"h" * 32)
    assert index.versions_of("docs/\udcff.txt") == [("bb" * 16, 1)]
    assert index.known_indexes() == {"cc" * 16}

    index.begin_stage()  # a later killed run leaves nothing behind that counts
    index.stage([], [bytes([9]) * 32], [])
    index.begin_stage()
    assert index.staged_pack_counts() == ({}, 0)


def test_unlocated_refs_are_counted(tmp_path: Path) -> None:
    index = Index(tmp_path / "i.db")
    index.begin_stage()
    index.stage([], [b"z" * 32], [])
    assert index.staged_pack_counts() == ({}, 1)


def test_staged_counts_take_each_referenced_blob_once(tmp_path: Path) -> None:
    """Refs repeat (one chunk in many files), and located and unlocated ones mix: each distinct
    blob counts once, for its pack or as unlocated; stored blobs nobody references, not at all."""
    index = Index(tmp_path / "i.db")
    index.record_uploaded("aa" * 16, 1000, [loc(1), loc(2), loc(3)], "2030-01-01T00:00:00Z")
    index.record_uploaded("bb" * 16, 1000, [loc(4, "bb" * 16)], "2030-01-01T00:00:00Z")
    index.begin_stage()
    refs = [bytes([n]) * 32 for n in (1, 1, 2, 4, 4, 4)] + [b"y" * 32, b"z" * 32, b"z" * 32]
    index.stage([], refs, [])
    assert index.staged_pack_counts() == ({"aa" * 16: 2, "bb" * 16: 1}, 2)


def test_concurrent_writers_and_readers(tmp_path: Path) -> None:
    index = Index(tmp_path / "i.db")
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(30):
                pack = f"{t:02x}{i:02x}" * 8
                index.record_uploaded(pack, 10, [loc(i, pack)], "2030-01-01T00:00:00Z")
                assert index.lookup(bytes([i]) * 32) is not None
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(index.packs()) == 120


def test_index_objects_round_trip_and_are_authenticated() -> None:
    keys = new_subkeys()
    packs = [("aa" * 16, [loc(1), loc(2, blob_type=2)]), ("bb" * 16, [])]
    packs[0] = ("aa" * 16, [loc(1), BlobLocation(bytes([2]) * 32, 2, "aa" * 16, 200, 90, 80)])
    entries = [encode_pack_entry(p, blobs) for p, blobs in packs]
    assert decode_index(encode_index("delta", entries)).packs == packs
    index_id = new_index_id()
    sealed = seal_index(Sealer(keys), index_id, "full", entries)
    obj = open_index(keys, index_id, sealed)
    assert obj.kind == "full" and obj.packs == packs
    with pytest.raises(IntegrityError):
        open_index(keys, new_index_id(), sealed)  # served under another id
    with pytest.raises(IntegrityError):
        open_index(keys, index_id, sealed[:-1] + bytes([sealed[-1] ^ 1]))


_blob = st.builds(
    lambda blob_id, blob_type, nums: (blob_id, blob_type, *nums),
    st.binary(min_size=32, max_size=32),
    st.integers(0, 3),
    st.tuples(*[st.integers(0, 2**40)] * 3),
)
_packs = st.lists(
    st.tuples(st.binary(min_size=16, max_size=16), st.lists(_blob, max_size=40)), max_size=40
)


@given(kind=st.sampled_from(["delta", "full"]), packs=_packs)
def test_index_object_joined_from_pack_items_is_the_whole_list_encoded(
    kind: str, packs: list[tuple[bytes, list[tuple[bytes, int, int, int, int]]]]
) -> None:
    """The commit joins items the packer encoded one pack at a time: the result must be the very
    bytes msgpack makes of the whole `[V, kind, body]` list (the format DESIGN.md fixes), for
    empty, small (fix-size headers) and large (16-bit headers) bodies alike."""
    located = [
        (raw.hex(), [BlobLocation(b[0], b[1], raw.hex(), b[2], b[3], b[4]) for b in blobs])
        for raw, blobs in packs
    ]
    entries = [encode_pack_entry(p, blobs) for p, blobs in located]
    whole = [VERSION, kind, [[raw, [list(b) for b in blobs]] for raw, blobs in packs]]
    assert encode_index(kind, entries) == msgpack.packb(whole, use_bin_type=True)
    assert decode_index(encode_index(kind, entries)).packs == located
