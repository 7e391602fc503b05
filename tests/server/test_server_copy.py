"""The weekly safety copy: scrub copies new packs to a second store (a folder or S3), repairs a
damaged pack from it, reports damage it cannot repair, and GC empties both stores."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server.cli import main
from server.clock import iso
from server.context import Context
from server.db.engine import sqlite_url
from server.db.models import Pack
from server.domain.gc import collect
from server.domain.scrub import scrub
from server.policy import schedule
from server.policy.schedule import JobState
from server.scheduler import RUNNERS, run_once
from server.store import PackStore, open_store
from server.store.folder import FolderStore
from tests.server.apiharness import START, Api, Harness
from tests.server.conftest import DATABASES
from tests.server.postgres import PostgresServer
from tests.server.s3 import s3_store_url

DAY = timedelta(days=1)


# Each metadata database once and each kind of second store once, without the full product.
PAIRS = (
    [("sqlite", "s3"), ("postgresql", "folder")]
    if "postgresql" in DATABASES
    else [
        ("sqlite", "s3"),
        ("sqlite", "folder"),
    ]
)


@pytest.fixture(params=PAIRS, ids=["-".join(pair) for pair in PAIRS])
def pair(request: pytest.FixtureRequest) -> tuple[str, str]:
    return tuple(request.param)  # type: ignore[return-value]


@pytest.fixture
def database_url(pair: tuple[str, str], request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Overrides the suite's fixture: this module pairs databases with copy stores."""
    if pair[0] == "sqlite":
        return sqlite_url(tmp_path / "keepsake.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.fresh_database()


@pytest.fixture
def copy_store(
    pair: tuple[str, str],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[str, PackStore]:
    """The second store, with the URL an operator would give."""
    if pair[1] == "folder":
        url = str(tmp_path / "copy")
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        url = s3_store_url(monkeypatch, endpoint, f"copy-{secrets.token_hex(6)}")
    return url, open_store(url)


def stored(store: PackStore, pack_id: str) -> bytes:
    [key] = [o.key for o in store.list() if pack_id in o.key]
    return store.get(key)


def corrupt(store: PackStore, pack_id: str) -> None:
    [key] = [o.key for o in store.list() if pack_id in o.key]
    data = bytearray(store.get(key))
    data[len(data) // 2] ^= 0x20
    store.put(key, [bytes(data)])


def backup(api: Api, *contents: bytes) -> list[str]:
    set_id = api.new_set()
    packs = [api.put_pack(set_id, data)[0] for data in contents]
    assert api.commit(set_id, added=packs).status_code == 201
    return packs


def test_scrub_copies_new_packs_once(harness: Harness, copy_store: tuple[str, PackStore]) -> None:
    _, copy = copy_store
    api = harness.user(plan="PRO")
    first, second = backup(api, b"first pack", b"second pack")
    now = harness.clock.now()
    report = scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    assert report.copied == 2 and report.damaged == [] and report.repaired == []
    assert stored(copy, first) == b"first pack" and stored(copy, second) == b"second pack"
    with harness.db.read() as session:
        assert {p.copied_at for p in session.scalars(select(Pack))} == {now}
    (third,) = backup(api, b"third pack")
    report = scrub(harness.db, harness.store, now + 7 * DAY, now, copy=copy)
    assert (report.copied, report.copies_fixed) == (1, 0), "only the new pack is copied"
    assert stored(copy, third) == b"third pack"


def test_a_damaged_pack_is_repaired_from_the_copy_and_reported(
    harness: Harness, copy_store: tuple[str, PackStore], capsys: pytest.CaptureFixture[str]
) -> None:
    url, copy = copy_store
    api = harness.user(plan="PRO")
    rotten, fine = backup(api, b"a pack that will rot", b"a pack that stays")
    now = harness.clock.now()
    scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    corrupt(harness.store, rotten)
    code = main(
        ["admin", *harness.location(), "--copy-storage-url", url, "scrub", "--now", iso(now)]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "1 repaired from the copy" in out.out
    assert "repaired: account" in out.out and rotten in out.out and "checksum mismatch" in out.out
    assert stored(harness.store, rotten) == b"a pack that will rot"
    assert stored(harness.store, fine) == b"a pack that stays"
    assert api.call("GET", "/v1/account").json()["warnings"] == []


def test_a_missing_pack_is_restored_and_a_lost_copy_rewritten(
    harness: Harness, copy_store: tuple[str, PackStore]
) -> None:
    _, copy = copy_store
    api = harness.user(plan="PRO")
    (pack,) = backup(api, b"precious bytes")
    now = harness.clock.now()
    scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    [key] = [o.key for o in harness.store.list()]
    harness.store.delete(key)
    report = scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    assert len(report.repaired) == 1 and "missing" in report.repaired[0]
    assert stored(harness.store, pack) == b"precious bytes"
    copy.delete(key)
    report = scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    assert report.copies_fixed == 1 and stored(copy, pack) == b"precious bytes"


def test_damage_without_a_good_copy_is_flagged_and_dated(
    harness: Harness, copy_store: tuple[str, PackStore], capsys: pytest.CaptureFixture[str]
) -> None:
    url, copy = copy_store
    api = harness.user(plan="PRO")
    (pack,) = backup(api, b"damaged in both places")
    now = harness.clock.now()
    scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    corrupt(harness.store, pack)
    corrupt(copy, pack)
    code = main(
        ["admin", *harness.location(), "--copy-storage-url", url, "scrub", "--now", iso(now)]
    )
    out = capsys.readouterr()
    assert code == 1
    assert "the safety copy is missing or damaged too" in out.err and pack in out.err
    warnings = api.call("GET", "/v1/account").json()["warnings"]
    assert [(w["code"], w["date"]) for w in warnings] == [("damaged_packs", iso(now))]
    assert stored(harness.store, pack) != b"damaged in both places", "nothing was overwritten"


def test_gc_deletes_from_the_copy_too(harness: Harness, copy_store: tuple[str, PackStore]) -> None:
    _, copy = copy_store
    api = harness.user(plan="PRO")
    backup(api, b"mine")
    now = harness.clock.now()
    scrub(harness.db, harness.store, now, now - DAY, copy=copy)
    assert len(list(copy.list())) == 1
    assert api.call("DELETE", "/v1/account", json={"password": "correct horse"}).status_code == 204
    report = collect(harness.db, harness.store, now, copy=copy)
    assert report.accounts_deleted and list(harness.store.list()) == []
    assert list(copy.list()) == [], "a deleted account leaves nothing in the safety copy"


def test_scrub_runs_weekly_on_the_services_schedule(harness: Harness, tmp_path: Path) -> None:
    assert schedule.SCRUB.every == timedelta(days=7)
    copy = FolderStore(tmp_path / "copy")
    context = Context(db=harness.db, store=harness.store, clock=harness.clock, copy_store=copy)
    api = harness.user(plan="PRO")
    (pack,) = backup(api, b"copied by the schedule")
    runner = RUNNERS["scrub"]
    assert run_once(context, schedule.SCRUB, runner) is True
    assert stored(copy, pack) == b"copied by the schedule"
    harness.clock.set(START + 6 * DAY)
    assert run_once(context, schedule.SCRUB, runner) is None, "not due within the week"
    harness.clock.set(START + 7 * DAY)
    assert run_once(context, schedule.SCRUB, runner) is True


@pytest.mark.parametrize(
    ("state", "hours", "due"),
    [
        (JobState(), 0, True),  # never ran
        (JobState(None, START, True), 23, False),
        (JobState(None, START, True), 24, True),
        (JobState(None, START, False), 1, True),  # failed: retried after an hour
        (JobState(None, START, False), 0, False),
        (JobState(START + timedelta(hours=6), START, None), 5, False),  # another process runs it
        (JobState(START + timedelta(hours=6), START, None), 6, True),  # ...and died: taken over
    ],
)
def test_job_schedule(state: JobState, hours: int, due: bool) -> None:
    assert schedule.is_due(schedule.GC, state, START + timedelta(hours=hours)) is due
