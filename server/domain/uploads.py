"""Pack uploads: checked before the body is read, verified, written durably, then recorded.

The bytes are written under a fresh object key before the row is inserted, so a crash leaves at
most an unreferenced object (scrub removes those) and never a row without bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from server import ids
from server.checksums import Checksum
from server.db.engine import Database
from server.db.models import Account, Pack
from server.errors import ChecksumMismatch, Conflict, NotFound, QuotaExceeded, TooLarge
from server.policy import quota, retention
from server.store import ObjectWriter, PackStore

from . import quota_alerts
from .accounts import Principal, require_account, terms_of
from .sets import find_pack, find_set, lease, new_object_key, require_unlocked, usage_bytes
from .trash import discard_object

MAX_PACK_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Precheck:
    account_id: str
    set_id: str
    pack_id: str
    already_stored: bool  # same id, size and checksum already stored: only verify the body


def precheck(
    db: Database,
    principal: Principal,
    set_id: str,
    pack_id: str,
    declared: Checksum | None,
    content_length: int | None,
    now: datetime,
) -> Precheck:
    """Everything that can be refused before reading a single body byte. `declared` is None
    when the request's checksum header is missing or malformed (refused after this, so that
    another account's set still answers 404 first)."""
    if content_length is not None and content_length > MAX_PACK_BYTES:
        raise TooLarge(f"a pack may be at most {MAX_PACK_BYTES} bytes")
    with _noting_refusal(db, principal.account_id, now), db.read() as session:
        account = require_account(session, principal.account_id)
        require_unlocked(session, account, now)
        backup_set = find_set(session, principal.account_id, set_id)
        if not ids.is_id(pack_id):
            raise NotFound("no such pack")
        pack = find_pack(session, backup_set, pack_id)
        if pack is not None:
            if (
                declared is not None
                and pack.checksum == str(declared)
                and content_length in (None, pack.size)
            ):
                return Precheck(principal.account_id, set_id, pack_id, already_stored=True)
            if _usable(pack, now):
                raise Conflict("a different pack with this id is stored; packs are immutable")
        if content_length is not None:
            _check_quota(session, account, content_length, now)
    return Precheck(principal.account_id, set_id, pack_id, already_stored=False)


class UploadAborted(Exception):
    """A piece arrived for an upload that was already dropped (the request had failed)."""


class UploadSink:
    """Takes the body in pieces as it arrives: hashes it and writes it straight to the store, so
    disk writes overlap the network and the body is never joined into one buffer."""

    def __init__(self, store: PackStore, check: Precheck, declared: Checksum) -> None:
        self._store = store
        self._check = check
        self._declared = declared
        self._hasher = declared.hasher()
        self.size = 0
        self._key = new_object_key(check.account_id, check.set_id, check.pack_id)
        # Re-uploads of stored packs are only verified; kept in memory in case GC took the pack.
        self._held: list[bytes] | None = [] if check.already_stored else None
        self._writer: ObjectWriter | None = (
            None if check.already_stored else store.writer(self._key)
        )
        self._committed = False
        self._aborted = False
        # feed runs on a worker while the request goes on; abort (on the event loop, when the
        # request fails) waits for a feed under way rather than closing the file beneath it.
        self._lock = threading.Lock()

    def feed(self, chunks: Sequence[bytes]) -> None:
        with self._lock:
            if self._aborted:
                raise UploadAborted()
            self._feed(chunks)

    def _feed(self, chunks: Sequence[bytes]) -> None:
        for chunk in chunks:
            self.size += len(chunk)
            if self.size > MAX_PACK_BYTES:
                raise TooLarge(f"a pack may be at most {MAX_PACK_BYTES} bytes")
            self._hasher.update(chunk)
            if self._writer is not None:
                self._writer.write(chunk)
            elif self._held is not None:
                self._held.append(chunk)

    def finish(self, db: Database, now: datetime) -> bool:
        """Verify and record the pack; True when a new pack was stored (201), False if it was
        already there (200)."""
        declared = self._declared
        if self._hasher.hexdigest() != declared.hex:
            raise ChecksumMismatch(f"the body does not match {declared.header}; nothing was stored")
        check, size, checksum = self._check, self.size, str(declared)
        if self._writer is None:
            with _noting_refusal(db, check.account_id, now):
                if _record_existing(db, check, checksum, size, now):
                    return False
            self._writer = self._store.writer(self._key)
            for chunk in self._held or ():
                self._writer.write(chunk)
        self._writer.commit()
        self._committed = True
        try:
            with _noting_refusal(db, check.account_id, now):
                created = _record_new(db, check, self._key, checksum, size, now)
        except BaseException:
            self._store.delete(self._key)
            raise
        if not created:
            self._store.delete(self._key)
        return created

    def abort(self) -> None:
        """Drop a partial upload (client gone, checksum wrong, refused)."""
        with self._lock:
            self._aborted = True
            if self._writer is not None and not self._committed:
                self._writer.abort()


