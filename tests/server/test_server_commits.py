"""Commits: atomic live-set deltas, missing packs, sequence numbers, snapshots and indexes."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta

from tests.server.apiharness import Harness


def test_commit_makes_packs_live_and_lists_snapshot_and_index(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"pack one")
    reply = api.commit(set_id, added=[pack_id], snapshot=b"sealed snapshot")
    assert reply.status_code == 201 and reply.json()["seq"] == 1
    body = reply.request_body
    snaps = api.call("GET", f"/v1/sets/{set_id}/snapshots").json()
    assert snaps == [
        {"snapshot_id": body["snapshot_id"], "seq": 1, "time": reply.json()["time"], "size": 15}
    ]
    got = api.call("GET", f"/v1/sets/{set_id}/snapshots/{body['snapshot_id']}")
    assert got.content == b"sealed snapshot"
    indexes = api.call("GET", f"/v1/sets/{set_id}/indexes").json()
    assert [(i["index_id"], i["seq"], i["kind"]) for i in indexes] == [
        (body["index_id"], 1, "delta")
    ]
    index = api.call("GET", f"/v1/sets/{set_id}/indexes/{body['index_id']}")
    assert index.content == base64.b64decode(body["index"])
    packs = api.call("GET", f"/v1/sets/{set_id}/packs").json()
    assert [(p["pack_id"], p["state"], p["expires_at"]) for p in packs] == [(pack_id, "live", None)]
    assert api.call("GET", "/v1/sets").json()[0]["head_seq"] == 1


def test_commit_with_a_missing_pack_changes_nothing(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    present, _ = api.put_pack(set_id, b"present")
    first = api.commit(set_id, added=[present])
    assert first.status_code == 201
    uploaded, _ = api.put_pack(set_id, b"uploaded")
    absent = secrets.token_hex(16)
    refused = api.commit(set_id, added=[uploaded, absent], removed=[present])
    assert refused.status_code == 409
    assert refused.json()["error"] == "missing_packs" and refused.json()["packs"] == [absent]
    states = {p["pack_id"]: p["state"] for p in api.call("GET", f"/v1/sets/{set_id}/packs").json()}
    assert states == {present: "live", uploaded: "leased"}
    assert len(api.call("GET", f"/v1/sets/{set_id}/snapshots").json()) == 1
    assert len(api.call("GET", f"/v1/sets/{set_id}/indexes").json()) == 1
    index_id = refused.request_body["index_id"]
    assert api.call("GET", f"/v1/sets/{set_id}/indexes/{index_id}").status_code == 404
    assert api.commit(set_id, added=[uploaded], removed=[present]).json()["seq"] == 2


def test_sequence_numbers_increase_by_one_per_set(harness: Harness) -> None:
    api = harness.user()
    one, two = api.new_set(), api.new_set()
    seqs_one = [api.commit(one).json()["seq"] for _ in range(4)]
    seqs_two = [api.commit(two).json()["seq"] for _ in range(2)]
    assert seqs_one == [1, 2, 3, 4] and seqs_two == [1, 2]
    listed = [s["seq"] for s in api.call("GET", f"/v1/sets/{one}/snapshots").json()]
    assert listed == [1, 2, 3, 4]


def test_retried_commit_is_idempotent_and_changed_retry_conflicts(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"p")
    first = api.commit(set_id, added=[pack_id])
    body = dict(first.request_body)
    again = api.call("POST", f"/v1/sets/{set_id}/commits", json=body)
    assert again.status_code == 200 and again.json() == first.json()
    changed = {**body, "snapshot": base64.b64encode(b"other").decode()}
    clash = api.call("POST", f"/v1/sets/{set_id}/commits", json=changed)
    assert clash.status_code == 409 and clash.json()["error"] == "conflict"
    reused_index = api.commit(set_id, index_id=body["index_id"])
    assert reused_index.status_code == 409
    assert [s["seq"] for s in api.call("GET", f"/v1/sets/{set_id}/snapshots").json()] == [1]


def test_removed_packs_expire_after_retention_and_cannot_be_committed(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    old, _ = api.put_pack(set_id, b"old pack")
    api.commit(set_id, added=[old])
    removed_at = harness.clock.now() + timedelta(hours=1)
    harness.clock.set(removed_at)
    api.commit(set_id, removed=[old])
    listed = api.call("GET", f"/v1/sets/{set_id}/packs").json()
    assert listed[0]["state"] == "removed"
    assert listed[0]["expires_at"] == (removed_at + timedelta(days=30)).isoformat().replace(
        "+00:00", "Z"
    )
    # still within retention: a commit may bring it back
    harness.clock.set(removed_at + timedelta(days=29))
    assert api.commit(set_id, added=[old]).status_code == 201
    assert api.commit(set_id, removed=[old]).status_code == 201
    harness.clock.set(removed_at + timedelta(days=29 + 30))
    assert api.call("GET", f"/v1/sets/{set_id}/packs").json() == []
    refused = api.commit(set_id, added=[old])
    assert refused.status_code == 409 and refused.json()["packs"] == [old]
    # re-uploading the same bytes revives it for a new commit
    _, revived = api.put_pack(set_id, b"old pack", old)
    assert revived.status_code == 200
    assert api.commit(set_id, added=[old]).status_code == 201


def test_uncommitted_packs_lease_for_96_hours(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"leased")
    harness.clock.set(harness.clock.now() + timedelta(hours=95))
    assert len(api.call("GET", f"/v1/sets/{set_id}/packs").json()) == 1
    harness.clock.set(harness.clock.now() + timedelta(hours=2))
    assert api.call("GET", f"/v1/sets/{set_id}/packs").json() == []
    assert api.commit(set_id, added=[pack_id]).status_code == 409


def test_full_index_supersedes_older_ones(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    first = api.commit(set_id).request_body["index_id"]
    second = api.commit(set_id).request_body["index_id"]
    bad = api.commit(set_id, supersedes=[first])  # only a full index may supersede
    assert bad.status_code == 400
    unknown = api.commit(set_id, kind="full", supersedes=[secrets.token_hex(16)])
    assert unknown.status_code == 409
    full = api.commit(set_id, kind="full", supersedes=[first, second])
    assert full.status_code == 201
    later = api.commit(set_id).request_body["index_id"]
    listed = api.call("GET", f"/v1/sets/{set_id}/indexes").json()
    assert [(i["index_id"], i["kind"]) for i in listed] == [
        (full.request_body["index_id"], "full"),
        (later, "delta"),
    ]
    # a superseded index stays readable until GC (a rebuild may be reading it)
    assert api.call("GET", f"/v1/sets/{set_id}/indexes/{first}").status_code == 200


def test_snapshot_listing_is_trimmed_to_the_retention_window(harness: Harness) -> None:
    api = harness.user(plan="PRO")  # FREE would expire after 180 idle days
    set_id = api.new_set()
    start = harness.clock.now()
    ids = []
    for day in (0, 10, 20, 40):
        harness.clock.set(start + timedelta(days=day))
        ids.append(api.commit(set_id).request_body["snapshot_id"])
    harness.clock.set(start + timedelta(days=45))
    # window starts at day 15: day 0 was replaced on day 10 (gone); day 10 was current on day 15
    listed = [s["snapshot_id"] for s in api.call("GET", f"/v1/sets/{set_id}/snapshots").json()]
    assert listed == ids[1:]
    assert api.call("GET", f"/v1/sets/{set_id}/snapshots/{ids[0]}").status_code == 404
    harness.clock.set(start + timedelta(days=400))
    listed = [s["snapshot_id"] for s in api.call("GET", f"/v1/sets/{set_id}/snapshots").json()]
    assert listed == ids[-1:], "the newest snapshot is always kept"


def test_malformed_commits_are_refused(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"p")
    good = api.commit(set_id).request_body
    cases = [
        {**good, "snapshot_id": "X" * 32},
        {**good, "snapshot": "!!not base64!!"},
        {**good, "index_kind": "partial"},
        {**good, "added_packs": ["../../etc"]},
        {**good, "added_packs": [pack_id], "removed_packs": [pack_id]},
        {k: v for k, v in good.items() if k != "index"},
    ]
    for body in cases:
        body = {**body, "snapshot_id": body.get("snapshot_id", good["snapshot_id"])}
        if body["snapshot_id"] == good["snapshot_id"]:
            body["snapshot_id"] = secrets.token_hex(16)
        reply = api.call("POST", f"/v1/sets/{set_id}/commits", json=body)
        assert reply.status_code in (400, 422), body
        assert reply.json()["error"] == "bad_request"
    assert len(api.call("GET", f"/v1/sets/{set_id}/snapshots").json()) == 1
