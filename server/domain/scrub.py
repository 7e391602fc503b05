"""Scrub (weekly): re-reads every stored pack against its recorded checksum, keeps the safety
copy in a second store up to date, repairs damaged packs from it, and clears out bytes that no
record points to (leftovers of crashed uploads).

- A good pack missing from the copy (new since the last run, or lost there) is copied, and the
  copy is hashed while it is written.
- A damaged or missing pack is restored from the copy when the copy passes the checksum, then
  read back; it is reported as repaired. Without a good copy it is flagged (`damaged_at`), which
  puts a dated warning in the owner's account status and e-mail.
- Nothing is ever resurrected: before and after writing, the pack's row must still point at the
  same object, else GC took it meanwhile and what was written is removed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from server.db.engine import Database
from server.db.models import BackupSet, Pack, Trash
from server.store import ObjectNotFound, PackStore

from .copying import CopyFailed, check_object, copy_object

BATCH = 200


@dataclass
class ScrubReport:
    packs_checked: int = 0
    bytes_checked: int = 0
    damaged: list[str] = field(default_factory=list)  # no good copy: flagged for the owner
    repaired: list[str] = field(default_factory=list)  # restored from the safety copy
    copied: int = 0  # packs newly written to the safety copy
    copies_fixed: int = 0  # copies that were missing or wrong and were written again
    orphans_deleted: int = 0
    temporary_deleted: int = 0

    def summary(self) -> str:
        return (
            f"{self.packs_checked} pack(s), {self.bytes_checked} bytes verified, "
            f"{len(self.damaged)} damaged, {len(self.repaired)} repaired from the copy, "
            f"{self.copied} copied and {self.copies_fixed} copy(ies) rewritten, "
            f"{self.orphans_deleted} unreferenced object(s) and {self.temporary_deleted} "
            "temporary file(s) removed"
        )


@dataclass(frozen=True)
class _Row:
    pk: int
    account_id: str
    set_id: str
    pack_id: str
    object_key: str
    size: int
    checksum: str  # as stored: "<algorithm>:<hex>"
    copied: bool

    def name(self) -> str:
        return f"account {self.account_id} set {self.set_id} pack {self.pack_id}"


def scrub(
    db: Database,
    store: PackStore,
    now: datetime,
    files_older_than: datetime,
    copy: PackStore | None = None,
) -> ScrubReport:
    """`files_older_than` bounds which unreferenced files may go: a file written after it may
    belong to an upload whose row is about to be inserted."""
    report = ScrubReport()
    last_pk = 0
    while True:
        rows = _batch(db, last_pk)
        if not rows:
            break
        last_pk = rows[-1].pk
        good, bad, copied = [], [], []
        for row in rows:
            report.packs_checked += 1
            problem = check_object(store, row.object_key, row.size, row.checksum)
            if problem is not None:
                problem = _repair(db, store, copy, row, problem, report)
            if problem is None:
                report.bytes_checked += row.size
                good.append(row.pk)
                if copy is not None and _refresh_copy(db, store, copy, row, report):
                    copied.append(row.pk)
            elif _still_current(db, row):
                report.damaged.append(f"{row.name()}: {problem}")
                bad.append(row.pk)
        with db.write(bulk=True) as session:
            if bad:
                session.execute(
                    update(Pack)
                    .where(Pack.pk.in_(bad), Pack.damaged_at.is_(None))
                    .values(damaged_at=now)
                )
            if good:
                session.execute(update(Pack).where(Pack.pk.in_(good)).values(damaged_at=None))
            if copied:
                session.execute(update(Pack).where(Pack.pk.in_(copied)).values(copied_at=now))
    report.orphans_deleted = _delete_orphans(db, store, files_older_than)
    report.temporary_deleted = store.clean_temporary(files_older_than)
    if copy is not None:
        report.orphans_deleted += _delete_orphans(db, copy, files_older_than)
        report.temporary_deleted += copy.clean_temporary(files_older_than)
    return report


def _batch(db: Database, after_pk: int) -> list[_Row]:
    with db.read() as session:
        found = session.execute(
            select(
                Pack.pk,
                BackupSet.account_id,
                BackupSet.set_id,
                Pack.pack_id,
                Pack.object_key,
                Pack.size,
                Pack.checksum,
                Pack.copied_at,
            )
            .join(BackupSet, Pack.set_pk == BackupSet.pk)
            .where(Pack.pk > after_pk)
            .order_by(Pack.pk)
            .limit(BATCH)
        ).all()
    return [_Row(*row[:7], copied=row[7] is not None) for row in found]


def _repair(
    db: Database,
    store: PackStore,
    copy: PackStore | None,
    row: _Row,
    problem: str,
    report: ScrubReport,
) -> str | None:
    """Restore a damaged pack from the copy; the remaining problem, or None when repaired."""
    if copy is None:
        return problem
    if check_object(copy, row.object_key, row.size, row.checksum) is not None:
        return f"{problem}; the safety copy is missing or damaged too"
    if not _still_current(db, row):
        return problem  # collected meanwhile: nothing to repair
    try:
        copy_object(copy, store, row.object_key, row.checksum)
    except CopyFailed as exc:
        return f"{problem}; repair from the safety copy failed: {exc}"
    if not _still_current(db, row):
        store.delete(row.object_key)
        return problem
    after = check_object(store, row.object_key, row.size, row.checksum)
    if after is not None:
        return f"{problem}; still {after} after repair from the safety copy"
    report.repaired.append(f"{row.name()}: {problem}, repaired from the safety copy")
    return None


def _refresh_copy(
    db: Database, store: PackStore, copy: PackStore, row: _Row, report: ScrubReport
) -> bool:
    """Copy a verified pack to the safety copy when it is not there (whole); True if written."""
    if row.copied and copy.size(row.object_key) == row.size:
        return False
    try:
        copy_object(store, copy, row.object_key, row.checksum)
    except (CopyFailed, ObjectNotFound):
        return False  # changed or collected while copying: the next run sees it again
    if not _still_current(db, row):
        copy.delete(row.object_key)
        return False
    if row.copied:
        report.copies_fixed += 1
    else:
        report.copied += 1
    return True


def _still_current(db: Database, row: _Row) -> bool:
    with db.read() as session:
        key = session.scalar(select(Pack.object_key).where(Pack.pk == row.pk))
    return key == row.object_key


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
