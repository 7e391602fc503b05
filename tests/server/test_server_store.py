"""Pack stores (folder and S3): atomic puts, ranges, listing, deletion and key confinement."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.api.context import Context
from server.clock import FixedClock
from server.db.engine import Database, sqlite_url
from server.domain.gc import collect
from server.store import ObjectNotFound, PackStore, open_store
from server.store.folder import FolderStore
from server.store.s3 import S3Store
from tests.server.apiharness import START, Harness
from tests.server.s3 import s3_store_url


@pytest.fixture(params=["folder", "s3"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> PackStore:
    if request.param == "folder":
        return FolderStore(tmp_path)
    endpoint = request.getfixturevalue("s3_endpoint")
    url = s3_store_url(monkeypatch, endpoint, f"b-{secrets.token_hex(6)}")
    opened = open_store(url)
    assert isinstance(opened, S3Store)
    return opened


def test_put_get_ranges_size_list_delete(store: PackStore) -> None:
    key = "acct/set/ab/abcd.1234"
    store.put(key, [b"hello ", b"world"])
    assert store.get(key) == b"hello world"
    assert store.get(key, 6) == b"world"
    assert store.get(key, 2, 3) == b"llo"
    assert store.size(key) == 11
    assert b"".join(store.read_blocks(key, 4)) == b"hello world"
    assert [(o.key, o.size) for o in store.list()] == [(key, 11)]
    assert [o.key for o in store.list("acct/")] == [key]
    assert [o.key for o in store.list("other/")] == []
    store.delete(key)
    store.delete(key)  # idempotent
    assert store.size(key) is None
    with pytest.raises(ObjectNotFound):
        store.get(key)
    with pytest.raises(ObjectNotFound):
        list(store.read_blocks(key))


def test_aborted_writer_leaves_nothing_and_commit_is_atomic(store: PackStore) -> None:
    writer = store.writer("a/b")
    writer.write(b"partial")
    assert store.size("a/b") is None, "not visible before commit"
    writer.abort()
    assert list(store.list()) == []
    writer = store.writer("a/b")
    writer.write(b"who")
    writer.write(b"le")
    writer.commit()
    assert store.get("a/b") == b"whole"


@pytest.mark.parametrize(
    "key", ["../escape", "a/../../b", "/abs", "a//b", "A/B", "a/b/", ".tmp/x", "a\\b", ""]
)
def test_keys_cannot_leave_the_root(store: PackStore, key: str) -> None:
    with pytest.raises(ValueError):
        store.put(key, [b"x"])
    with pytest.raises(ValueError):
        store.get(key)


def test_folder_writer_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    writer = store.writer("a/b")
    writer.write(b"partial")
    writer.abort()
    assert list((tmp_path / ".tmp").iterdir()) == []


def test_clean_temporary_removes_only_old_leftovers(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    store.writer("a/b").write(b"left behind by a crash")
    now = datetime.now(UTC)
    assert store.clean_temporary(now - timedelta(hours=1)) == 0
    assert store.clean_temporary(now + timedelta(seconds=5)) == 1


def test_open_store_accepts_paths_and_file_urls(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "p")), FolderStore)
    assert isinstance(open_store((tmp_path / "q").as_uri()), FolderStore)
    with pytest.raises(ValueError):
        open_store("gopher://example.invalid/x")


def test_service_on_s3_uploads_ranges_and_collects(
    s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cheap_hashing: None
) -> None:
    store = open_store(s3_store_url(monkeypatch, s3_endpoint, f"svc-{secrets.token_hex(6)}"))
    db = Database(sqlite_url(tmp_path / "k.db"))
    db.upgrade()
    clock = FixedClock(START)
    with TestClient(create_app(Context(db=db, store=store, clock=clock))) as client:
        harness = Harness(client, clock, db, store, tmp_path)
        api = harness.user(plan="PRO")
        set_id = api.new_set()
        pack_id, put = api.put_pack(set_id, b"stored in a bucket")
        assert put.status_code == 201
        path = f"/v1/sets/{set_id}/packs/{pack_id}"
        ranged = api.call("GET", path, headers={"Range": "bytes=10-"})
        assert ranged.status_code == 206 and ranged.content == b"a bucket"
        assert [o.key.split("/")[-1].split(".")[0] for o in store.list()] == [pack_id]
        collect(db, store, START + timedelta(days=6))
        assert list(store.list()) == []
    db.dispose()


def test_folder_writer_starts_writeback_and_ignores_a_refused_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import server.store.folder as folder

    asked: list[tuple[int, int]] = []

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        asked.append((offset, length))
        raise OSError(22, "not supported here")  # a hint the system refuses changes nothing

    monkeypatch.setattr(os, "posix_fadvise", advise, raising=False)
    store = FolderStore(tmp_path)
    piece = os.urandom(1024 * 1024)
    writer = store.writer("a/b")
    for _ in range(9):
        writer.write(piece)
    writer.commit()
    assert store.get("a/b") == piece * 9
    step = folder.WRITEBACK_BYTES
    assert asked == [(0, step), (step, step)], "each 4 MiB written is handed to the disk once"
