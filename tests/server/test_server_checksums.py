"""Stored pack checksums: each pack is checked with the algorithm it was stored with, and a
checksum that cannot be read never lets a pack pass, or be copied."""

from __future__ import annotations

import hashlib
from pathlib import Path

import blake3
import pytest

from server.domain.copying import CopyFailed, check_object, copy_object
from server.store.folder import FolderStore

KEY = "a" * 32 + "/" + "b" * 32 + "/cc/" + "c" * 32 + ".0001"
DATA = b"sealed pack bytes" * 100


def _store(tmp_path: Path, name: str) -> FolderStore:
    return FolderStore(tmp_path / name)


@pytest.mark.parametrize(
    "checksum",
    [f"blake3:{blake3.blake3(DATA).hexdigest()}", f"sha256:{hashlib.sha256(DATA).hexdigest()}"],
)
def test_each_algorithm_verifies_and_copies(tmp_path: Path, checksum: str) -> None:
    source, target = _store(tmp_path, "a"), _store(tmp_path, "b")
    source.put(KEY, [DATA])
    assert check_object(source, KEY, len(DATA), checksum) is None
    copy_object(source, target, KEY, checksum)
    assert target.get(KEY) == DATA
    algorithm = checksum.partition(":")[0]
    other = "sha256" if algorithm == "blake3" else "blake3"
    # the same digest under the other algorithm's name does not match
    renamed = f"{other}:{checksum.partition(':')[2]}"
    assert check_object(source, KEY, len(DATA), renamed) == "checksum mismatch"


@pytest.mark.parametrize(
    "stored", ["", "md5:" + "0" * 32, "blake3:" + "0" * 63, "blake3:" + "G" * 64, "0" * 64]
)
def test_an_unreadable_checksum_fails_the_check_and_copies_nothing(
    tmp_path: Path, stored: str
) -> None:
    source, target = _store(tmp_path, "a"), _store(tmp_path, "b")
    source.put(KEY, [DATA])
    assert check_object(source, KEY, len(DATA), stored) == "its recorded checksum is unreadable"
    with pytest.raises(CopyFailed):
        copy_object(source, target, KEY, stored)
    assert [o.key for o in target.list()] == []
