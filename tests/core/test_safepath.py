"""Restore-side path safety: hostile names refused, symlinks in the target never followed."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import safepath
from app.core.errors import IntegrityError, UnsafePath
from app.core.safepath import TEMP_PREFIX, SafeDir, check_name, split_path


@pytest.mark.parametrize(
    "name", ["", ".", "..", "a/b", "a\\b", "/etc", "nul\0", "C:", "c:evil", "../x"]
)
def test_hostile_names_are_refused(name: str) -> None:
    with pytest.raises(UnsafePath):
        check_name(name)


@pytest.mark.parametrize("name", ["report.pdf", ".bashrc", "ünïcødé 文件", "a..b", "bad-\udcff"])
def test_ordinary_names_pass(name: str) -> None:
    assert check_name(name) == name


def test_split_path() -> None:
    assert split_path("/docs/a/b/") == ["docs", "a", "b"]
    assert split_path("") == [] and split_path("/") == []
    for bad in ("docs/../etc", "docs/./x", "a\0b"):
        with pytest.raises(UnsafePath):
            split_path(bad)


def test_subdir_refuses_a_symlinked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    os.symlink(outside, target / "sub")
    with SafeDir.open_root(target) as root, pytest.raises(UnsafePath, match="symlink"):
        root.subdir("sub")


def test_write_replaces_a_planted_link_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "target"
    target.mkdir()
    os.symlink(victim, target / "file.txt")
    with SafeDir.open_root(target) as root:
        root.write_file("file.txt", [b"restored"], mode=0o600, mtime_ns=10**18)
    assert victim.read_text() == "precious"
    assert not (target / "file.txt").is_symlink()
    assert (target / "file.txt").read_bytes() == b"restored"
    st = (target / "file.txt").stat()
    assert st.st_mtime_ns == 10**18 and st.st_mode & 0o777 == 0o600


def test_failed_write_keeps_the_existing_file_and_leaves_no_temp(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("existing")

    def pieces() -> Iterator[bytes]:
        yield b"half"
        raise IntegrityError("f.txt", "bad chunk")

    with SafeDir.open_root(tmp_path) as root, pytest.raises(IntegrityError):
        root.write_file("f.txt", pieces(), mode=0o644, mtime_ns=0)
    assert (tmp_path / "f.txt").read_text() == "existing"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_temp_files_skip_names_someone_planted(tmp_path: Path, monkeypatch: Any) -> None:
    """Temp names follow a counter: names planted ahead (links to a victim) are passed over,
    never opened, and the victim is untouched."""
    monkeypatch.setattr(safepath, "_TEMP_COUNTER", itertools.count(100))
    victim = tmp_path / "victim"
    victim.write_text("keep")
    planted = [f"{TEMP_PREFIX}{safepath._TEMP_RUN}{n:x}" for n in range(100, 103)]
    for name in planted:
        (tmp_path / name).symlink_to(victim)
    with SafeDir.open_root(tmp_path) as root:
        temp, written = root.write_temp([b"new"], mode=0o644, mtime_ns=0, sync=False)
    assert temp == f"{TEMP_PREFIX}{safepath._TEMP_RUN}{103:x}" and written == 3
    assert victim.read_text() == "keep"
    assert all((tmp_path / name).is_symlink() for name in planted)


def test_symlinks_are_created_as_links(tmp_path: Path) -> None:
    with SafeDir.open_root(tmp_path) as root:
        root.symlink("link", "/etc/passwd", mtime_ns=10**18)
    assert os.readlink(tmp_path / "link") == "/etc/passwd"
    assert os.lstat(tmp_path / "link").st_mtime_ns == 10**18


def test_a_folder_in_the_way_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "name").mkdir()
    with SafeDir.open_root(tmp_path) as root, pytest.raises(IsADirectoryError):
        root.write_file("name", [b"x"], mode=0o644, mtime_ns=0)
    assert (tmp_path / "name").is_dir()
