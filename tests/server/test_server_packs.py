"""Pack upload and download: checksums, ranges, HEAD, idempotence, immutability, limits."""

from __future__ import annotations

import hashlib
import os
import secrets

import blake3

from tests.server.apiharness import Harness


def test_put_get_head_round_trip(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    data = os.urandom(300_000)
    pack_id, reply = api.put_pack(set_id, data)
    assert reply.status_code == 201 and reply.json() == {"size": len(data)}
    got = api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}")
    assert got.status_code == 200 and got.content == data
    head = api.call("HEAD", f"/v1/sets/{set_id}/packs/{pack_id}")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(data)
    assert head.headers["x-content-blake3"] == blake3.blake3(data).hexdigest()
    assert "x-content-sha256" not in head.headers
    listed = api.call("GET", f"/v1/sets/{set_id}/packs").json()
    assert [(p["pack_id"], p["size"], p["expires_at"]) for p in listed] == [
        (pack_id, len(data), None)
    ]
    assert listed[0]["state"] == "leased"


def test_ranges(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    data = bytes(range(256)) * 40
    pack_id, _ = api.put_pack(set_id, data)
    path = f"/v1/sets/{set_id}/packs/{pack_id}"
    cases = {
        "bytes=0-9": (0, 9),
        "bytes=100-": (100, len(data) - 1),
        "bytes=-16": (len(data) - 16, len(data) - 1),
        "bytes=10000-20000": (10000, len(data) - 1),
        "bytes=5-5": (5, 5),
    }
    for header, (start, end) in cases.items():
        reply = api.call("GET", path, headers={"Range": header})
        assert reply.status_code == 206, header
        assert reply.content == data[start : end + 1], header
        assert reply.headers["content-range"] == f"bytes {start}-{end}/{len(data)}"
    for bad in ("bytes=20000-", "bytes=9-5", "bytes=a-b", "bytes=0-1,4-5", "items=0-1", "bytes=-0"):
        reply = api.call("GET", path, headers={"Range": bad})
        assert reply.status_code == 416, bad
        assert reply.json()["error"] == "range_not_satisfiable"
        assert reply.headers["content-range"] == f"bytes */{len(data)}"


def test_checksum_mismatch_stores_nothing(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id = secrets.token_hex(16)
    path = f"/v1/sets/{set_id}/packs/{pack_id}"
    for header, wrong in (
        ("X-Content-BLAKE3", blake3.blake3(b"something else").hexdigest()),
        ("X-Content-SHA256", hashlib.sha256(b"something else").hexdigest()),
        # the right digest of the other algorithm is still the wrong checksum
        ("X-Content-BLAKE3", hashlib.sha256(b"payload").hexdigest()),
    ):
        reply = api.call("PUT", path, content=b"payload", headers={header: wrong})
        assert reply.status_code == 400 and reply.json()["error"] == "checksum_mismatch"
        assert header in reply.json()["message"]
    assert api.call("HEAD", path).status_code == 404
    missing = api.call("PUT", path, content=b"payload")
    assert missing.status_code == 400
    malformed = api.call("PUT", path, content=b"payload", headers={"X-Content-BLAKE3": "zz"})
    assert malformed.status_code == 400
    both = {
        "X-Content-BLAKE3": blake3.blake3(b"payload").hexdigest(),
        "X-Content-SHA256": hashlib.sha256(b"payload").hexdigest(),
    }
    assert api.call("PUT", path, content=b"payload", headers=both).status_code == 400
    assert [o for o in harness.store.list()] == []


def test_an_older_clients_sha256_upload_is_verified_and_answered_in_kind(
    harness: Harness,
) -> None:
    api = harness.user()
    set_id = api.new_set()
    data = os.urandom(100_000)
    pack_id, reply = api.put_pack(set_id, data, older_client=True)
    assert reply.status_code == 201
    path = f"/v1/sets/{set_id}/packs/{pack_id}"
    for method in ("HEAD", "GET"):
        answer = api.call(method, path)
        assert answer.headers["x-content-sha256"] == hashlib.sha256(data).hexdigest(), method
        assert "x-content-blake3" not in answer.headers, method
    # Re-sent the same way, it is the same pack; the bytes were checked, not just the id.
    assert api.put_pack(set_id, data, pack_id, older_client=True)[1].status_code == 200
    assert api.call("GET", path).content == data


def test_reput_identical_is_200_and_different_bytes_conflict(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, first = api.put_pack(set_id, b"A" * 1000)
    _, again = api.put_pack(set_id, b"A" * 1000, pack_id)
    assert (first.status_code, again.status_code) == (201, 200)
    _, other = api.put_pack(set_id, b"B" * 1000, pack_id)
    assert other.status_code == 409 and other.json()["error"] == "conflict"
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == b"A" * 1000
    assert len(list(harness.store.list())) == 1


def test_unknown_set_or_pack_is_404(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    unknown = secrets.token_hex(16)
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{unknown}").status_code == 404
    assert api.call("HEAD", f"/v1/sets/{set_id}/packs/{unknown}").status_code == 404
    _, reply = api.put_pack(unknown, b"data")
    assert reply.status_code == 404 and reply.json()["error"] == "not_found"


def test_a_pack_is_read_only_through_its_own_account_and_set(harness: Harness) -> None:
    """The ranged-read path checks token, set and pack in one query; each miss still says which
    of them is missing, and another account's ids never reach the pack."""
    owner, other = harness.user(), harness.user()
    set_id, other_set = owner.new_set(), other.new_set()
    pack_id, _ = owner.put_pack(set_id, b"B" * 4000)
    ranged = {"Range": "bytes=10-19"}
    got = owner.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}", headers=ranged)
    assert got.status_code == 206 and got.content == b"B" * 10
    cases = [
        (other, f"/v1/sets/{set_id}/packs/{pack_id}", "no such backup set"),
        (other, f"/v1/sets/{other_set}/packs/{pack_id}", "no such pack"),
        (owner, f"/v1/sets/{other_set}/packs/{pack_id}", "no such backup set"),
        (owner, f"/v1/sets/{set_id}/packs/{secrets.token_hex(16)}", "no such pack"),
        (owner, f"/v1/sets/{set_id}/packs/not-an-id", "no such pack"),
        (owner, f"/v1/sets/not-an-id/packs/{pack_id}", "no such backup set"),
    ]
    for api, path, message in cases:
        reply = api.call("GET", path, headers=ranged)
        assert reply.status_code == 404 and reply.json()["message"] == message, path
        assert api.call("HEAD", path).status_code == 404, path
    anonymous = owner.call(
        "GET", f"/v1/sets/{set_id}/packs/{pack_id}", headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401


def test_set_creation_and_listing(harness: Harness) -> None:
    api = harness.user()
    set_id = secrets.token_hex(16)
    assert api.call("PUT", f"/v1/sets/{set_id}", json={}).status_code == 201
    assert api.call("PUT", f"/v1/sets/{set_id}", json={}).status_code == 200
    for bad in (set_id.upper(), set_id[:-1], "..", set_id + "0"):
        assert api.call("PUT", f"/v1/sets/{bad}", json={}).status_code == 404, bad
    sets = api.call("GET", "/v1/sets").json()
    assert [(s["set_id"], s["head_seq"]) for s in sets] == [(set_id, 0)]


def test_pack_bytes_are_stored_under_set_and_prefix(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack_id, _ = api.put_pack(set_id, b"layout")
    keys = [o.key for o in harness.store.list()]
    assert len(keys) == 1
    account, stored_set, prefix, name = keys[0].split("/")
    assert (stored_set, prefix) == (set_id, pack_id[:2]) and name.startswith(pack_id + ".")
    assert len(account) == 32


def test_quota_is_enforced_on_upload(harness: Harness) -> None:
    api = harness.user()
    harness.set_account(api.email, quota_bytes=2500)
    set_id = api.new_set()
    _, first = api.put_pack(set_id, b"x" * 2000)
    assert first.status_code == 201
    _, second = api.put_pack(set_id, b"y" * 1000)
    assert second.status_code == 413
    body = second.json()
    assert body["error"] == "quota_exceeded" and body["used"] == 2000 and body["allowed"] == 2500
    status = api.call("GET", "/v1/account").json()
    assert status["usage_bytes"] == 2000 and status["quota_bytes"] == 2500
    assert [w["code"] for w in status["warnings"]] == []
    _, third = api.put_pack(set_id, b"z" * 400)
    assert third.status_code == 201
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [w["code"] for w in warnings] == ["quota_nearly_full"]


def test_a_pack_of_many_pieces_arrives_whole_and_checked(harness: Harness) -> None:
    # Larger than several of the pieces the service hashes and writes while the next arrives:
    # the pieces must be taken in order, and the checksum must cover all of them.
    api = harness.user()
    set_id = api.new_set()
    data = os.urandom(5 * 1024 * 1024 + 12_345)
    pack_id, reply = api.put_pack(set_id, data)
    assert reply.status_code == 201 and reply.json() == {"size": len(data)}
    assert api.call("GET", f"/v1/sets/{set_id}/packs/{pack_id}").content == data
    other = bytearray(data)
    other[-1] ^= 1  # the declared checksum is of `data`: one flipped byte at the very end
    bad_id = secrets.token_hex(16)
    bad = api.call(
        "PUT",
        f"/v1/sets/{set_id}/packs/{bad_id}",
        content=bytes(other),
        headers={"X-Content-SHA256": hashlib.sha256(data).hexdigest()},
    )
    assert bad.status_code == 400 and bad.json()["error"] == "checksum_mismatch"
    assert api.call("HEAD", f"/v1/sets/{set_id}/packs/{bad_id}").status_code == 404
    assert [o.size for o in harness.store.list()] == [len(data)], "only the good pack is stored"
