"""The native module writes and reads exactly the Python path's format, and fails the same way."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import backup_files, chunker, native, sealing
from app.core.errors import IntegrityError
from app.core.keys import chunk_id, derive_subkeys, tree_hash
from app.core.safepath import SafeDir
from app.core.sealing import BlobType, Sealer, id_size, open_blob
from tests.conftest import native_module

SUBKEYS = derive_subkeys(bytes(range(32)), "0a1b2c3d")
TAMPERED = "authentication failed (tampered, truncated or misplaced)"
MAX = chunker.MAX_SIZE
REWRITE_EVERY = 0.02


@pytest.fixture(scope="module")
def kn() -> ModuleType:
    return native_module()


def _seal_natively(kn: ModuleType, sealer: Sealer, items: list[tuple[bytes, bytes]]) -> list:
    key, session_id, first = sealer.reserve(BlobType.DATA, len(items))
    return list(kn.seal_many(key, session_id, first, BlobType.DATA, items))


def _open_natively(kn: ModuleType, sealed: list[bytes], ids: list[bytes]) -> list:
    buffer = b"".join(sealed)
    items, offset = [], 0
    for blob, blob_id in zip(sealed, ids, strict=True):
        items.append((offset, len(blob), blob_id))
        offset += len(blob)
    return list(
        kn.open_many(SUBKEYS.enc, SUBKEYS.id, BlobType.DATA, "data", 32, buffer, items, MAX)
    )


contents = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda n, b: b * n, st.integers(1, 40_000), st.binary(min_size=1, max_size=7)),
    st.builds(os.urandom, st.integers(60_000, 140_000)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(contents, min_size=1, max_size=6))
def test_sealed_natively_opens_in_python_and_the_other_way_round(
    kn: ModuleType, datas: list[bytes]
) -> None:
    sealer = Sealer(SUBKEYS)
    ids = [chunk_id(SUBKEYS, d) for d in datas]

    native_sealed = _seal_natively(kn, sealer, list(zip(ids, datas, strict=True)))
    python_sealed = [sealer.seal(BlobType.DATA, i, d) for i, d in zip(ids, datas, strict=True)]

    assert [
        open_blob(SUBKEYS, BlobType.DATA, i, b) for i, b in zip(ids, native_sealed, strict=True)
    ] == datas
    assert _open_natively(kn, python_sealed, ids) == datas
    assert _open_natively(kn, native_sealed, ids) == datas
    # Same codec decision and the same size: compression is judged exactly as in Python.
    assert [len(b) for b in native_sealed] == [len(b) for b in python_sealed]
    # Every blob took its own nonce: none repeats across the two paths of one sealer.
    nonces = {(b[2:18], b[18:30]) for b in native_sealed + python_sealed}
    assert len(nonces) == 2 * len(datas)


def test_a_batch_reserves_nonces_no_other_seal_reuses(kn: ModuleType) -> None:
    sealer = Sealer(SUBKEYS)
    before = sealer.seal(BlobType.DATA, chunk_id(SUBKEYS, b"a"), b"a")
    _, session_id, first = sealer.reserve(BlobType.DATA, 5)
    after = sealer.seal(BlobType.DATA, chunk_id(SUBKEYS, b"b"), b"b")

    assert int.from_bytes(before[18:30], "big") < first
    assert int.from_bytes(after[18:30], "big") == first + 5
    assert before[2:18] == session_id == after[2:18]


def test_tampered_misplaced_and_foreign_blobs_fail_alone(kn: ModuleType) -> None:
    sealer = Sealer(SUBKEYS)
    datas = [b"good one" * 10, b"flipped" * 10, b"wrong id" * 10, b"good two" * 10]
    ids = [chunk_id(SUBKEYS, d) for d in datas]
    sealed = [sealer.seal(BlobType.DATA, i, d) for i, d in zip(ids, datas, strict=True)]
    flipped = bytearray(sealed[1])
    flipped[40] ^= 1
    sealed[1] = bytes(flipped)
    ids[2] = chunk_id(SUBKEYS, b"something else")

    opened = _open_natively(kn, sealed, ids)

    assert opened[0] == datas[0] and opened[3] == datas[3]
    assert opened[1] == TAMPERED and opened[2] == TAMPERED  # the id is bound by the AAD


def test_right_key_wrong_content_is_caught_by_the_hash(kn: ModuleType) -> None:
    """A blob sealed under the right key and id whose plaintext is not the id's content."""
    sealer = Sealer(SUBKEYS)
    liar_id = chunk_id(SUBKEYS, b"what the id promises")
    key, session_id, first = sealer.reserve(BlobType.DATA, 1)
    [liar] = kn.seal_many(key, session_id, first, BlobType.DATA, [(liar_id, b"other bytes")])

    assert _open_natively(kn, [liar], [liar_id]) == ["content does not match its id"]
    with pytest.raises(IntegrityError, match="does not match its id"):
        open_blob(SUBKEYS, BlobType.DATA, liar_id, liar)


