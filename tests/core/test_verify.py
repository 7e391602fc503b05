"""verify: structure check and --read-data, each problem naming the pack and the files."""

from __future__ import annotations

from pathlib import Path

from app.core.backup import backup
from app.core.repository import Repository
from app.core.verify import verify
from tests.core.enginekit import make_repo, service_of, write


def repo_with_files(tmp_path: Path) -> Repository:
    src = tmp_path / "docs"
    for i in range(6):
        write(src / f"sub{i % 2}" / f"f{i}.txt", f"file {i} " * 100)
    repo = make_repo(tmp_path)
    repo.pack_target = 1  # one blob per pack: damage stays local
    backup(repo, [src])
    write(src / "late.txt", "late")
    backup(repo, [src])
    return repo


def chunk_location(repo: Repository, path: str):  # type: ignore[no-untyped-def]
    loc = repo.index.lookup(repo.find(repo.resolve(None), path).chunks[0])
    assert loc is not None
    return loc


def test_clean_repository_verifies(tmp_path: Path) -> None:
    repo = repo_with_files(tmp_path)
    report = verify(repo, read_data=True)
    assert report.errors == [] and report.ok
    assert report.snapshots_checked == 2 and report.packs_checked > 6
    assert report.blobs_checked >= 7


def test_flipped_byte_is_reported_with_pack_and_file_name(tmp_path: Path) -> None:
    repo = repo_with_files(tmp_path)
    loc = chunk_location(repo, "docs/sub1/f3.txt")
    service_of(repo).tamper_pack(loc.pack_id, loc.offset + 50)

    assert verify(repo).errors == []  # the structure is intact; only reading finds it
    report = verify(repo, read_data=True)

    assert len(report.errors) == 1
    assert loc.pack_id in report.errors[0] and "docs/sub1/f3.txt" in report.errors[0]


def test_missing_and_truncated_packs_are_found_without_reading_data(tmp_path: Path) -> None:
    repo = repo_with_files(tmp_path)
    lost = chunk_location(repo, "docs/sub0/f0.txt")
    cut = chunk_location(repo, "docs/late.txt")
    service = service_of(repo)
    service.lose_pack(lost.pack_id)
    service.truncate_pack(cut.pack_id, cut.offset + 10)

    errors = verify(repo).errors

    assert any(lost.pack_id in e and "missing" in e and "docs/sub0/f0.txt" in e for e in errors)
    assert any(cut.pack_id in e and "truncated" in e for e in errors)


def test_sampling_reads_only_part_of_the_packs(tmp_path: Path) -> None:
    repo = repo_with_files(tmp_path)
    service = service_of(repo)
    before = service.calls.count("get_pack")
    report = verify(repo, read_data=True, sample_pct=10)
    full_reads = service.calls.count("get_pack") - before
    assert report.ok and 1 <= full_reads < report.packs_checked


def test_hidden_snapshot_is_reported(tmp_path: Path) -> None:
    repo = repo_with_files(tmp_path)
    service_of(repo).drop_snapshot(repo.resolve(None).snapshot_id)
    report = verify(repo)
    assert any("no longer lists" in e for e in report.errors)
