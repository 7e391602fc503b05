"""Scrub: re-reads every stored pack against its recorded checksum, and clears out bytes that
no record points to (leftovers of crashed uploads)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from server.db.engine import Database
from server.db.models import Pack, Trash
from server.store import ObjectNotFound, PackStore

BATCH = 200


@dataclass
class ScrubReport:
    packs_checked: int = 0
    bytes_checked: int = 0
    damaged: list[str] = field(default_factory=list)  # "set_pk/pack_id: reason"
    orphans_deleted: int = 0
    temporary_deleted: int = 0


def scrub(db: Database, store: PackStore, now: datetime, files_older_than: datetime) -> ScrubReport:
    """`files_older_than` bounds which unreferenced files may go: a file written after it may
    belong to an upload whose row is about to be inserted."""
    report = ScrubReport()
    last_pk = 0
    while True:
        with db.read() as session:
            packs = session.execute(
                select(Pack.pk, Pack.set_pk, Pack.pack_id, Pack.object_key, Pack.size, Pack.sha256)
                .where(Pack.pk > last_pk)
                .order_by(Pack.pk)
                .limit(BATCH)
            ).all()
        if not packs:
            break
        last_pk = packs[-1].pk
        good, bad = [], []
        for pack in packs:
            problem = _check(store, pack.object_key, pack.size, pack.sha256)
            report.packs_checked += 1
            if problem is None:
                report.bytes_checked += pack.size
                good.append(pack.pk)
            else:
                report.damaged.append(f"{pack.set_pk}/{pack.pack_id}: {problem}")
                bad.append(pack.pk)
        with db.write() as session:
            if bad:
                session.execute(
                    update(Pack)
                    .where(Pack.pk.in_(bad), Pack.damaged_at.is_(None))
                    .values(damaged_at=now)
                )
            session.execute(update(Pack).where(Pack.pk.in_(good)).values(damaged_at=None))
    report.orphans_deleted = _delete_orphans(db, store, files_older_than)
    report.temporary_deleted = store.clean_temporary(files_older_than)
    return report


def _check(store: PackStore, key: str, size: int, sha256: str) -> str | None:
    hasher = hashlib.sha256()
    length = 0
    try:
        for block in store.read_blocks(key):
            hasher.update(block)
            length += len(block)
    except ObjectNotFound:
        return "missing"
    if length != size:
        return f"size {length} instead of {size}"
    if hasher.hexdigest() != sha256:
        return "checksum mismatch"
    return None


def _delete_orphans(db: Database, store: PackStore, files_older_than: datetime) -> int:
    with db.read() as session:
        known = set(session.scalars(select(Pack.object_key)))
        known.update(session.scalars(select(Trash.object_key)))
    deleted = 0
    for stored in store.list():
        if stored.key in known or stored.modified >= files_older_than:
            continue
        with db.read() as session:  # re-check: an upload may have recorded it meanwhile
            if session.scalars(select(Pack.pk).where(Pack.object_key == stored.key)).first():
                continue
        store.delete(stored.key)
        deleted += 1
    return deleted
