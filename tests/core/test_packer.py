"""The packer's uploaders: packs go out side by side, each is recorded once uploaded, and a
failed upload fails the run without leaving a thread behind."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from app.core.errors import Permanent
from app.core.keys import chunk_id
from app.core.packer import Packer
from app.core.ports import PackBytes
from app.core.progress import CancelToken
from app.core.repository import Repository
from app.core.sealing import BlobType, Sealer
from app.core.spool import spool_dir
from app.storage.memory_service import MemoryService
from tests.core.enginekit import make_repo, service_of

PACK = 64 * 1024  # a pack is full after one 64 KiB blob


class GatedPacks:
    """The service's packs, where each upload waits at a barrier for `together` uploads."""

    def __init__(self, service: MemoryService, together: int) -> None:
        self.service = service
        self.barrier = threading.Barrier(together, timeout=10)
        self.lock = threading.Lock()
        self.on_wire = 0
        self.most_on_wire = 0

    def put_pack(self, pack_id: str, data: PackBytes) -> None:
        with self.lock:
            self.on_wire += 1
            self.most_on_wire = max(self.most_on_wire, self.on_wire)
        try:
            self.barrier.wait()
            self.service.put_pack(pack_id, data)
        finally:
            with self.lock:
                self.on_wire -= 1

    def get_pack(self, pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        return self.service.get_pack(pack_id, start, length)

    def pack_size(self, pack_id: str) -> int | None:
        return self.service.pack_size(pack_id)

    def list_packs(self) -> dict[str, int]:
        return self.service.list_packs()


def packer_for(repo: Repository, store: object, uploaders: int) -> Packer:
    return Packer(
        repo.index,
        store,  # type: ignore[arg-type]
        Sealer(repo.subkeys),
        unusable=set(),
        target_size=PACK,
        lease_until="2099-01-01T00:00:00Z",
        cancel=CancelToken(),
        uploaders=uploaders,
        spool_dir=spool_dir(repo.index.path),
    )


def add_full_packs(repo: Repository, packer: Packer, count: int) -> list[bytes]:
    sealer = Sealer(repo.subkeys)
    ids = []
    for _ in range(count):
        data = os.urandom(PACK)
        blob_id = chunk_id(repo.subkeys, data)
        packer.add(BlobType.DATA, blob_id, sealer.seal(BlobType.DATA, blob_id, data), len(data))
        ids.append(blob_id)
    return ids


def test_two_uploaders_send_two_packs_at_once_and_record_each(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    store = GatedPacks(service_of(repo), together=2)
    packer = packer_for(repo, store, uploaders=2)
    try:
        ids = add_full_packs(repo, packer, 4)
        packer.flush()
    finally:
        packer.close()

    assert store.most_on_wire == 2
    assert len(packer.uploaded) == 4 and set(packer.uploaded) <= set(service_of(repo).list_packs())
    found = repo.index.lookup_many(ids)
    assert {found[i].pack_id for i in ids} == set(packer.uploaded)
    assert not [t for t in threading.enumerate() if t.name == "keepsake-upload"]


def test_one_uploader_never_has_two_packs_on_the_wire(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    store = GatedPacks(service_of(repo), together=1)
    packer = packer_for(repo, store, uploaders=1)
    try:
        add_full_packs(repo, packer, 3)
        packer.flush()
    finally:
        packer.close()

    assert store.most_on_wire == 1 and len(packer.uploaded) == 3


def test_a_failed_upload_fails_the_run_and_stops_every_uploader(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)

    class Refusing(GatedPacks):
        def put_pack(self, pack_id: str, data: PackBytes) -> None:
            raise Permanent("the service refused the pack")

    store = Refusing(service_of(repo), together=1)
    packer = packer_for(repo, store, uploaders=2)
    with pytest.raises(Permanent, match="refused the pack"):
        add_full_packs(repo, packer, 6)
        packer.flush()
    packer.close()

    assert packer.uploaded == [] and service_of(repo).list_packs() == {}
    assert not [t for t in threading.enumerate() if t.name == "keepsake-upload"]
