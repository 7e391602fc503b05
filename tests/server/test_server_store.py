"""The folder pack store: atomic puts, ranges, listing, deletion and key confinement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.store import ObjectNotFound, open_store
from server.store.folder import FolderStore


def test_put_get_ranges_size_list_delete(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    store.put("acct/set/ab/abcd.1234", [b"hello ", b"world"])
    assert store.get("acct/set/ab/abcd.1234") == b"hello world"
    assert store.get("acct/set/ab/abcd.1234", 6) == b"world"
    assert store.get("acct/set/ab/abcd.1234", 2, 3) == b"llo"
    assert store.size("acct/set/ab/abcd.1234") == 11
    assert b"".join(store.read_blocks("acct/set/ab/abcd.1234", 4)) == b"hello world"
    assert [(o.key, o.size) for o in store.list()] == [("acct/set/ab/abcd.1234", 11)]
    assert [o.key for o in store.list("other/")] == []
    store.delete("acct/set/ab/abcd.1234")
    store.delete("acct/set/ab/abcd.1234")  # idempotent
    assert store.size("acct/set/ab/abcd.1234") is None
    with pytest.raises(ObjectNotFound):
        store.get("acct/set/ab/abcd.1234")
    with pytest.raises(ObjectNotFound):
        list(store.read_blocks("acct/set/ab/abcd.1234"))


def test_aborted_writer_leaves_nothing_and_commit_is_atomic(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    writer = store.writer("a/b")
    writer.write(b"partial")
    assert store.size("a/b") is None, "not visible before commit"
    writer.abort()
    assert list(store.list()) == [] and list((tmp_path / ".tmp").iterdir()) == []
    writer = store.writer("a/b")
    writer.write(b"whole")
    writer.commit()
    assert store.get("a/b") == b"whole"


@pytest.mark.parametrize(
    "key", ["../escape", "a/../../b", "/abs", "a//b", "A/B", "a/b/", ".tmp/x", "a\\b", ""]
)
def test_keys_cannot_leave_the_root(tmp_path: Path, key: str) -> None:
    store = FolderStore(tmp_path / "root")
    with pytest.raises(ValueError):
        store.put(key, [b"x"])
    with pytest.raises(ValueError):
        store.get(key)


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
