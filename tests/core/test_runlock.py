"""One holder at a time across threads, files and processes; a killed holder leaves no lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.backup import backup, one_run_at_a_time
from app.core.runlock import AlreadyRunning, FileLock
from tests.core.enginekit import make_repo, service_of, write

HOLD = """
import sys, time
from app.core.runlock import FileLock
FileLock(sys.argv[1], "busy").acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    first = FileLock(tmp_path / "run.lock", "a backup is already running")
    second = FileLock(tmp_path / "run.lock", "a backup is already running")
    with first:
        with pytest.raises(AlreadyRunning, match="a backup is already running"):
            second.acquire()
        assert not second.held
    with second:
        assert second.held
    assert not second.held


def test_taking_a_held_lock_twice_is_refused(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "run.lock", "busy").acquire()
    with pytest.raises(AlreadyRunning):
        lock.acquire()
    lock.release()
    lock.release()  # a second release is harmless


def test_another_process_holds_it_until_it_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning):
            FileLock(path, "busy").acquire()
    finally:
        holder.kill()  # SIGKILL: no chance to clean up
        holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            FileLock(path, "busy").acquire().release()
            break
        except AlreadyRunning:
            assert time.monotonic() < deadline, "the killed holder's lock was never dropped"
            time.sleep(0.05)


def test_a_backup_refuses_to_run_beside_another_on_the_same_index(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    write(folder / "a.txt", "a")
    repo = make_repo(tmp_path)
    other_program = make_repo(tmp_path)  # a second program on the same profile's index
    busy = pytest.raises(AlreadyRunning, match="another backup of these folders is running")
    with one_run_at_a_time(other_program), busy:
        backup(repo, [folder])
    assert service_of(repo).list_snapshots() == []
    assert backup(repo, [folder]).files_new == 1  # once the other run ended
