"""Pack reads: several ranges in one request, and the lane that answers successful reads.

The lane (`server.api.packreads`) answers a pack read that succeeds without the framework's
layers; everything else goes to the full application. Both must give the same answers.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.api import routes_reads
from server.api.app import create_app
from server.context import Context
from tests.server.apiharness import Harness

_VARYING = {"date", "x-request-id"}


def _ranges(*items: tuple[str, int, int]) -> dict[str, Any]:
    return {"ranges": [{"pack_id": p, "start": s, "length": n} for p, s, n in items]}


def test_ranges_of_several_packs_come_back_to_back(harness: Harness) -> None:
    api = harness.user()
    set_id = api.new_set()
    one, two = os.urandom(70_000), os.urandom(30_000)
    first, _ = api.put_pack(set_id, one)
    second, _ = api.put_pack(set_id, two)
    wanted = _ranges((second, 5, 100), (first, 0, 1), (second, 5, 100), (first, 69_000, 1000))
    reply = api.call("POST", f"/v1/sets/{set_id}/reads", json=wanted)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/octet-stream"
    assert reply.content == two[5:105] + one[:1] + two[5:105] + one[69_000:]
    empty = api.call("POST", f"/v1/sets/{set_id}/reads", json={"ranges": []})
    assert empty.status_code == 200 and empty.content == b""


def test_reads_give_nothing_that_is_not_the_sets(harness: Harness) -> None:
    victim, intruder = harness.user(), harness.user()
    set_id, own_set = victim.new_set(), intruder.new_set()
    pack, _ = victim.put_pack(set_id, b"victim's bytes")
    own_pack, _ = intruder.put_pack(own_set, b"intruder's bytes")
    stranger = secrets.token_hex(16)
    cases = [
        (intruder, set_id, _ranges((pack, 0, 4))),  # another account's set
        (intruder, own_set, _ranges((own_pack, 0, 4), (pack, 0, 4))),  # its pack in one's own
        (intruder, set_id, {"ranges": []}),  # nothing asked, still not theirs
        (victim, set_id, _ranges((pack, 0, 4), (stranger, 0, 4))),
        (victim, secrets.token_hex(16), _ranges((pack, 0, 4))),
        (victim, set_id, _ranges(("../../" + pack, 0, 4))),
    ]
    for api, target, body in cases:
        reply = api.call("POST", f"/v1/sets/{target}/reads", json=body)
        assert reply.status_code == 404, body
        assert reply.json()["error"] == "not_found"
        assert b"victim" not in reply.content and pack.encode() not in reply.content
    nobody = harness.client.post(f"/v1/sets/{set_id}/reads", json=_ranges((pack, 0, 4)))
    assert nobody.status_code == 401


def test_reads_must_lie_inside_their_packs_and_within_the_limits(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = harness.user()
    set_id = api.new_set()
    pack, _ = api.put_pack(set_id, b"0123456789")
    path = f"/v1/sets/{set_id}/reads"
    past_end = api.call("POST", path, json=_ranges((pack, 0, 4), (pack, 8, 3)))
    assert past_end.status_code == 416
    assert past_end.json()["error"] == "range_not_satisfiable"
    for start, length in ((0, 0), (-1, 2)):
        assert api.call("POST", path, json=_ranges((pack, start, length))).status_code == 422
    monkeypatch.setattr(routes_reads, "MAX_READ_BYTES", 8)
    too_much = api.call("POST", path, json=_ranges((pack, 0, 5), (pack, 5, 5)))
    assert too_much.status_code == 413 and too_much.json()["error"] == "too_large"
    monkeypatch.setattr(routes_reads, "MAX_RANGES", 2)
    too_many = api.call("POST", path, json=_ranges((pack, 0, 1), (pack, 1, 1), (pack, 2, 1)))
    assert too_many.status_code == 400
    assert api.call("POST", path, json=_ranges((pack, 2, 3), (pack, 0, 1))).content == b"2340"


@pytest.fixture
def without_lane(harness: Harness) -> Iterator[TestClient]:
    """The same service (database, packs, clock) with every read going through FastAPI."""
    context = Context(db=harness.db, store=harness.store, clock=harness.clock)
    app = create_app(context, request_log=False, pack_reads=False)
    with TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 50001)) as client:
        yield client


def test_the_lane_answers_reads_as_the_full_application_does(
    harness: Harness, without_lane: TestClient
) -> None:
    lane = harness.client.app.pack_reads  # type: ignore[attr-defined]
    assert lane is not None
    handed_on: list[str] = []
    full = lane._fallback

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        handed_on.append(scope["path"])
        await full(scope, receive, send)

    lane._fallback = counting
    api = harness.user()
    set_id = api.new_set()
    data = os.urandom(50_000)
    pack, _ = api.put_pack(set_id, data)
    path = f"/v1/sets/{set_id}/packs/{pack}"
    good = [{}, {"Range": "bytes=0-9"}, {"Range": "bytes=49990-"}, {"Range": "bytes=-7"}]
    bad = [{"Range": "bytes=60000-"}, {"Range": "bytes=0-1,4-5"}, {"Range": "lines=1-2"}]
    assert harness.client.get(path + "?x=1", headers=api.headers).content == data  # not the lane's
    for extra in good + bad:
        headers = {**api.headers, **extra}
        ours, theirs = (
            harness.client.get(path, headers=headers),
            without_lane.get(path, headers=headers),
        )
        assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content), extra
        assert _stable(ours.headers) == _stable(theirs.headers), extra
    assert len(handed_on) == len(bad)  # the successful reads never reached the full app
    others = [
        (f"/v1/sets/{set_id}/packs/{secrets.token_hex(16)}", api.headers),
        (f"/v1/sets/{secrets.token_hex(16)}/packs/{pack}", api.headers),
        (path, {}),
        (path, {"Authorization": "Bearer " + secrets.token_urlsafe(32)}),
        (path, {"Authorization": "Basic " + secrets.token_urlsafe(32)}),
    ]
    for target, headers in others:
        ours, theirs = (
            harness.client.get(target, headers=headers),
            without_lane.get(target, headers=headers),
        )
        assert ours.status_code in (401, 404), target
        assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json()), target
        assert _stable(ours.headers) == _stable(theirs.headers), target


def test_the_lane_logs_its_reads_with_their_request_ids(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    context = Context(db=harness.db, store=harness.store, clock=harness.clock)
    api = harness.user()
    set_id = api.new_set()
    pack, _ = api.put_pack(set_id, b"0123456789")
    with (
        TestClient(create_app(context), client=("127.0.0.1", 50002)) as client,
        caplog.at_level(logging.INFO, logger="keepsake.server.requests"),
    ):
        given = client.get(
            f"/v1/sets/{set_id}/packs/{pack}",
            headers={**api.headers, "Range": "bytes=2-4", "X-Request-ID": "proxy-42"},
        )
        made = client.get(f"/v1/sets/{set_id}/packs/{pack}", headers=api.headers)
    assert given.content == b"234" and given.headers["x-request-id"] == "proxy-42"
    assert made.content == b"0123456789" and len(made.headers["x-request-id"]) == 16
    lines = [r for r in caplog.records if r.name == "keepsake.server.requests"]
    assert [(r.route, r.status) for r in lines] == [  # type: ignore[attr-defined]
        ("/v1/sets/{set_id}/packs/{pack_id}", 206),
        ("/v1/sets/{set_id}/packs/{pack_id}", 200),
    ]
    assert set_id not in caplog.text and pack not in caplog.text


def _stable(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower() not in _VARYING}