def _record_existing(
    db: Database, check: Precheck, checksum: str, size: int, now: datetime
) -> bool:
    """The same bytes were uploaded before: refresh the lease or revive an expired pack."""
    with db.write(bulk=True) as session:
        account = require_account(session, check.account_id, lock=True)
        pack = find_pack(session, find_set(session, check.account_id, check.set_id), check.pack_id)
        if pack is None or pack.checksum != checksum or pack.size != size:
            return False  # collected or replaced meanwhile: store it as new
        if pack.state == retention.LEASED or not _usable(pack, now):
            if not _usable(pack, now):
                used = _check_quota(session, account, size, now)
                quota_alerts.observe(session, account, now, used=used + size)
            lease(pack, now)
        return True


def _record_new(
    db: Database, check: Precheck, key: str, checksum: str, size: int, now: datetime
) -> bool:
    with db.write(bulk=True) as session:
        account = require_account(session, check.account_id, lock=True)
        backup_set = find_set(session, check.account_id, check.set_id)
        pack = find_pack(session, backup_set, check.pack_id)
        if pack is not None and pack.checksum == checksum and pack.size == size:
            if not _usable(pack, now):
                used = _check_quota(session, account, size, now)
                lease(pack, now)
                quota_alerts.observe(session, account, now, used=used + size)
            return False
        if pack is not None and _usable(pack, now):
            raise Conflict("a different pack with this id is already stored; packs are immutable")
        used = _check_quota(session, account, size, now)
        if pack is None:
            pack = Pack(set_pk=backup_set.pk, pack_id=check.pack_id, created_at=now)
            session.add(pack)
        else:  # an expired pack re-uploaded with other bytes: the old bytes go to the trash
            discard_object(session, pack.object_key, now)
        pack.object_key = key
        pack.checksum = checksum
        pack.size = size
        pack.created_at = now
        pack.damaged_at = None
        lease(pack, now)
        quota_alerts.observe(session, account, now, used=used + size)
        return True


def _usable(pack: Pack, now: datetime) -> bool:
    return retention.pack_usable(pack.state, pack.lease_until, pack.expires_at, now)


def _check_quota(session: Session, account: Account, incoming: int, now: datetime) -> int:
    """Refuse what does not fit; returns the usage before `incoming` (0 without a quota)."""
    allowed = terms_of(session, account).quota_bytes
    if allowed is None:
        return 0
    used = usage_bytes(session, account.id, now)
    if quota.exceeds_quota(used, incoming, allowed):
        raise QuotaExceeded(used=used, allowed=allowed, incoming=incoming)
    return used


@contextmanager
def _noting_refusal(db: Database, account_id: str, now: datetime) -> Iterator[None]:
    """A refused upload may be the moment the quota became full: record it (in a transaction of
    its own, the refusing one is rolled back) and let the refusal go on to the client."""
    try:
        yield
    except QuotaExceeded:
        quota_alerts.note_refused(db, account_id, now)
        raise
