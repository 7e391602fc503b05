"""Checks of the benchmark's own machinery: `pytest bench/test_bench.py` (a few seconds).

Why: a benchmark that generates different data on each run, misses a wrong restore, or
mis-measures memory gives numbers nobody should trust.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import sys
from pathlib import Path

import chunking
import gen_tree
import pytest
import report
import run as bench_run
import summary
from measure import StepFailed, run_measured, tree_bytes
from steps import StepResult
from verify import RestoreMismatch, compare_file, compare_tree, manifest

SCALE = 0.002  # 40 small files, 1 photo, three 1 MiB large files


def test_generate_is_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    gen_tree.generate(tmp_path / "a", seed=7, scale=SCALE)
    gen_tree.generate(tmp_path / "b", seed=7, scale=SCALE)
    gen_tree.generate(tmp_path / "c", seed=8, scale=SCALE)
    assert manifest(tmp_path / "a") == manifest(tmp_path / "b")
    assert manifest(tmp_path / "a") != manifest(tmp_path / "c")


def test_generate_refuses_a_folder_that_has_files(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("keep me")
    with pytest.raises(FileExistsError):
        gen_tree.generate(tmp_path, seed=1, scale=SCALE)


def test_edit_tree_does_what_its_report_says(tmp_path: Path) -> None:
    root = tmp_path / "t"
    gen_tree.generate(root, seed=3, scale=SCALE)
    before = manifest(root)
    edits = gen_tree.edit_tree(root, seed=3, scale=SCALE)
    after = manifest(root)
    assert edits.renamed is not None
    old, new = edits.renamed
    assert not (root / old).exists() and (root / new).is_dir()
    for rel in edits.deleted:
        assert rel in before and not (root / rel).exists()
    for rel in edits.added:
        assert rel not in before and (root / rel).is_file()
    for rel in edits.modified:
        original = old + rel[len(new) :] if rel.startswith(new + "/") else rel
        assert after[rel] != before[original]
    for rel, grown in edits.appended.items():
        assert after[rel][0] == before[rel][0] + grown
    assert after[gen_tree.LARGE_FILES["video"]] == before[gen_tree.LARGE_FILES["video"]]


def test_the_edit_helpers_write_what_edit_tree_reports(tmp_path: Path) -> None:
    root = tmp_path / "t"
    gen_tree.generate(root, seed=5, scale=SCALE)
    vm = (root / gen_tree.LARGE_FILES["vm"]).read_bytes()
    assert vm == gen_tree.large_file(5, SCALE, "vm")
    gen_tree.edit_tree(root, seed=5, scale=SCALE)
    at, patch = gen_tree.vm_patch(5, SCALE, len(vm))
    assert (root / gen_tree.LARGE_FILES["vm"]).read_bytes() == vm[:at] + patch + vm[
        at + len(patch) :
    ]
    recording = (root / gen_tree.LARGE_FILES["recording"]).read_bytes()
    assert recording.endswith(gen_tree.recording_append(5, SCALE))


def test_the_chunking_study_counts_only_what_an_edit_made_new() -> None:
    rng = random.Random(1)
    data = rng.randbytes(24 * 2**20)
    assert chunking.new_chunks(data, data, 2) == chunking.NewChunks(0, 0, 0)
    tail = rng.randbytes(3 * 2**20)
    grown = chunking.new_chunks(data, data + tail, 2)
    # the append and at most the old last chunk, cut again; random bytes are stored raw
    assert len(tail) <= grown.plain <= len(tail) + 8 * 2**20
    assert grown.stored == grown.plain
    text = b"the same line again and again\n" * 2**18
    assert chunking.new_chunks(b"", text, 2).stored < len(text) // 10


def test_a_flipped_byte_in_a_restore_fails_the_benchmark(tmp_path: Path) -> None:
    root = tmp_path / "t"
    gen_tree.generate(root, seed=1, scale=SCALE)
    expected = manifest(root)
    compare_tree(expected, root, "tool")
    victim = root / gen_tree.LARGE_FILES["vm"]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 1
    victim.write_bytes(bytes(data))
    with pytest.raises(RestoreMismatch, match="1 different"):
        compare_tree(expected, root, "tool")
    with pytest.raises(RestoreMismatch):
        compare_file(expected[gen_tree.LARGE_FILES["vm"]], victim, "tool")


def test_a_missing_or_extra_file_fails_the_benchmark(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    expected = manifest(tmp_path)
    (tmp_path / "b.txt").write_text("b")
    with pytest.raises(RestoreMismatch, match="1 extra"):
        compare_tree(expected, tmp_path, "tool")
    (tmp_path / "a.txt").unlink()
    with pytest.raises(RestoreMismatch, match="1 missing"):
        compare_tree(expected, tmp_path, "tool")


def test_run_measured_reports_the_childs_own_peak_rss(tmp_path: Path) -> None:
    code = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    big = run_measured([sys.executable, "-c", code], log_dir=tmp_path, name="big")
    small = run_measured([sys.executable, "-c", "pass"], log_dir=tmp_path, name="small")
    assert big.peak_rss_kib > 200 * 1024
    assert small.peak_rss_kib < 100 * 1024


def test_run_measured_is_not_charged_with_the_callers_own_peak(tmp_path: Path) -> None:
    # Linux hands a process's peak RSS on across fork and exec: a command started directly by a
    # big benchmark process would report the benchmark's peak, not its own.
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    small = run_measured([sys.executable, "-c", "pass"], log_dir=tmp_path, name="small")
    del ballast
    assert small.peak_rss_kib < 100 * 1024


def test_run_measured_reports_a_missing_program_as_a_failed_step(tmp_path: Path) -> None:
    with pytest.raises(StepFailed):
        run_measured(["no-such-program-here"], log_dir=tmp_path, name="missing")


def test_run_measured_feeds_stdin_and_fails_loudly(tmp_path: Path) -> None:
    echo = "import sys; print(sys.stdin.readline().strip()[::-1])"
    out = run_measured([sys.executable, "-c", echo], log_dir=tmp_path, name="e", stdin_text="abc\n")
    assert out.stdout.strip() == "cba"
    with pytest.raises(StepFailed, match="exited 3"):
        run_measured([sys.executable, "-c", "raise SystemExit(3)"], log_dir=tmp_path, name="f")


def test_table_compares_ratios_with_targets() -> None:
    results: report.Results = {
        "initial": {"keepsake": StepResult(8.0, 100), "restic": StepResult(10.0, 200)},
        "nochange": {"keepsake": StepResult(6.0, 100), "restic": StepResult(10.0, 200)},
    }
    rows = {r.step: r for r in report.build_rows(results)}
    assert rows["Initial backup"].ratio == pytest.approx(0.8)
    assert rows["Initial backup"].passed is True
    assert rows["No-change backup"].passed is False
    assert rows["Engine peak RSS (max over steps)"].ratio == pytest.approx(0.5)
    assert rows["Full restore, until on disk"].passed is None  # no restore in these results
    assert "| No-change backup | 6.00 s | 10.00 s | 0.60× | ≤ 0.5× | **no** |" in (
        report.markdown(list(rows.values()))
    )


def test_summary_judges_each_target_by_the_median_of_the_runs() -> None:
    def document(initial: float, restore: float | None) -> dict[str, object]:
        return {
            "rows": [
                {"step": "Initial backup", "target": 0.8, "ratio": initial},
                {"step": "Full restore", "target": 1.0, "ratio": restore},
                {"step": "Bytes added by the initial backup", "target": None, "ratio": 1.0},
            ]
        }

    rows = summary.targets(
        [document(0.75, 1.2), document(0.95, None), document(0.79, 0.9), document(0.7, 1.1)]
    )
    assert [r.step for r in rows] == ["Initial backup", "Full restore"]  # untargeted rows left out
    initial, restore = rows
    assert initial.median == pytest.approx(0.77) and initial.passed is True  # one run at 0.95
    assert restore.ratios == (1.2, None, 0.9, 1.1)  # a run without the step keeps its column
    assert restore.median == pytest.approx(1.1) and restore.passed is False
    table = summary.markdown(rows, 4)
    assert "| Full restore | 1.20× | — | 0.90× | 1.10× | **1.10×** | ≤ 1.0× | **no** |" in table


def test_restores_are_judged_until_what_they_wrote_is_on_disk() -> None:
    results: report.Results = {
        "restore_all": {
            "keepsake": StepResult(6.0, 100, sync_seconds=0.05),
            "restic": StepResult(5.5, 200, sync_seconds=2.0),
        },
    }
    rows = {r.step: r for r in report.build_rows(results)}
    on_disk = rows["Full restore, until on disk"]
    assert (on_disk.keepsake, on_disk.restic) == (pytest.approx(6.05), pytest.approx(7.5))
    assert on_disk.target == 1.0 and on_disk.passed is True
    exits = rows["Full restore, until the command exits"]
    assert exits.ratio == pytest.approx(6.0 / 5.5)
    assert exits.target is None and exits.passed is None  # shown, not judged
    assert StepResult(1.0, 1).on_disk_seconds is None  # a backup has no such figure


def test_a_restore_step_is_timed_until_its_writes_are_synced(tmp_path: Path) -> None:
    written = tmp_path / "restored"

    def restore() -> tuple[StepResult, Path]:
        written.write_bytes(b"x" * 4 * 1024 * 1024)  # left in the page cache, like restic
        return StepResult(0.5, 1), written

    result, landed = bench_run.Bench._restore(restore)
    assert landed == written
    assert result.sync_seconds is not None and result.sync_seconds >= 0
    assert result.on_disk_seconds == pytest.approx(0.5 + result.sync_seconds)


def test_a_sqlite_database_counts_as_its_pages_not_its_log(tmp_path: Path) -> None:
    """A commit that rewrites pages grows the write-ahead log's file but stores nothing new."""
    db = tmp_path / "service.db"
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "p1").write_bytes(b"x" * 5000)
    (tmp_path / "packs" / "loose-wal").write_bytes(b"y" * 300)  # no database beside it: a file
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")  # the log keeps every commit until closed
        conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", ((i, bytes(1000)) for i in range(200)))
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]

        def pages() -> int:
            return int(conn.execute("PRAGMA page_count").fetchone()[0])

        files = 5000 + 300
        assert tree_bytes(tmp_path) == files + pages() * page_size
        log = tmp_path / "service.db-wal"
        log_before, stored_before, pages_before = log.stat().st_size, tree_bytes(tmp_path), pages()

        conn.execute("UPDATE t SET v = ?", (bytes([1]) * 1000,))  # the same ~50 pages, rewritten
        assert log.stat().st_size > log_before + 40 * page_size
        assert pages() == pages_before
        assert tree_bytes(tmp_path) == stored_before

        conn.executemany("INSERT INTO t VALUES (?, ?)", ((i, bytes(1000)) for i in range(200, 300)))
        assert pages() > pages_before
        assert tree_bytes(tmp_path) == stored_before + (pages() - pages_before) * page_size
