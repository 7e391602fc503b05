"""MemoryService follows the service's rules for one set, and misbehaves only when told to."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from app.core.clock import ManualClock
from app.core.errors import CommitRejected, MissingPacks, ObjectMissing, Permanent, Retryable
from app.core.ports import CommitRequest
from app.storage.memory_service import MemoryService

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _id() -> str:
    return secrets.token_hex(16)


def _commit(
    added: list[str] | None = None,
    removed: list[str] | None = None,
    kind: str = "delta",
    supersedes: list[str] | None = None,
) -> CommitRequest:
    return CommitRequest(
        snapshot_id=_id(),
        snapshot=secrets.token_bytes(40),
        index_id=_id(),
        index=secrets.token_bytes(30),
        index_kind=kind,
        added_packs=added or [],
        removed_packs=removed or [],
        supersedes=supersedes or [],
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def svc(clock: ManualClock) -> MemoryService:
    return MemoryService(retention_days=30, lease_hours=96, clock=clock)


def test_packs_round_trip_with_ranges_and_sizes(svc: MemoryService) -> None:
    pack = _id()
    svc.put_pack(pack, b"0123456789")
    svc.put_pack(pack, b"0123456789")  # identical re-upload is fine
    assert svc.get_pack(pack) == b"0123456789"
    assert svc.get_pack(pack, 3, 4) == b"3456"
    assert svc.pack_size(pack) == 10 and svc.pack_size(_id()) is None
    assert svc.list_packs() == {pack: 10}
    with pytest.raises(ObjectMissing):
        svc.get_pack(_id())
    with pytest.raises(Permanent):
        svc.put_pack(pack, b"other bytes")
    with pytest.raises(Permanent):
        svc.put_pack("../x", b"data")


def test_commits_get_increasing_seqs_and_their_objects_are_served(
    svc: MemoryService, clock: ManualClock
) -> None:
    pack = _id()
    svc.put_pack(pack, b"p")
    first = _commit(added=[pack])
    result = svc.commit(first)
    clock.advance(60)
    second = _commit()
    assert (result.seq, result.time) == (1, "2026-11-23T10:00:00Z")
    assert svc.commit(second).seq == 2
    listing = svc.list_snapshots()
    assert [(e.snapshot_id, e.seq) for e in listing] == [
        (first.snapshot_id, 1),
        (second.snapshot_id, 2),
    ]
    assert listing[0].size == len(first.snapshot)
    assert svc.get_snapshot(first.snapshot_id) == first.snapshot
    assert svc.get_index(second.index_id) == second.index
    assert [i.index_id for i in svc.list_indexes()] == [first.index_id, second.index_id]


def test_a_commit_naming_a_missing_pack_is_refused_and_changes_nothing(svc: MemoryService) -> None:
    present, absent = _id(), _id()
    svc.put_pack(present, b"p")
    request = _commit(added=[present, absent])
    with pytest.raises(MissingPacks) as caught:
        svc.commit(request)
    assert caught.value.packs == [absent]
    assert isinstance(caught.value, CommitRejected)
    assert svc.list_snapshots() == [] and svc.list_indexes() == [] and svc.head_seq == 0
    assert svc.pack_states()[0].expires_at is not None  # still only leased, not committed


def test_the_same_commit_sent_twice_lands_once(svc: MemoryService) -> None:
    request = _commit()
    first = svc.commit(request)
    assert svc.commit(request) == first
    assert len(svc.list_snapshots()) == 1
    forged = CommitRequest(request.snapshot_id, b"other", _id(), b"i", "delta", [], [], [])
    with pytest.raises(CommitRejected):
        svc.commit(forged)


def test_removed_packs_age_out_after_retention(svc: MemoryService, clock: ManualClock) -> None:
    pack = _id()
    svc.put_pack(pack, b"data")
    svc.commit(_commit(added=[pack]))
    assert [(p.pack_id, p.expires_at) for p in svc.pack_states()] == [(pack, None)]
    clock.advance(3600)
    svc.commit(_commit(removed=[pack]))
    assert svc.pack_states()[0].expires_at == "2026-12-23T11:00:00Z"
    clock.advance(timedelta(days=29).total_seconds())
    svc.commit(_commit(added=[pack]))  # still there: it can come back to life
    assert svc.pack_states()[0].expires_at is None
    svc.commit(_commit(removed=[pack]))
    clock.advance(timedelta(days=30).total_seconds())
    assert svc.pack_states() == [] and svc.list_packs() == {}
    with pytest.raises(MissingPacks):
        svc.commit(_commit(added=[pack]))
    assert svc.gc() == [pack]
    assert svc.pack_size(pack) is None


def test_uncommitted_packs_lose_their_lease(svc: MemoryService, clock: ManualClock) -> None:
    pack = _id()
    svc.put_pack(pack, b"data")
    assert svc.pack_states()[0].expires_at == "2026-11-27T10:00:00Z"
    clock.advance(timedelta(hours=97).total_seconds())
    with pytest.raises(MissingPacks):
        svc.commit(_commit(added=[pack]))


def test_a_full_index_supersedes_the_ones_it_names(svc: MemoryService) -> None:
    a, b = _commit(), _commit()
    svc.commit(a)
    svc.commit(b)
    full = _commit(kind="full", supersedes=[a.index_id, b.index_id])
    svc.commit(full)
    assert [i.index_id for i in svc.list_indexes()] == [full.index_id]
    assert svc.get_index(a.index_id) == a.index  # still readable by id
    with pytest.raises(Permanent):
        svc.commit(_commit(kind="delta", supersedes=[full.index_id]))


def test_old_snapshots_leave_the_listing_but_the_newest_stays(
    svc: MemoryService, clock: ManualClock
) -> None:
    old = _commit()
    svc.commit(old)
    clock.advance(timedelta(days=31).total_seconds())
    assert [e.snapshot_id for e in svc.list_snapshots()] == [old.snapshot_id]
    new = _commit()
    svc.commit(new)
    assert [e.snapshot_id for e in svc.list_snapshots()] == [new.snapshot_id]


def test_tampering_hiding_and_replaying_on_request(svc: MemoryService) -> None:
    pack = _id()
    svc.put_pack(pack, b"\x00\x01\x02")
    svc.tamper_pack(pack, 1)
    assert svc.get_pack(pack) == b"\x00\xfe\x02"
    first, second = _commit(), _commit()
    svc.commit(first)
    svc.commit(second)
    svc.replay_snapshot(first.snapshot_id)
    assert [e.seq for e in svc.list_snapshots()] == [1, 2, 3]
    svc.drop_snapshot(second.snapshot_id)
    assert [e.seq for e in svc.list_snapshots()] == [1, 3]
    with pytest.raises(ObjectMissing):
        svc.get_snapshot(second.snapshot_id)
    svc.rollback(1)
    assert [e.seq for e in svc.list_snapshots()] == [1]
    assert [i.index_id for i in svc.list_indexes()] == [first.index_id]
    svc.replace_snapshot(first.snapshot_id, b"forged")
    assert svc.get_snapshot(first.snapshot_id) == b"forged"


def test_a_commit_whose_answer_is_lost_has_still_landed(svc: MemoryService) -> None:
    svc.fail("commit", Retryable("connection lost"), after=True)
    request = _commit()
    with pytest.raises(Retryable):
        svc.commit(request)
    assert [e.snapshot_id for e in svc.list_snapshots()] == [request.snapshot_id]
    assert svc.commit(request).seq == 1  # sending it again is harmless


def test_injected_failures_before_the_call_change_nothing(svc: MemoryService) -> None:
    svc.fail("put_pack", Retryable("down"), times=2)
    pack = _id()
    for _ in range(2):
        with pytest.raises(Retryable):
            svc.put_pack(pack, b"x")
    assert svc.list_packs() == {}
    svc.put_pack(pack, b"x")
    assert svc.list_packs() == {pack: 1}
