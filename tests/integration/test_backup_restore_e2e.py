"""The walking skeleton end to end: the real `keepsake` command against a real service process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.cli import Cli
from tests.integration.corpus import build_tree, snapshot_of, write

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory, service):  # type: ignore[no-untyped-def]
    """One account, one profile, one folder backed up twice (before and after edits)."""
    base = tmp_path_factory.mktemp("e2e")
    email = "walking-skeleton@example.com"
    service.create_account(email, PASSWORD, plan="PRO")
    cli = Cli(base / "profile")
    code = cli.setup(service.url, email, PASSWORD)
    source = base / "Dokumenter"
    build_tree(source)
    cli.run("folders", "add", str(source))
    first = cli.json("backup")
    before = snapshot_of(source)

    os.utime(source, None)
    write(source / "notes.txt", b"shopping: milk, rye bread, coffee\n")
    write(source / "Økonomi" / "nyt regnskab.txt", b"new file after the first backup\n")
    (source / "Projekter" / "p0" / "del 0" / "fil-0.txt").unlink()
    second = cli.json("backup")
    after = snapshot_of(source)
    return {
        "cli": cli,
        "source": source,
        "base": base,
        "email": email,
        "code": code,
        "first": first,
        "second": second,
        "before": before,
        "after": after,
    }


def test_backup_reports_what_it_did(protected) -> None:  # type: ignore[no-untyped-def]
    first, second = protected["first"], protected["second"]
    assert first["files_new"] >= 36
    assert first["problems"] == []
    assert second["files_changed"] == 1 and second["files_new"] == 1
    # Only the changed and new files are uploaded again, never the 50 MiB video.
    assert second["bytes_added"] < 1_000_000 < first["bytes_added"]
    snaps = protected["cli"].json("snapshots")
    assert [s["id"] for s in snaps] == [first["snapshot_id"], second["snapshot_id"]]


def test_restore_elsewhere_is_byte_identical_with_mtimes(protected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = protected["cli"]
    result = cli.json("restore", "--to", str(tmp_path / "out"))
    assert result["failures"] == []
    restored = snapshot_of(tmp_path / "out" / "Dokumenter")
    assert restored == protected["after"]


def test_restore_older_snapshot_gives_the_old_versions(protected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = protected["cli"]
    old = protected["first"]["snapshot_id"]
    cli.json("restore", "--at", old, "--to", str(tmp_path / "old"))
    assert snapshot_of(tmp_path / "old" / "Dokumenter") == protected["before"]


def test_versions_lists_each_version_of_a_file(protected) -> None:  # type: ignore[no-untyped-def]
    cli = protected["cli"]
    versions = cli.json("versions", "Dokumenter/notes.txt")
    assert len(versions) == 2
    assert versions[0]["size"] != versions[1]["size"]
    by_original_path = cli.json("versions", str(protected["source"] / "notes.txt"))
    assert by_original_path == versions


def test_restore_single_file_with_each_conflict_policy(protected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = protected["cli"]
    old = protected["first"]["snapshot_id"]
    target = tmp_path / "one"
    target.mkdir()
    (target / "notes.txt").write_bytes(b"local edit\n")

    cli.json(
        "restore", "Dokumenter/notes.txt", "--at", old, "--to", str(target), "--conflict", "skip"
    )
    assert (target / "notes.txt").read_bytes() == b"local edit\n"

    cli.json(
        "restore",
        "Dokumenter/notes.txt",
        "--at",
        old,
        "--to",
        str(target),
        "--conflict",
        "keep-both",
    )
    assert (target / "notes.txt").read_bytes() == b"local edit\n"
    siblings = [p for p in target.iterdir() if p.name != "notes.txt"]
    assert len(siblings) == 1 and siblings[0].read_bytes() == b"shopping: milk, rye bread\n"

    cli.json(
        "restore",
        "Dokumenter/notes.txt",
        "--at",
        old,
        "--to",
        str(target),
        "--conflict",
        "overwrite",
    )
    assert (target / "notes.txt").read_bytes() == b"shopping: milk, rye bread\n"


def test_restore_to_original_place_brings_back_a_deleted_file(protected) -> None:  # type: ignore[no-untyped-def]
    cli, source = protected["cli"], protected["source"]
    lost = source / "Økonomi" / "årsopgørelse.pdf"
    expected = lost.read_bytes()
    lost.unlink()
    cli.json("restore", str(lost))
    assert lost.read_bytes() == expected


def test_new_pc_restores_with_the_recovery_kit_alone(protected, service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kit = protected["cli"].home / "kit.json"
    new_pc = Cli(tmp_path / "new-pc")
    new_pc.run(
        "login", "--server", service.url, "--email", protected["email"], input=PASSWORD + "\n"
    )
    wrong = new_pc.run("key", "import", str(kit), input="not the passphrase\n", check=False)
    assert wrong.returncode != 0
    assert "wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    new_pc.run("key", "import", str(kit), input=protected["code"] + "\n")
    new_pc.json("restore", "--to", str(tmp_path / "back"))
    assert snapshot_of(tmp_path / "back" / "Dokumenter") == protected["after"]


def test_verify_read_data_passes_on_an_intact_backup(protected) -> None:  # type: ignore[no-untyped-def]
    report = protected["cli"].json("verify", "--read-data")
    assert report["errors"] == []
    assert report["packs_checked"] >= 2


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "fresh")
    done = cli.run("backup", check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
