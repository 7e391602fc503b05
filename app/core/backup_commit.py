"""The end of a backup run: the live-set delta, the index object, the snapshot, the commit.

The pack live set is recomputed from the blobs the new snapshot references (staged during the
run), not patched incrementally, so a bug or a crash can never make the service expire a pack the
current state still needs: before committing, every referenced blob must sit in a pack that is
committed or added by this very commit, or nothing is committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.core import index as ix
from app.core.errors import KeepsakeError
from app.core.index import SnapshotRow
from app.core.indexdelta import DELTA, FULL, encode_pack_entry, new_index_id, seal_index
from app.core.indexhistory import EXACT_LIVE_SNAPSHOT, LIVE_SNAPSHOT
from app.core.ports import CommitRequest
from app.core.repository import Repository, parse_time
from app.core.sealing import Sealer
from app.core.snapshot import SnapshotRecord, new_snapshot_id, seal_snapshot, snapshot_hash

LEFTOVER_MARGIN_HOURS = 12  # reuse a killed run's packs only while their lease has this left


@dataclass(frozen=True)
class Committed:
    snapshot_id: str
    seq: int


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_leftovers(repo: Repository) -> None:
    """Keep packs a killed run uploaded only if the service still holds them long enough."""
    leftovers = repo.index.packs(ix.UPLOADED)
    if not leftovers:
        return  # the usual case: no need to ask the service
    horizon = repo.clock.now() + timedelta(hours=LEFTOVER_MARGIN_HOURS)
    states = {p.pack_id: p for p in repo.log.pack_states()}
    stale: list[str] = []
    for row in leftovers:
        info = states.get(row.pack_id)
        lease = info.expires_at if info is not None else row.expires_at
        exists = info is not None or repo.packs.pack_size(row.pack_id) == row.size
        if not exists or lease is None or parse_time(lease) < horizon:
            stale.append(row.pack_id)
    if stale:
        repo.index.forget_packs(stale)


def commit_snapshot(
    repo: Repository,
    sealer: Sealer,
    root: bytes,
    folders: Mapping[str, str],
    counts: Mapping[str, int],
    *,
    versions_base: bool,
    same_as: str | None = None,
    records_reused: Sequence[bytes] = (),
    listed: Mapping[str, bytes] | None = None,
) -> Committed:
    """Commit the staged run as a new snapshot; the index changes only once the service agrees.

    `same_as` names the previous snapshot when the new one has the very same root tree (nothing
    changed): then it references exactly the blobs that snapshot does, and the per-pack counts
    its commit made are taken as they are, when they are still that snapshot's and were counted
    exactly (not carried over by an incremental run), instead of counting the staged references
    again (a query over every blob: most of a no-change run).

    `records_reused` are the folder records the scan reused with their trees, whose references
    it did not stage (see `app.core.dircache`): they are staged here, before anything is counted,
    unless the counts are taken as they are.

    `listed`: the index-object items (`encode_pack_entry`) of the packs this run uploaded, encoded
    by the packer as it recorded them; other packs the commit adds (a killed run's) are read from
    the index."""
    index = repo.index
    listed = listed or {}
    same = same_as is not None and index.get_meta(LIVE_SNAPSHOT) == same_as == index.get_meta(
        EXACT_LIVE_SNAPSHOT
    )
    if same:
        per_pack, unlocated = index.live_pack_counts(), 0
    else:
        index.stage_records(records_reused)
        per_pack, unlocated = index.staged_pack_counts()
    if unlocated:
        raise KeepsakeError(
            f"internal error: {unlocated} blob(s) of the new snapshot are not stored; "
            "nothing was committed"
        )
    states = {row.pack_id: row.state for row in index.packs()}
    added = sorted(p for p, n in per_pack.items() if n and states.get(p) == ix.UPLOADED)
    unsafe = [p for p in per_pack if states.get(p) not in (ix.COMMITTED, ix.UPLOADED)]
    if unsafe or any(p in repo.unusable_packs for p in per_pack):
        raise KeepsakeError(
            "internal error: the new snapshot would reference packs that are ageing out; "
            "nothing was committed"
        )
    removed = sorted(
        p for p, state in states.items() if state == ix.COMMITTED and not per_pack.get(p)
    )

    known_indexes = index.known_indexes()
    since_full = int(index.get_meta("deltas_since_full") or 0)
    full = not known_indexes or since_full + 1 >= repo.full_index_every
    index_id = new_index_id()
    entries = [listed.get(p) or encode_pack_entry(p, index.pack_blobs(p)) for p in added]
    if full:
        keep = (ix.COMMITTED, ix.REMOVED)
        entries[:0] = [encode_pack_entry(p, blobs) for p, _, blobs in index.all_blobs_by_pack(keep)]
    sealed_index = seal_index(sealer, index_id, FULL if full else DELTA, entries)

    last = index.last_known()
    now = repo.clock.now()
    record = SnapshotRecord(
        root=root,
        time=iso_utc(now),
        device=repo.device,
        folders=dict(folders),
        previous=last[1] if last else None,
        prev_seq=last[0] if last else 0,
        counts=dict(counts),
    )
    snapshot_id = new_snapshot_id()
    sealed = seal_snapshot(sealer, snapshot_id, record)
    superseded = sorted(known_indexes) if full else []
    result = repo.log.commit(
        CommitRequest(
            snapshot_id=snapshot_id,
            snapshot=sealed,
            index_id=index_id,
            index=sealed_index,
            index_kind=FULL if full else DELTA,
            added_packs=added,
            removed_packs=removed,
            supersedes=superseded,
        )
    )
    index.finish_backup(
        snapshot=SnapshotRow(
            snapshot_id, result.seq, record.time, root, snapshot_hash(sealed), sealed
        ),
        added=added,
        removed=removed,
        live_refs=per_pack,
        index_id=index_id,
        index_kind=FULL if full else DELTA,
        superseded=superseded,
        versions_base=versions_base,
        prune_files_cache=not same,
    )
    return Committed(snapshot_id, result.seq)
