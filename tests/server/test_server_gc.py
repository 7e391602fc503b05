"""Retention GC and scrub: what goes, when, and that nothing usable ever does."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.db.models import BackupSet, Commit, Pack
from server.domain.gc import collect
from server.domain.scrub import scrub
from server.domain.sets import listed_packs, usable_clause
from server.policy import retention
from tests.server.apiharness import Harness

DAY = timedelta(days=1)


def object_count(harness: Harness) -> int:
    return len(list(harness.store.list()))


def gc(harness: Harness, at: datetime) -> None:
    collect(harness.db, harness.store, at)


def test_removed_pack_bytes_go_only_after_retention_and_grace(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    keep, drop = api.put_pack(set_id, b"keep")[0], api.put_pack(set_id, b"drop")[0]
    api.commit(set_id, added=[keep, drop])
    removed_at = harness.clock.now()
    api.commit(set_id, removed=[drop])
    gc(harness, removed_at + 30 * DAY)  # expired, but the grace period is running
    assert object_count(harness) == 2
    assert api.call("HEAD", f"/v1/sets/{set_id}/packs/{drop}").status_code == 200
    gc(harness, removed_at + 31 * DAY)
    assert object_count(harness) == 1
    assert api.call("HEAD", f"/v1/sets/{set_id}/packs/{drop}").status_code == 404
    gc(harness, removed_at + 3000 * DAY)
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{keep}").content == b"keep"


def test_abandoned_uploads_go_after_lease_and_grace(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    uploaded = harness.clock.now()
    api.put_pack(set_id, b"never committed")
    gc(harness, uploaded + timedelta(hours=96) + DAY - timedelta(seconds=1))
    assert object_count(harness) == 1
    gc(harness, uploaded + timedelta(hours=96) + DAY)
    assert object_count(harness) == 0


def test_gc_during_a_backup_never_loses_a_commit(harness: Harness) -> None:
    """A backup that outlives its lease: GC takes the pack, the commit is refused with the pack's
    id, the client uploads it again and the commit goes through."""
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"slow backup pack")
    later = harness.clock.now() + timedelta(hours=96) + 2 * DAY
    harness.clock.set(later)
    gc(harness, later)
    refused = api.commit(set_id, added=[pack_id])
    assert refused.status_code == 409 and refused.json()["packs"] == [pack_id]
    assert api.put_pack(set_id, b"slow backup pack", pack_id)[1].status_code == 201
    assert api.commit(set_id, added=[pack_id]).status_code == 201
    gc(harness, later + 1000 * DAY)
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == b"slow backup pack"


def test_reupload_of_expired_pack_with_new_bytes_keeps_the_new_bytes(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"first bytes")
    api.commit(set_id, added=[pack_id])
    api.commit(set_id, removed=[pack_id])
    harness.clock.set(harness.clock.now() + 30 * DAY + timedelta(hours=1))  # expired, in grace
    assert api.put_pack(set_id, b"second bytes", pack_id)[1].status_code == 201
    gc(harness, harness.clock.now() + DAY)
    assert object_count(harness) == 1
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == b"second bytes"


def test_gc_drops_trimmed_snapshots_and_superseded_indexes(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    start = harness.clock.now()
    first = api.commit(set_id).request_body
    harness.clock.set(start + 10 * DAY)
    full = api.commit(set_id, kind="full", supersedes=[first["index_id"]]).request_body
    harness.clock.set(start + 50 * DAY)
    api.commit(set_id)
    before = api.call("GET", f"/v1/sets/{set_id}/snapshots").json()
    gc(harness, harness.clock.now())
    after = api.call("GET", f"/v1/sets/{set_id}/snapshots").json()
    assert before == after and [s["seq"] for s in after] == [2, 3]
    with harness.db.read() as session:
        assert sorted(session.scalars(select(Commit.seq))) == [2, 3], "seq 1 was dropped"
    index_path = f"/v1/sets/{set_id}/indexes/{first['index_id']}"
    assert api.call("GET", index_path).status_code == 404
    full_path = f"/v1/sets/{set_id}/indexes/{full['index_id']}"
    assert api.call("GET", full_path).status_code == 200


def test_sql_usability_matches_the_policy(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    ids = [api.put_pack(set_id, bytes([i]) * 10)[0] for i in range(4)]
    api.commit(set_id, added=ids[:3])
    api.commit(set_id, removed=ids[1:2])
    start = harness.clock.now()
    for offset in (0, 50, 95, 97, 30 * 24 - 1, 30 * 24, 40 * 24):
        now = start + timedelta(hours=offset)
        with harness.db.read() as session:
            rows = list(session.scalars(select(Pack)))
            listed = {p.pack_id for p in session.scalars(select(Pack).where(usable_clause(now)))}
            backup_set = session.scalars(select(BackupSet)).one()
            assert {p.pack_id for p in listed_packs(session, backup_set, now)} == listed
        expected = {
            p.pack_id
            for p in rows
            if retention.pack_usable(p.state, p.lease_until, p.expires_at, now)
        }
        assert listed == expected, offset


def test_scrub_finds_damage_and_clears_leftovers(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    good, _ = api.put_pack(set_id, b"good pack bytes")
    bad, _ = api.put_pack(set_id, b"soon to be damaged")
    # Packs stored by clients from before BLAKE3 carry SHA-256 checksums; scrub checks them too.
    old_good, _ = api.put_pack(set_id, b"an older client's pack", older_client=True)
    old_bad, _ = api.put_pack(set_id, b"an older client's damaged pack", older_client=True)
    api.commit(set_id, added=[good, bad, old_good, old_bad])
    bad_file = next((harness.data_dir / "packs").rglob(f"{bad}.*"))
    bad_file.write_bytes(b"soon to be damaGed")
    old_bad_file = next((harness.data_dir / "packs").rglob(f"{old_bad}.*"))
    old_bad_file.write_bytes(b"an older client's damaGed pack")
    old_orphan = harness.data_dir / "packs" / "zz" / "orphan.1"
    old_orphan.parent.mkdir()
    old_orphan.write_bytes(b"left by a crash")
    a_week_ago = time.time() - 7 * 86400
    os.utime(old_orphan, (a_week_ago, a_week_ago))
    new_orphan = harness.data_dir / "packs" / "zz" / "inflight.1"
    new_orphan.write_bytes(b"an upload about to be recorded")
    now = datetime.now(UTC)
    report = scrub(harness.db, harness.store, now, now - DAY)
    assert report.packs_checked == 4 and len(report.damaged) == 2
    assert {bad, old_bad} == {line.split(" pack ")[1].split(":")[0] for line in report.damaged}
    assert all("checksum mismatch" in line for line in report.damaged)
    assert not old_orphan.exists() and new_orphan.exists()
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [w["code"] for w in warnings] == ["damaged_packs"]
    bad_file.unlink()
    old_bad_file.write_bytes(b"an older client's damaged pack")  # put right again
    report = scrub(harness.db, harness.store, now, now - DAY)
    assert len(report.damaged) == 1 and bad in report.damaged[0] and "missing" in report.damaged[0]


@pytest.mark.parametrize("offset_days", [0, 29])
def test_nothing_usable_is_ever_collected(harness: Harness, offset_days: int) -> None:
    api = harness.user(plan="PRO")
    set_id = api.new_set()
    live, _ = api.put_pack(set_id, b"live")
    api.commit(set_id, added=[live])
    ageing, _ = api.put_pack(set_id, b"ageing")
    api.commit(set_id, added=[ageing])
    api.commit(set_id, removed=[ageing])
    leased, _ = api.put_pack(set_id, b"leased")
    gc(
        harness,
        harness.clock.now() + timedelta(days=offset_days)
        if offset_days == 0
        else harness.clock.now() + timedelta(hours=95),
    )
    for pack_id, data in ((live, b"live"), (ageing, b"ageing"), (leased, b"leased")):
        assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == data


def test_sign_in_history_and_revoked_devices_are_kept_a_year(harness: Harness) -> None:
    api = harness.user(plan="PRO")
    old_device = harness.login(api.email, device="old laptop")
    old_device.call("DELETE", "/v1/sessions/current")
    gc(harness, harness.clock.now() + 364 * DAY)
    export = api.call("GET", "/v1/account/export").json()
    assert len(export["sign_ins"]) == 2 and len(export["devices"]) == 2
    gc(harness, harness.clock.now() + 366 * DAY)
    export = api.call("GET", "/v1/account/export").json()
    assert export["sign_ins"] == []
    assert [d["device_id"] for d in export["devices"]] == [api.device_id]
