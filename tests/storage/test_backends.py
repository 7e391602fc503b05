"""MemoryBackend and LocalDirBackend keep the same Backend contract; the folder one is atomic and
never lets a name escape its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.errors import ObjectMissing, Permanent
from app.storage.backend import Backend, Body
from app.storage.localdir import LocalDirBackend
from app.storage.memory import MemoryBackend


@pytest.fixture(params=["memory", "localdir"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "memory":
        return MemoryBackend()
    return LocalDirBackend(tmp_path / "store")


def test_put_then_get_returns_the_same_bytes(backend: Backend) -> None:
    data = os.urandom(300_000)
    backend.put("packs/ab/abcdef", data)
    assert backend.get("packs/ab/abcdef") == data
    assert backend.size("packs/ab/abcdef") == len(data)


def test_ranges_read_the_asked_slice_and_stop_at_the_end(backend: Backend) -> None:
    backend.put("obj", b"0123456789")
    assert backend.get("obj", 2, 3) == b"234"
    assert backend.get("obj", 7) == b"789"
    assert backend.get("obj", 8, 100) == b"89"
    assert backend.get("obj", 10) == b""
    with pytest.raises(Permanent):
        backend.get("obj", 11)
    with pytest.raises(ValueError):
        backend.get("obj", -1)


def test_missing_objects_are_reported_as_missing(backend: Backend) -> None:
    assert backend.size("nope") is None
    with pytest.raises(ObjectMissing):
        backend.get("nope")


def test_put_replaces_and_delete_removes(backend: Backend) -> None:
    backend.put("obj", b"old")
    backend.put("obj", b"new content")
    assert backend.get("obj") == b"new content"
    backend.delete("obj")
    backend.delete("obj")  # deleting what is gone is fine
    assert backend.size("obj") is None


def test_list_filters_by_prefix_and_gives_sizes(backend: Backend) -> None:
    backend.put("packs/a1", b"x" * 3)
    backend.put("packs/b2", b"y" * 5)
    backend.put("index/c3", b"z")
    assert backend.list("packs/") == {"packs/a1": 3, "packs/b2": 5}
    assert backend.list() == {"packs/a1": 3, "packs/b2": 5, "index/c3": 1}


def test_a_body_is_stored_whole_whatever_its_piece_size(backend: Backend) -> None:
    data = os.urandom(10_001)
    backend.put("obj", Body(data, piece=1000))
    assert backend.get("obj") == data


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../escape",
        "a/../../b",
        "/etc/passwd",
        "a//b",
        ".hidden",
        "a/.tmp-x",
        "C:evil",
        "a\\..\\b",
        "a/b/",
        "x" * 200,
        "nul\x00byte",
        "..",
        "a/..",
    ],
)
def test_names_that_could_escape_are_refused(backend: Backend, name: str) -> None:
    with pytest.raises(Permanent):
        backend.put(name, b"data")
    with pytest.raises(Permanent):
        backend.get(name)


class _Boom(Exception):
    pass


def _failing_body(data: bytes, fail_after: int) -> Body:
    seen = 0

    def gate(n: int) -> None:
        nonlocal seen
        seen += n
        if seen > fail_after:
            raise _Boom()

    return Body(data, piece=1024).gated(gate)


def test_localdir_upload_that_fails_midway_leaves_the_old_object_and_no_debris(
    tmp_path: Path,
) -> None:
    store = LocalDirBackend(tmp_path / "store")
    store.put("packs/obj", b"old version")
    with pytest.raises(_Boom):
        store.put("packs/obj", _failing_body(os.urandom(100_000), fail_after=50_000))
    assert store.get("packs/obj") == b"old version"
    assert sorted(p.name for p in (tmp_path / "store" / "packs").iterdir()) == ["obj"]


def test_localdir_reader_sees_the_old_object_until_the_new_one_is_complete(
    tmp_path: Path,
) -> None:
    store = LocalDirBackend(tmp_path / "store")
    old, new = b"a" * 50_000, b"b" * 50_000
    store.put("obj", old)
    observed: list[bytes] = []

    def gate(n: int) -> None:  # runs while the new version is being written
        observed.append(store.get("obj"))
        assert store.list() == {"obj": len(old)}

    store.put("obj", Body(new, piece=10_000).gated(gate))
    assert observed and all(seen == old for seen in observed)
    assert store.get("obj") == new


def test_localdir_refuses_a_planted_symlink_that_leads_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    store = LocalDirBackend(tmp_path / "store")
    os.symlink(outside, tmp_path / "store" / "packs")
    with pytest.raises(Permanent):
        store.put("packs/obj", b"data")
    assert list(outside.iterdir()) == []
    (tmp_path / "store" / "link").symlink_to(outside / "secret")
    (outside / "secret").write_bytes(b"not yours")
    with pytest.raises(Permanent):
        store.get("link")


def test_localdir_objects_survive_a_new_instance(tmp_path: Path) -> None:
    LocalDirBackend(tmp_path / "store").put("a/b", b"kept")
    assert LocalDirBackend(tmp_path / "store").get("a/b") == b"kept"


def test_memory_backend_is_safe_under_threads() -> None:
    import threading

    store = MemoryBackend()

    def work(i: int) -> None:
        for j in range(200):
            store.put(f"t{i}/o{j}", bytes([i]) * 10)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    listing = store.list()
    assert len(listing) == 800 and set(listing.values()) == {10}


def test_several_ranges_come_back_to_back_in_the_order_asked(backend: Backend) -> None:
    backend.put("a", b"0123456789")
    backend.put("b", b"abcdefghij")
    assert backend.get_ranges([("b", 2, 3), ("a", 0, 2), ("b", 2, 3), ("a", 9, 1)]) == b"cde01cde9"
    assert backend.get_ranges([]) == b""
    with pytest.raises(ObjectMissing):
        backend.get_ranges([("a", 0, 1), ("nope", 0, 1)])