def test_truncated_wrong_type_and_malformed_ids_are_errors_not_crashes(kn: ModuleType) -> None:
    sealer = Sealer(SUBKEYS)
    data = b"tree listing"
    tid = tree_hash(SUBKEYS, data)
    tree_blob = sealer.seal(BlobType.TREE, tid, data)
    buffer = tree_blob + b"\x01"

    as_tree = kn.open_many(
        SUBKEYS.meta,
        SUBKEYS.tree,
        BlobType.TREE,
        "tree",
        32,
        buffer,
        [(0, len(tree_blob), tid), (0, len(tree_blob) + 50, tid), (0, 10, tid), (0, 5, b"short")],
        MAX,
    )
    as_data = kn.open_many(
        SUBKEYS.enc, SUBKEYS.id, BlobType.DATA, "data", 32, buffer, [(0, len(tree_blob), tid)], MAX
    )

    assert as_tree == [
        data,
        "sealed blob is truncated",
        "sealed blob is truncated",
        "malformed tree id",
    ]
    assert as_data == ["expected a data blob, found type 2"]
    assert id_size(BlobType.SNAPSHOT) == 16


def test_a_decompression_bomb_is_refused_before_it_inflates(kn: ModuleType) -> None:
    sealer = Sealer(SUBKEYS)
    data = bytes(4 * 1024 * 1024)
    cid = chunk_id(SUBKEYS, data)
    blob = sealer.seal(BlobType.DATA, cid, data)

    [opened] = kn.open_many(
        SUBKEYS.enc, SUBKEYS.id, BlobType.DATA, "data", 32, blob, [(0, len(blob), cid)], 1024
    )

    assert "more than a blob may hold" in opened


def test_read_files_reads_whole_files_and_says_why_not(kn: ModuleType, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"hello" * 100)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 5000)
    link = tmp_path / "link"
    link.symlink_to(small)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    paths = [str(p) for p in (small, empty, big, link, fifo, tmp_path, tmp_path / "gone")]

    got = kn.read_files(paths, 4096, SUBKEYS.id)

    fields, data, cid = got[0]
    st = os.stat(small)
    assert data == b"hello" * 100 and cid == chunk_id(SUBKEYS, data)
    assert native.stat_result(fields) == st  # every field os.stat gives
    assert native.stat_result(fields).st_mtime_ns == st.st_mtime_ns
    assert got[1][1] == b""
    assert got[2] == "large"
    assert got[3] == errno.ELOOP  # a link planted in place of a file is not followed
    assert got[4] == "irregular"  # and a FIFO does not block the batch
    assert got[5] == "irregular"
    assert got[6] == errno.ENOENT


def test_native_failures_read_as_the_python_paths_reasons() -> None:
    assert backup_files._native_failure(errno.ENOENT) == "it disappeared before it could be read"
    assert backup_files._native_failure(errno.EACCES) == "permission denied"
    assert backup_files._native_failure(errno.EPERM) == "permission denied"
    assert backup_files._native_failure("unstable") == "it kept changing while being read"
    assert backup_files._native_failure(errno.EIO) == os.strerror(errno.EIO)


