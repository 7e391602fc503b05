"""Packs: blobs come back from where the header says; a damaged pack is never trusted."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import IntegrityError
from app.core.keys import chunk_id, derive_subkeys, tree_hash
from app.core.packfile import (
    PackWriter,
    header_length,
    new_pack_id,
    parse_pack,
    read_header,
)
from app.core.sealing import BlobType, Sealer, open_blob

KEYS = derive_subkeys(bytes(range(32)), "00112233445566778899aabbccddeeff")
SEALER = Sealer(KEYS)


def _build(blobs: list[tuple[BlobType, bytes]]) -> tuple[str, bytes, dict[bytes, bytes]]:
    writer = PackWriter(SEALER)
    plain: dict[bytes, bytes] = {}
    for blob_type, data in blobs:
        blob_id = chunk_id(KEYS, data) if blob_type is BlobType.DATA else tree_hash(KEYS, data)
        entry = writer.add(blob_id, blob_type, SEALER.seal(blob_type, blob_id, data), len(data))
        assert entry.blob_id == blob_id
        plain[blob_id] = data
    assert writer.count == len(plain)
    pack_id, pack, _ = writer.finish()
    return pack_id, pack, plain


blob_lists = st.lists(
    st.tuples(st.sampled_from([BlobType.DATA, BlobType.TREE]), st.binary(max_size=2000)),
    max_size=12,
)


@settings(max_examples=40)
@given(blob_lists)
def test_round_trip(blobs: list[tuple[BlobType, bytes]]) -> None:
    pack_id, pack, plain = _build(blobs)
    entries = parse_pack(KEYS, pack_id, pack)
    assert len(entries) == len(plain)
    for e in entries:
        sealed = pack[e.offset : e.offset + e.length]
        assert open_blob(KEYS, e.blob_type, e.blob_id, sealed) == plain[e.blob_id]
        assert e.raw_length == len(plain[e.blob_id])
    # Reading only the tail, as a restore does with two ranged reads.
    hlen = header_length(pack[-4:])
    assert read_header(KEYS, pack_id, pack[-(hlen + 4) :]) == entries
    assert read_header(KEYS, pack_id, pack[-(hlen + 100) :]) == entries


def test_writer_reports_size_and_entries() -> None:
    writer = PackWriter(SEALER, pack_id="ab" * 16)
    assert writer.pack_id == "ab" * 16
    assert (writer.size, writer.count) == (0, 0)
    data = os.urandom(1000)
    sealed = SEALER.seal(BlobType.DATA, chunk_id(KEYS, data), data)
    first = writer.add(chunk_id(KEYS, data), BlobType.DATA, sealed, len(data))
    again = writer.add(chunk_id(KEYS, data), BlobType.DATA, sealed, len(data))
    assert first == again and writer.count == 1
    assert writer.size == len(sealed)
    pack_id, pack, entries = writer.finish()
    assert entries == [first] and pack_id == "ab" * 16
    assert len(pack) > writer.size
    with pytest.raises(RuntimeError):
        writer.add(chunk_id(KEYS, data), BlobType.DATA, sealed, len(data))


def test_pack_ids_are_random_hex() -> None:
    ids = {new_pack_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 32 and bytes.fromhex(i).hex() == i for i in ids)


def test_empty_pack_is_valid() -> None:
    pack_id, pack, entries = PackWriter(SEALER).finish()
    assert entries == [] and parse_pack(KEYS, pack_id, pack) == []


@pytest.fixture(scope="module")
def sample() -> tuple[str, bytes]:
    pack_id, pack, _ = _build([(BlobType.DATA, os.urandom(300)), (BlobType.TREE, b"tree" * 50)])
    return pack_id, pack


@settings(max_examples=40)
@given(pos=st.integers(min_value=1))
def test_any_flipped_byte_in_the_header_is_detected(sample: tuple[str, bytes], pos: int) -> None:
    pack_id, pack = sample
    hlen = header_length(pack[-4:])
    i = len(pack) - 4 - hlen + pos % hlen
    damaged = bytearray(pack)
    damaged[i] ^= 0x01
    with pytest.raises(IntegrityError):
        parse_pack(KEYS, pack_id, bytes(damaged))


@pytest.mark.parametrize("cut", [1, 3, 4, 5, 50, 10_000])
def test_truncated_pack_is_detected(sample: tuple[str, bytes], cut: int) -> None:
    pack_id, pack = sample
    with pytest.raises(IntegrityError):
        parse_pack(KEYS, pack_id, pack[: max(0, len(pack) - cut)])


def test_pack_cut_at_the_front_is_detected(sample: tuple[str, bytes]) -> None:
    pack_id, pack = sample
    with pytest.raises(IntegrityError, match="size"):
        parse_pack(KEYS, pack_id, pack[10:])
    with pytest.raises(IntegrityError, match="size"):
        parse_pack(KEYS, pack_id, b"\0" + pack)


def test_header_length_field_tampering_is_detected(sample: tuple[str, bytes]) -> None:
    pack_id, pack = sample
    hlen = header_length(pack[-4:])
    for bogus in (0, 5, hlen - 1, hlen + 1, len(pack), 2**32 - 1):
        with pytest.raises(IntegrityError):
            parse_pack(KEYS, pack_id, pack[:-4] + bogus.to_bytes(4, "little"))


def test_header_of_another_pack_is_refused(sample: tuple[str, bytes]) -> None:
    _, pack = sample
    with pytest.raises(IntegrityError):
        parse_pack(KEYS, new_pack_id(), pack)
    with pytest.raises(IntegrityError):
        parse_pack(KEYS, "not-a-pack-id", pack)


def test_swapped_blobs_inside_a_pack_are_detected() -> None:
    a, b = os.urandom(200), os.urandom(200)
    pack_id, pack, _ = _build([(BlobType.DATA, a), (BlobType.DATA, b)])
    e1, e2 = parse_pack(KEYS, pack_id, pack)
    swapped = pack[e2.offset : e2.offset + e2.length] + pack[e1.offset : e1.offset + e1.length]
    forged = swapped + pack[e2.offset + e2.length :]
    entries = parse_pack(KEYS, pack_id, forged)  # the header itself is intact
    with pytest.raises(IntegrityError):
        e = entries[0]
        open_blob(KEYS, e.blob_type, e.blob_id, forged[e.offset : e.offset + e.length])


def test_writer_refuses_blobs_that_do_not_belong_in_packs() -> None:
    writer = PackWriter(SEALER)
    sealed = SEALER.seal(BlobType.SNAPSHOT, bytes(16), b"x")
    with pytest.raises(ValueError):
        writer.add(bytes(16), BlobType.SNAPSHOT, sealed, 1)
    with pytest.raises(ValueError):
        writer.add(bytes(32), BlobType.DATA, b"short", 1)


@settings(max_examples=30)
@given(blob_lists)
def test_a_pack_built_from_sealed_parts_is_the_same_pack(
    blobs: list[tuple[BlobType, bytes]],
) -> None:
    """Sealed blobs handed over in parts, and a pack handed out in parts, are never joined on
    the way; joined at the end they are a valid pack that opens every blob."""
    writer = PackWriter(SEALER)
    plain: dict[bytes, bytes] = {}
    for blob_type, small in blobs:
        data = small * 40  # up to 80 KB: past the size sealed in one call, too
        blob_id = chunk_id(KEYS, data) if blob_type is BlobType.DATA else tree_hash(KEYS, data)
        parts = SEALER.seal_parts(blob_type, blob_id, data)
        entry = writer.add(blob_id, blob_type, parts, len(data))
        assert entry.length == sum(len(p) for p in parts)
        plain[blob_id] = data
    pack_id, pack_parts, entries = writer.finish_parts()
    pack = b"".join(pack_parts)
    assert parse_pack(KEYS, pack_id, pack) == entries
    for e in entries:
        sealed = pack[e.offset : e.offset + e.length]
        assert open_blob(KEYS, e.blob_type, e.blob_id, sealed) == plain[e.blob_id]
