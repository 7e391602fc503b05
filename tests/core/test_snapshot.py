"""Snapshots: records round-trip sealed, and a service that replays, hides or reorders is caught."""

from __future__ import annotations

import dataclasses

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import IntegrityError, SnapshotChainError
from app.core.keys import derive_subkeys
from app.core.sealing import BlobType, Sealer
from app.core.snapshot import (
    ChainLink,
    SnapshotRecord,
    new_snapshot_id,
    open_link,
    open_snapshot,
    seal_snapshot,
    snapshot_hash,
    verify_chain,
)

KEYS = derive_subkeys(bytes(range(32)), "00112233445566778899aabbccddeeff")
SEALER = Sealer(KEYS)

os_text = st.one_of(
    st.text(max_size=30),
    st.binary(max_size=30).map(lambda b: b.decode("utf-8", "surrogateescape")),
)


def _record(
    previous: bytes | None = None, prev_seq: int = 0, root: bytes = bytes(32)
) -> SnapshotRecord:
    return SnapshotRecord(
        root=root,
        time="2025-03-01T10:00:00Z",
        device="kitchen-pc",
        folders={"Documents": "/home/anna/Documents"},
        previous=previous,
        prev_seq=prev_seq,
        counts={"files": 3, "bytes": 1234},
    )


@settings(max_examples=40)
@given(
    root=st.binary(min_size=32, max_size=32),
    folders=st.dictionaries(os_text, os_text, max_size=4),
    previous=st.none() | st.binary(min_size=32, max_size=32),
    prev_seq=st.integers(1, 2**62),
    counts=st.dictionaries(st.text(max_size=10), st.integers(-(2**63), 2**63 - 1), max_size=4),
    device=st.text(max_size=20),
)
def test_round_trip(
    root: bytes,
    folders: dict[str, str],
    previous: bytes | None,
    prev_seq: int,
    counts: dict[str, int],
    device: str,
) -> None:
    record = SnapshotRecord(
        root=root,
        time="2025-01-02T03:04:05.123456Z",
        device=device,
        folders=folders,
        previous=previous,
        prev_seq=prev_seq if previous is not None else 0,
        counts=counts,
    )
    sid = new_snapshot_id()
    sealed = seal_snapshot(SEALER, sid, record)
    assert open_snapshot(KEYS, sid, sealed) == record


def test_hostile_folder_labels_survive() -> None:
    folders = {"..": "/etc", "a/b": "C:\\x", "caf\udce9": "/home/\udcff"}
    record = dataclasses.replace(_record(), folders=folders)
    sid = new_snapshot_id()
    assert open_snapshot(KEYS, sid, seal_snapshot(SEALER, sid, record)).folders == folders


def test_sealed_snapshot_is_bound_to_its_id() -> None:
    sid = new_snapshot_id()
    sealed = seal_snapshot(SEALER, sid, _record())
    with pytest.raises(IntegrityError):
        open_snapshot(KEYS, new_snapshot_id(), sealed)
    with pytest.raises(IntegrityError):
        open_snapshot(KEYS, "../../etc", sealed)
    with pytest.raises(IntegrityError):
        open_snapshot(KEYS, sid.upper(), sealed)


def test_tampered_snapshot_is_detected() -> None:
    sid = new_snapshot_id()
    sealed = bytearray(seal_snapshot(SEALER, sid, _record()))
    sealed[-20] ^= 0x80
    with pytest.raises(IntegrityError):
        open_snapshot(KEYS, sid, bytes(sealed))


@pytest.mark.parametrize(
    "payload",
    [
        msgpack.packb([1, 2]),
        msgpack.packb({"v": 2}),
        msgpack.packb({"v": 1}),
        msgpack.packb(
            {
                "v": 1,
                "root": b"short",
                "time": "t",
                "device": "d",
                "folders": {},
                "previous": None,
                "prev_seq": 0,
                "counts": {},
            }
        ),
        msgpack.packb(
            {
                "v": 1,
                "root": bytes(32),
                "time": "t",
                "device": "d",
                "folders": {"text": "not bytes"},
                "previous": None,
                "prev_seq": 0,
                "counts": {},
            }
        ),
        msgpack.packb(
            {
                "v": 1,
                "root": bytes(32),
                "time": "t",
                "device": "d",
                "folders": {},
                "previous": None,
                "prev_seq": 0,
                "counts": [1],
            }
        ),
        b"\xc1",
    ],
)
def test_malformed_record_is_an_integrity_error(payload: bytes) -> None:
    sid = new_snapshot_id()
    sealed = SEALER.seal(BlobType.SNAPSHOT, bytes.fromhex(sid), payload)
    with pytest.raises(IntegrityError):
        open_snapshot(KEYS, sid, sealed)


def test_record_refuses_inconsistent_fields() -> None:
    with pytest.raises(ValueError):
        _record(previous=None, prev_seq=3)
    with pytest.raises(ValueError):
        _record(previous=bytes(31), prev_seq=3)
    with pytest.raises(ValueError):
        _record(root=bytes(16))


# --- the chain -----------------------------------------------------------------------------


