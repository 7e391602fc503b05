"""Key schedule: deterministic per (master, set), independent across sets and purposes."""

from __future__ import annotations

import hashlib
import hmac

import blake3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.keys import (
    Subkeys,
    chunk_id,
    derive_subkeys,
    generate_master_key,
    path_key,
    tree_hash,
)

SET_A = "00112233445566778899aabbccddeeff"
SET_B = "ffeeddccbbaa99887766554433221100"


def test_master_keys_are_32_random_bytes() -> None:
    keys = {generate_master_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(len(k) == 32 for k in keys)


def test_subkeys_are_deterministic_distinct_and_set_bound() -> None:
    master = generate_master_key()
    a1 = derive_subkeys(master, SET_A)
    a2 = derive_subkeys(master, SET_A)
    b = derive_subkeys(master, SET_B)
    assert a1 == a2
    values = [a1.id, a1.enc, a1.meta, a1.cache, a1.tree]
    assert len(set(values)) == 5
    assert not {b.id, b.enc, b.meta, b.cache} & set(values)
    assert derive_subkeys(generate_master_key(), SET_A).id != a1.id


def _rfc5869(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def test_key_schedule_follows_the_documented_format() -> None:
    # Recomputed from the spec (RFC 5869 by hand) so a change to labels or salt, which would
    # orphan every existing backup, fails here first.
    master = bytes(range(32))
    keys = derive_subkeys(master, SET_A)
    salt = bytes.fromhex(SET_A)
    for label in ("id", "enc", "meta", "cache"):
        assert getattr(keys, label) == _rfc5869(master, salt, b"keepsake/v1/" + label.encode())
    expected = blake3.blake3(b"keepsake", key=keys.id).digest()
    assert chunk_id(keys, b"keepsake") == expected


def test_subkeys_never_appear_in_repr() -> None:
    keys = derive_subkeys(generate_master_key(), SET_A)
    text = repr(keys)
    for secret in (keys.id, keys.enc, keys.meta, keys.cache, keys.tree):
        assert secret.hex() not in text
        assert repr(secret) not in text


@pytest.mark.parametrize(
    ("master", "set_id"),
    [(b"short", SET_A), (bytes(33), SET_A), (bytes(32), "not hex"), (bytes(32), "")],
)
def test_bad_inputs_are_refused(master: bytes, set_id: str) -> None:
    with pytest.raises(ValueError):
        derive_subkeys(master, set_id)


def test_subkeys_validate_lengths() -> None:
    with pytest.raises(ValueError):
        Subkeys(id=bytes(31), enc=bytes(32), meta=bytes(32), cache=bytes(32))


@settings(max_examples=50)
@given(st.binary(max_size=4096))
def test_chunk_id_is_keyed_and_accepts_memoryview(data: bytes) -> None:
    k1 = derive_subkeys(bytes(32), SET_A)
    k2 = derive_subkeys(bytes(32), SET_B)
    cid = chunk_id(k1, data)
    assert len(cid) == 32
    assert chunk_id(k1, memoryview(data)) == cid
    assert chunk_id(k2, data) != cid
    assert tree_hash(k1, data) != cid


def test_path_key_handles_undecodable_names() -> None:
    keys = derive_subkeys(bytes(32), SET_A)
    odd = b"caf\xe9/\xff".decode("utf-8", "surrogateescape")
    assert path_key(keys, odd) != path_key(keys, "caf\xe9/\xff")
    assert path_key(keys, "a") == path_key(keys, "a")
    assert path_key(keys, "a") != chunk_id(keys, b"a")