def test_a_file_rewritten_during_reads_is_never_returned_mixed(
    kn: ModuleType, tmp_path: Path
) -> None:
    """A writer rewrites a file in place, flipping between two contents of different sizes,
    while it is read again and again: no read the module returns mixes two versions, and each
    matches its stat. The rewrites are REWRITE_EVERY apart, more than a file-time tick: like
    every stat-based check (restic's, the Python path's), this one cannot see two rewrites
    that leave the same size within one tick of the clock that stamps file times."""
    target = tmp_path / "moving.bin"
    versions = [b"A" * 300_000, b"B" * 200_000]
    target.write_bytes(versions[0])
    stop = threading.Event()

    def flip() -> None:
        i = 0
        while not stop.wait(REWRITE_EVERY):
            i += 1
            with open(target, "r+b") as f:
                f.truncate(0)
                f.write(versions[i % 2])

    writer = threading.Thread(target=flip)
    writer.start()
    whole = 0
    deadline = time.monotonic() + 1.0
    try:
        while time.monotonic() < deadline:
            for outcome in kn.read_files([str(target)] * 5, 1 << 20, SUBKEYS.id):
                if not isinstance(outcome, tuple):
                    assert outcome == "unstable"
                    continue
                fields, data, cid = outcome
                # One version, or the state between its truncation and its write: never both.
                assert len(set(data)) <= 1
                assert len(data) == native.stat_result(fields).st_size
                assert cid == chunk_id(SUBKEYS, data)
                whole += data in versions
    finally:
        stop.set()
        writer.join()

    assert whole > 0


def test_write_files_creates_only_new_files_with_mode_and_mtime(
    kn: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_bytes(b"someone else's")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (tmp_path / "planted").symlink_to(outside)
    mtime = 1_600_000_000_123_456_789
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        got = kn.write_files(
            [
                (fd, "new", [b"hello ", b"world"], 0o100640, mtime),
                (fd, "taken", [b"overwritten?"], 0o100644, mtime),
                (fd, "planted", [b"through a link?"], 0o100644, mtime),
                (fd, "empty", [], 0o100600, mtime),
                (-1, "nowhere", [b"x"], 0o100644, mtime),
            ],
            True,
        )
    finally:
        os.close(fd)

    assert got == [11, -errno.EEXIST, -errno.EEXIST, 0, -errno.EBADF]
    st = os.stat(tmp_path / "new")
    assert (tmp_path / "new").read_bytes() == b"hello world"
    assert st.st_mode & 0o7777 == 0o640 and st.st_mtime_ns == mtime
    assert (tmp_path / "taken").read_bytes() == b"someone else's"
    assert not outside.exists()
    assert (tmp_path / "empty").stat().st_size == 0


def test_rename_many_replaces_files_but_never_a_folder(kn: ModuleType, tmp_path: Path) -> None:
    for name in ("t1", "t2", "t3"):
        (tmp_path / name).write_bytes(name.encode())
    (tmp_path / "old").write_bytes(b"old")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "inside").write_bytes(b"kept")
    raw = b"bad-\xff-name"  # not UTF-8: names travel as OS bytes
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        got = kn.rename_many([(fd, b"t1", b"old"), (fd, b"t2", b"folder"), (fd, b"t3", raw)])
    finally:
        os.close(fd)

    assert got[0] == 0 and got[2] == 0
    assert (tmp_path / "old").read_bytes() == b"t1"
    assert os.path.exists(os.path.join(os.fsencode(tmp_path), raw))
    assert got[1] in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST)
    assert (tmp_path / "folder" / "inside").read_bytes() == b"kept"
    with SafeDir.open_root(tmp_path) as safe:
        error = safe.rename_error(got[1], "folder")
    assert isinstance(error, IsADirectoryError) and "a folder is in the way" in str(error)


def _odd_tree(root: Path) -> Path:
    """Names whose byte order and code-point order differ, undecodable names, long link
    targets, a dangling link, a FIFO, nested and empty folders."""
    root.mkdir()
    for name in ("b.txt", "a.txt", "Z.txt", "é.txt", "\U0001f600.txt", "\ufb01.txt", "e\u0301.txt"):
        (root / name).write_text(name)
    raw_root = os.fsencode(root)
    for raw in (b"bad-\xff.txt", b"bad-\xc3.txt", b"\xed\xa0\x80.txt"):
        with open(os.path.join(raw_root, raw), "wb") as f:
            f.write(raw)
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "sub" / "deeper" / "leaf").write_bytes(b"leaf")
    (root / "empty").mkdir()
    (root / "link").symlink_to("a.txt")
    (root / "long-link").symlink_to("x" * 1000)
    (root / "dangling").symlink_to("/nonexistent/target")
    os.mkfifo(root / "fifo")
    return root


