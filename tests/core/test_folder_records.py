"""Folder records that keep their folder's tree: what a full scan of an unchanged tree skips, and
what it must still get right.

A reused record stands for its files' cache entries, its chunks and its tree; the scan stages
none of them, and the commit does unless the snapshot is the very one before. These tests pin
the ways that could go wrong: a files cache emptied by a commit that did not stage them, a live
set that lost a folder's blobs, a tree id taken from a record whose subfolders changed, an index
written by the previous schema.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from app.core.backup import backup
from app.core.errors import KeepsakeError
from app.core.index import Index
from app.core.indexdb import SCHEMA_VERSION
from app.core.repository import Repository
from app.core.restore import restore
from tests.core.enginekit import describe, make_repo, records_reused_whole, referenced, write

OLD = 1_600_000_000_000_000_000


def _tree(root: Path) -> Path:
    for a in ("alpha", "beta"):
        for b in ("one", "two"):
            for i in range(3):
                write(root / a / b / f"f{i}.txt", f"{a}/{b}/{i} " * 40, mtime=OLD + i)
        write(root / a / "top.txt", f"top of {a}", mtime=OLD)
    write(root / "readme.txt", "hello", mtime=OLD)
    os.symlink("readme.txt", root / "link")
    return root


def _folders(root: Path) -> int:
    return sum(1 for _ in os.walk(root))


def _recounted(repo: Repository) -> dict[str, int]:
    """Per pack, how many distinct blobs the latest snapshot references, walked from its root."""
    per_pack: Counter[str] = Counter()
    for blob in referenced(repo):
        location = repo.index.lookup(blob)
        assert location is not None
        per_pack[location.pack_id] += 1
    return dict(per_pack)


def _cache_keys(repo: Repository) -> int:
    return len(repo.index._query("SELECT path_key FROM files_cache"))


def test_a_change_deep_down_gives_its_ancestors_new_trees_and_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _tree(tmp_path / "src")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    backup(repo, [src])  # every folder recorded now
    kept = records_reused_whole(monkeypatch)

    write(src / "alpha" / "two" / "f1.txt", "changed", mtime=OLD + 100)
    changed = backup(repo, [src])

    # alpha/two is judged file by file; its ancestors (alpha, src) keep their records but not
    # their trees; beta, beta/*, alpha/one are reused whole.
    assert changed.files_changed == 1 and changed.bytes_read == len("changed")
    assert len(kept) == _folders(src) - 3
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []
    assert describe(out / "src") == describe(src)

    kept.clear()
    again = backup(repo, [src])  # alpha/two was recorded anew, alpha and src with new trees
    assert again.bytes_read == 0 and len(kept) == _folders(src) == 7
    assert repo.resolve(None).record.root == repo.resolve(changed.snapshot_id).record.root


def test_a_commit_with_a_new_root_stages_what_reused_records_stand_for(
    tmp_path: Path,
) -> None:
    """The files cache keeps the entries of folders reused whole, and the live set their blobs,
    although the scan staged neither."""
    src = _tree(tmp_path / "src")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    backup(repo, [src])
    files = _cache_keys(repo)
    assert files == 15

    (src / "beta" / "one" / "f2.txt").unlink()
    result = backup(repo, [src])

    assert result.files_unmodified == 14 and result.bytes_read == 0
    assert _cache_keys(repo) == files - 1  # the deleted file's entry, and only that, is gone
    assert repo.index.live_pack_counts() == _recounted(repo)
    assert backup(repo, [src]).bytes_read == 0


def test_the_same_snapshot_again_keeps_the_files_cache_and_the_counts(
    tmp_path: Path,
) -> None:
    src = _tree(tmp_path / "src")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    backup(repo, [src])
    files, counts = _cache_keys(repo), repo.index.live_pack_counts()

    for _ in range(2):
        result = backup(repo, [src])
        assert result.bytes_read == 0 and result.files_unmodified == 15
        assert _cache_keys(repo) == files
        assert repo.index.live_pack_counts() == counts == _recounted(repo)


def test_counts_made_again_include_the_reused_records_blobs(tmp_path: Path) -> None:
    """When the previous counts cannot be taken as they are, the reused records' blobs are
    staged before counting: no pack they live in may be dropped from the live set."""
    from app.core.indexhistory import LIVE_SNAPSHOT

    src = _tree(tmp_path / "src")
    repo = make_repo(tmp_path)
    repo.pack_target = 1  # a pack per blob: a blob left out would drop its pack
    backup(repo, [src])
    backup(repo, [src])
    repo.index.set_meta(LIVE_SNAPSHOT, None)

    backup(repo, [src])

    assert repo.index.live_pack_counts() == _recounted(repo)
    out = tmp_path / "out"
    assert restore(repo, repo.resolve(None), [], out).failures == []


def test_staging_a_record_that_is_gone_stops_the_commit(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite")
    with pytest.raises(KeepsakeError, match="nothing was committed"):
        index.stage_records([b"\x01" * 32])


def test_an_index_of_the_previous_schema_drops_its_folder_records(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    src = _tree(tmp_path / "src")
    repo = make_repo(tmp_path)
    backup(repo, [src])
    repo.index.close()
    with sqlite3.connect(path) as conn:  # as schema "1" had it: records without a tree
        conn.execute("DROP TABLE dir_cache")
        conn.execute(
            "CREATE TABLE dir_cache(dir_key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL,"
            " rows BLOB NOT NULL, kept BLOB NOT NULL, refs BLOB NOT NULL,"
            " files INTEGER NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID"
        )
        conn.execute(
            "INSERT INTO dir_cache VALUES (?, ?, ?, ?, ?, 0, 0)", (b"k" * 32, b"f", b"", b"", b"")
        )
        conn.execute("UPDATE meta SET v = '1' WHERE k = 'schema'")

    reopened = Index(path)
    assert reopened.get_meta("schema") == SCHEMA_VERSION
    assert reopened._query("SELECT COUNT(*) FROM dir_cache") == [(0,)]
    repo.index = reopened
    again = backup(repo, [src])
    assert again.bytes_read == 0 and again.problems == []  # the files cache still vouches
    assert reopened._query("SELECT COUNT(*) FROM dir_cache")[0][0] == _folders(src)
