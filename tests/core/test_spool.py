"""Packs built in temporary files: the same bytes as in memory, read back whole for every upload
attempt, gone when done, and built in memory instead when the disk refuses."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import blake3
import pytest

from app.core import backup as backup_mod
from app.core.backup import backup
from app.core.packfile import PackWriter, parse_pack
from app.core.ports import HashedParts, PackBytes
from app.core.sealing import BlobType, Sealer
from app.core.spool import Spool
from app.storage.backend import Body, as_body
from app.storage.memory_service import MemoryService
from tests.core.enginekit import make_repo, new_subkeys, write

KEYS = new_subkeys()
SEALER = Sealer(KEYS)


def _blobs(count: int) -> list[tuple[bytes, tuple[bytes, ...], int]]:
    out = []
    for n in range(count):
        data = os.urandom(1000 + n * 997)
        blob_id = hashlib.blake2s(data).digest()
        out.append((blob_id, SEALER.seal_parts(BlobType.DATA, blob_id, data), len(data)))
    return out


def test_a_spooled_pack_is_the_pack_read_back_the_same_every_time(tmp_path: Path) -> None:
    spool = Spool(str(tmp_path))
    writer = PackWriter(SEALER, spool=spool)
    for blob_id, sealed, raw in _blobs(20):
        writer.add(blob_id, BlobType.DATA, sealed, raw)
    pack_id, data, entries = writer.finish_spooled()
    assert data is spool and writer.spooled
    whole = spool.read_all()
    assert len(whole) == len(spool)
    assert spool.checksum == blake3.blake3(whole).hexdigest()
    assert [e.blob_id for e in parse_pack(KEYS, pack_id, whole)] == [e.blob_id for e in entries]
    body = as_body(spool)
    assert body.checksum() == spool.checksum and len(body) == len(whole)
    sent: list[int] = []
    gated = body.gated(sent.append, piece=4096)
    assert b"".join(gated) == whole and b"".join(gated) == whole, "a retry reads it again"
    assert max(sent) == 4096 and sum(sent) == 2 * len(whole)
    assert body.data == whole
    spool.close()
    assert list(tmp_path.iterdir()) == [], "nothing is left in the folder"


def test_a_failing_spool_hands_the_pack_back_to_memory_without_losing_a_byte(
    tmp_path: Path,
) -> None:
    class FullDisk(Spool):
        writes = 0

        def write(self, parts):  # type: ignore[no-untyped-def]
            FullDisk.writes += 1
            if FullDisk.writes == 6:
                raise OSError(28, "No space left on device")
            super().write(parts)

    blobs = _blobs(12)
    writer = PackWriter(SEALER, spool=FullDisk(str(tmp_path)))
    for blob_id, sealed, raw in blobs:
        writer.add(blob_id, BlobType.DATA, sealed, raw)
    assert not writer.spooled, "the sixth write failed: the rest is in memory"
    assert list(tmp_path.iterdir()) == [], "the spool was closed"
    pack_id, data, entries = writer.finish_spooled()
    assert isinstance(data, tuple)
    whole = b"".join(data)
    assert [e.blob_id for e in parse_pack(KEYS, pack_id, whole)] == [b for b, _, _ in blobs]
    for entry, (_, sealed, _) in zip(entries, blobs, strict=True):
        assert whole[entry.offset : entry.offset + entry.length] == b"".join(sealed)


def test_backup_builds_packs_in_memory_where_no_temporary_file_can_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kinds: list[str] = []
    real_put = MemoryService.put_pack

    def put_pack(self: MemoryService, pack_id: str, data: PackBytes) -> None:
        kinds.append(type(data).__name__)
        real_put(self, pack_id, data)

    monkeypatch.setattr(MemoryService, "put_pack", put_pack)
    monkeypatch.setattr(backup_mod, "spool_dir", lambda path: str(tmp_path / "no such folder"))
    src = tmp_path / "Documents"
    for n in range(30):
        write(src / f"file {n}.txt", os.urandom(5000))
    repo = make_repo(tmp_path)
    result = backup(repo, [src])
    assert result.problems == [] and result.files_new == 30
    assert kinds and set(kinds) == {HashedParts.__name__}


def test_body_keeps_a_spools_digest_through_gates(tmp_path: Path) -> None:
    spool = Spool(str(tmp_path))
    spool.write([b"abc", memoryview(b"defg")])
    body = Body(spool).gated(lambda n: None, piece=2)
    assert body.checksum() == blake3.blake3(b"abcdefg").hexdigest()
    assert list(body) == [b"ab", b"cd", b"ef", b"g"]
    with pytest.raises(RuntimeError):
        spool.write([b"more"])  # read back: finished
    spool.close()


def test_writes_that_the_os_splits_still_land_whole_and_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_writev = os.writev

    def stingy(fd: int, buffers: list[memoryview]) -> int:
        return real_writev(fd, [bytes(buffers[0][:3])])  # the OS took three bytes only

    monkeypatch.setattr(os, "writev", stingy)
    spool = Spool(str(tmp_path))
    parts = [b"hello ", memoryview(b"spooled"), b"", b" world" * 5]
    spool.write(parts)
    assert spool.read_all() == b"".join(parts)
    assert spool.checksum == blake3.blake3(b"".join(parts)).hexdigest()
    spool.close()


def test_a_full_disk_mid_write_keeps_every_byte_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = Spool(str(tmp_path))
    writer = PackWriter(SEALER, spool=spool)
    blobs = _blobs(6)
    for blob_id, sealed, raw in blobs[:3]:
        writer.add(blob_id, BlobType.DATA, sealed, raw)
    real_writev = os.writev
    calls = {"n": 0}

    def filling(fd: int, buffers: list[memoryview]) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_writev(fd, [bytes(buffers[0][:5])])  # a few bytes, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "writev", filling)
    for blob_id, sealed, raw in blobs[3:]:
        writer.add(blob_id, BlobType.DATA, sealed, raw)
    assert not writer.spooled
    pack_id, data, _ = writer.finish_spooled()
    assert isinstance(data, tuple)
    whole = b"".join(data)
    assert [e.blob_id for e in parse_pack(KEYS, pack_id, whole)] == [b for b, _, _ in blobs]