def _history(n: int, seqs: list[int] | None = None) -> list[ChainLink]:
    """n snapshots made by an honest client against an honest service."""
    seqs = seqs or list(range(1, n + 1))
    links: list[ChainLink] = []
    for i in range(n):
        prev = links[-1] if links else None
        record = _record(
            previous=prev.sealed_hash if prev else None,
            prev_seq=prev.seq if prev else 0,
            root=bytes([i + 1]) * 32,
        )
        sid = new_snapshot_id()
        links.append(open_link(KEYS, sid, seqs[i], seal_snapshot(SEALER, sid, record)))
    return links


def _last(link: ChainLink) -> tuple[int, bytes]:
    return link.seq, link.sealed_hash


HISTORY = _history(6)


def test_honest_history_verifies() -> None:
    verify_chain(HISTORY, None)
    verify_chain(HISTORY, _last(HISTORY[-1]))
    verify_chain(HISTORY, _last(HISTORY[2]))  # another PC of the same set moved on since
    verify_chain([], None)


def test_retention_trimming_the_oldest_is_accepted() -> None:
    verify_chain(HISTORY[3:], _last(HISTORY[-1]))
    verify_chain(HISTORY[-1:], _last(HISTORY[-1]))


def test_gaps_in_seq_numbering_are_fine_when_the_chain_holds() -> None:
    links = _history(4, seqs=[3, 10, 11, 40])
    verify_chain(links, _last(links[-1]))


def test_known_snapshot_trimmed_but_its_successor_listed_is_accepted() -> None:
    # This PC committed #4 and crashed before learning about #5; #4 later aged out.
    verify_chain(HISTORY[4:], _last(HISTORY[3]))


def test_replayed_old_snapshot_is_detected() -> None:
    old = HISTORY[1]
    replay = dataclasses.replace(old, seq=HISTORY[-1].seq + 1)
    with pytest.raises(SnapshotChainError):
        verify_chain([*HISTORY, replay], None)
    # Even under a fresh id (impossible without the key, but the chain alone catches it).
    replay = dataclasses.replace(replay, snapshot_id=new_snapshot_id())
    with pytest.raises(SnapshotChainError):
        verify_chain([*HISTORY, replay], None)


def test_duplicate_listing_is_detected() -> None:
    with pytest.raises(SnapshotChainError, match="twice"):
        verify_chain([*HISTORY[:3], HISTORY[2]], None)


def test_hidden_middle_snapshot_is_detected() -> None:
    with pytest.raises(SnapshotChainError, match="hidden"):
        verify_chain(HISTORY[:2] + HISTORY[3:], None)


def test_hidden_newest_snapshots_are_detected_with_last_known() -> None:
    with pytest.raises(SnapshotChainError, match="rolling back"):
        verify_chain(HISTORY[:4], _last(HISTORY[-1]))
    with pytest.raises(SnapshotChainError, match="rolling back"):
        verify_chain([], _last(HISTORY[-1]))


def test_rollback_renumbered_to_look_new_is_detected() -> None:
    # The service shows an old snapshot under the seq the client knows as its newest.
    fake = dataclasses.replace(HISTORY[2], seq=HISTORY[-1].seq)
    with pytest.raises(SnapshotChainError, match="replaced"):
        verify_chain([fake], _last(HISTORY[-1]))
    fake = dataclasses.replace(HISTORY[2], seq=HISTORY[-1].seq + 5)
    with pytest.raises(SnapshotChainError):
        verify_chain([fake], _last(HISTORY[-1]))


def test_forged_previous_is_detected() -> None:
    # A different, genuine snapshot swapped in at seq 3: #4 was made after another one.
    other = _history(3)[2]
    swapped = dataclasses.replace(other, seq=HISTORY[2].seq)
    with pytest.raises(SnapshotChainError, match="replaced"):
        verify_chain([*HISTORY[:2], swapped, *HISTORY[3:]], None)
    # A record whose previous hash does not match the listed predecessor.
    bad = dataclasses.replace(
        HISTORY[3], record=dataclasses.replace(HISTORY[3].record, previous=bytes(32))
    )
    with pytest.raises(SnapshotChainError, match="replaced"):
        verify_chain([*HISTORY[:3], bad], None)


def test_reordering_is_detected() -> None:
    with pytest.raises(SnapshotChainError):
        verify_chain([HISTORY[0], HISTORY[2], HISTORY[1]], None)
    # Reordered and renumbered so seqs still increase.
    a = dataclasses.replace(HISTORY[2], seq=2)
    b = dataclasses.replace(HISTORY[1], seq=3)
    with pytest.raises(SnapshotChainError):
        verify_chain([HISTORY[0], a, b], None)


def test_prev_seq_not_below_own_seq_is_detected() -> None:
    renumbered = dataclasses.replace(HISTORY[3], seq=HISTORY[3].record.prev_seq)
    with pytest.raises(SnapshotChainError, match="renumbered"):
        verify_chain([renumbered], None)


def test_second_chain_start_inside_history_is_detected() -> None:
    fresh = _history(1)[0]
    restart = dataclasses.replace(fresh, seq=HISTORY[-1].seq + 1)
    with pytest.raises(SnapshotChainError):
        verify_chain([*HISTORY, restart], None)


def test_swapped_known_snapshot_is_detected() -> None:
    with pytest.raises(SnapshotChainError, match="replaced"):
        verify_chain(HISTORY, (HISTORY[-1].seq, snapshot_hash(b"something else")))