def _listing_of(repo, path: Path, seen: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from app.core.dirlist import Lister
    from app.core.progress import CancelToken

    lister = Lister(
        repo.subkeys,
        repo.index,
        lambda ids: set(),
        lambda pack, set_id: False,
        lambda: False,
        exclude=None,
        problem=lambda p, r: seen.append((p, r)),
        excluded=lambda p, r: seen.append((p, r)),
        cancel=CancelToken(),
    )
    return lister.list_dir(str(path))


def _shape(listing):  # type: ignore[no-untyped-def]
    def st(s: os.stat_result) -> tuple[int, ...]:
        return (s.st_mode, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_dev)

    return (
        listing.gone,
        listing.error,
        [(d.name, d.raw, d.path, st(d.st)) for d in listing.dirs],
        [(f.name, f.raw, f.path, st(f.st), f.key, f.cached) for f in listing.files],
        sorted(listing.rows),
        listing.links,
        listing.dir_key,
        listing.fingerprint,
        listing.clean,
    )


def test_native_listing_is_the_python_listing(
    kn: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.core.enginekit import make_repo

    root = _odd_tree(tmp_path / "tree")
    repo = make_repo(tmp_path)
    seen_native: list[tuple[str, str]] = []
    seen_python: list[tuple[str, str]] = []

    natively = _listing_of(repo, root, seen_native)
    monkeypatch.setattr(native, "module", None)
    in_python = _listing_of(repo, root, seen_python)

    assert _shape(natively) == _shape(in_python)
    assert [f.name for f in natively.files] == [f.name for f in in_python.files]
    assert sorted(seen_native) == sorted(seen_python)
    assert seen_native == [(str(root / "fifo"), "not a regular file, folder or link")]
    assert len(natively.files) == 10 and natively.links == 3


def test_a_folder_that_cannot_be_listed_or_is_gone(kn: ModuleType, tmp_path: Path) -> None:
    key = bytes(32)
    assert kn.list_folder(str(tmp_path / "gone"), key) == errno.ENOENT
    (tmp_path / "file").write_bytes(b"x")
    assert kn.list_folder(str(tmp_path / "file"), key) == errno.ENOTDIR
    with pytest.raises(ValueError):
        kn.list_folder(str(tmp_path), b"short")


def test_python_and_native_runs_reuse_each_others_folder_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder cache's fingerprints agree: a no-change run on either path after a backup on
    the other reads nothing again."""
    from app.core.backup import backup
    from tests.core.enginekit import make_repo, records_reused_whole

    kn = native_module()
    src = _odd_tree(tmp_path / "src")
    os.unlink(src / "fifo")
    repo = make_repo(tmp_path)  # its clock runs ahead: the files are old enough to be trusted
    reused = records_reused_whole(monkeypatch)

    monkeypatch.setattr(native, "module", None)
    first = backup(repo, [src])
    monkeypatch.setattr(native, "module", kn)
    second = backup(repo, [src])
    after_second = len(reused)
    monkeypatch.setattr(native, "module", None)
    third = backup(repo, [src])

    assert first.files_new == 11 and first.problems == []
    for again in (second, third):
        assert again.bytes_read == 0 and again.files_unmodified == 11 and again.problems == []
    # Every folder (src, sub, sub/deeper, empty) was reused whole from its record, each time.
    assert after_second == 4 and len(reused) == 8


def test_a_stale_build_is_not_used_and_is_an_error_where_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A module built from older sources (say, without `rename_many`) would fail mid-restore:
    it is left unused instead, and where the module is required that is an error at once."""
    assert native.FORMAT_VERSION == sealing.VERSION
    stale = ModuleType("keepsake_native")
    stale.FORMAT_VERSION = 1  # type: ignore[attr-defined]
    for name in native.FUNCTIONS[:-1]:
        setattr(stale, name, lambda *args: None)
    monkeypatch.setattr(native.importlib, "import_module", lambda name: stale)

    monkeypatch.delenv("KEEPSAKE_NATIVE", raising=False)
    assert native._load() is None
    monkeypatch.setenv("KEEPSAKE_NATIVE", "1")
    with pytest.raises(ImportError, match=r"out of date.*rename_many"):
        native._load()

    stale.rename_many = lambda *args: None  # type: ignore[attr-defined]
    assert native._load() is stale
    stale.FORMAT_VERSION = 2  # type: ignore[attr-defined]
    with pytest.raises(ImportError, match="format 2 instead of 1"):
        native._load()


def _walk_order(root: Path) -> list[str]:
    """Folders as the walker visits them: depth first, subfolders sorted as Python sorts."""
    order = [str(root)]
    subdirs = sorted(e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False))
    for name in subdirs:
        order.extend(_walk_order(root / name))
    return order


def _same_listing(a, b) -> None:  # type: ignore[no-untyped-def]
    """The same entries and stats, but for access times (listing a folder may move its own)."""

    def shape(listed):  # type: ignore[no-untyped-def]
        def no_atime(fields: tuple[int, ...]) -> tuple[int, ...]:
            return fields[:7] + fields[8:]

        return (
            listed.fingerprint,
            listed.link_count,
            [(name, no_atime(fields)) for name, fields in listed.dirs()],
            [(name, no_atime(fields)) for name, fields in listed.files()],
            [(name, no_atime(fields), target) for name, fields, target in listed.links()],
            listed.others(),
            listed.problems(),
        )

    assert shape(a) == shape(b)


@pytest.mark.parametrize("window", [1, 3, 65536])
def test_listing_ahead_gives_each_folder_as_listing_it_alone_would(
    kn: ModuleType, tmp_path: Path, window: int
) -> None:
    """Taken in walk order, with a window too small for even a folder's subfolders: the same
    listings (and fingerprints) as `list_folder`, and no wait that never ends."""
    root = _odd_tree(tmp_path / "tree")
    for i in range(12):
        (root / f"wide{i:02}" / "x" / "y").mkdir(parents=True)
        (root / f"wide{i:02}" / "x" / "y" / "f").write_bytes(b"%d" % i)
    key = os.urandom(32)
    order = _walk_order(root)
    ahead = kn.list_ahead([str(root)], key, 3, window)
    try:
        for path in order:
            _same_listing(ahead.take(path), kn.list_folder(path, key))
    finally:
        ahead.close()
    assert len(order) == 4 + 12 * 3


def test_listing_ahead_out_of_order_unknown_gone_and_closed_early(
    kn: ModuleType, tmp_path: Path
) -> None:
    root = _odd_tree(tmp_path / "tree")
    (tmp_path / "other").mkdir()
    key = bytes(32)
    ahead = kn.list_ahead([str(root), str(root / "sub")], key, 2, 64)  # overlapping roots
    _same_listing(
        ahead.take(str(root / "sub" / "deeper")), kn.list_folder(str(root / "sub" / "deeper"), key)
    )
    _same_listing(ahead.take(str(tmp_path / "other")), kn.list_folder(str(tmp_path / "other"), key))
    assert ahead.take(str(tmp_path / "gone")) == errno.ENOENT
    _same_listing(ahead.take(str(root)), kn.list_folder(str(root), key))
    _same_listing(ahead.take(str(root / "sub")), kn.list_folder(str(root / "sub"), key))
    _same_listing(ahead.take(str(root / "sub")), kn.list_folder(str(root / "sub"), key))  # again
    ahead.close()  # with folders still queued and listed: the threads stop
    ahead.close()
    with pytest.raises(ValueError):
        kn.list_ahead([str(root)], b"short", 1, 1)


def test_a_full_scan_lists_through_the_native_lister_ahead(
    kn: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every folder of a full scan is taken from it once, in walk order; an incremental run
    does not start it."""
    from app.core import dirlist
    from app.core.backup import backup
    from tests.core.enginekit import make_repo

    src = _odd_tree(tmp_path / "src")
    os.unlink(src / "fifo")
    taken: list[str] = []
    real_take = dirlist.Lister.take

    def spy(self, ahead, path):  # type: ignore[no-untyped-def]
        taken.append(path)
        return real_take(self, ahead, path)

    monkeypatch.setattr(dirlist.Lister, "take", spy)
    repo = make_repo(tmp_path)
    backup(repo, [src])
    assert taken == _walk_order(src)
    taken.clear()
    (src / "sub" / "new.txt").write_text("new")
    result = backup(repo, [src], changed_dirs=[src / "sub"])
    assert result.incremental and taken == []
