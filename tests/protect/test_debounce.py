"""Debouncing: bursts settle into one batch, files still being written are not taken."""

from __future__ import annotations

from pathlib import Path

from app.protect.debounce import Batch, DebouncePolicy, Debouncer, Signature

DOCS = Path("/d/Docs")
POLICY = DebouncePolicy(quiet=0.4, max_wait=300.0, max_wait_new=3600.0)


class Disk:
    """The probe: what each file looks like now."""

    def __init__(self) -> None:
        self.sigs: dict[Path, Signature] = {}

    def __call__(self, path: Path) -> Signature:
        return self.sigs.get(path)


def test_fifty_saves_in_a_burst_settle_into_one_batch() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    path = DOCS / "report.docx"
    batches: list[Batch] = []
    t = 0.0
    for i in range(50):
        disk.sigs[path] = (1000 + i, i)
        deb.note(path, t, dirs={DOCS}, sig=disk.sigs[path])
        got = deb.take_ready(t, disk)
        if got:
            batches.append(got)
        t += 0.02  # a save every 20 ms
    for _ in range(100):  # then time passes quietly
        t += 0.05
        got = deb.take_ready(t, disk)
        if got:
            batches.append(got)
    assert len(batches) == 1
    assert batches[0].dirs == {DOCS} and batches[0].paths == {path}
    assert len(deb) == 0


def test_not_ready_before_quiet_then_ready() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    deb.note(DOCS / "a.txt", 10.0, dirs={DOCS}, sig=None)
    assert not deb.take_ready(10.39, disk)
    assert deb.next_deadline() == 10.4
    assert deb.take_ready(10.4, disk).dirs == {DOCS}
    assert deb.next_deadline() is None


def test_a_write_without_an_event_restarts_the_wait() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    path = DOCS / "db.sqlite"
    disk.sigs[path] = (10, 1)
    deb.note(path, 0.0, dirs={DOCS}, sig=(10, 1))
    disk.sigs[path] = (20, 2)  # written through a memory map: no event, but it changed
    assert not deb.take_ready(0.5, disk)
    assert not deb.take_ready(0.8, disk)
    assert deb.take_ready(0.9, disk).paths == {path}


def test_a_file_that_never_settles_is_taken_after_max_wait() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    path = DOCS / "app.log"
    t = 0.0
    deb.note(path, t, dirs={DOCS}, sig=(0, 0))
    while t < 299.9:
        t += 0.1
        deb.note(path, t, dirs={DOCS}, sig=(int(t * 10), int(t * 10)))
        assert not deb.take_ready(t, disk) or t >= 300.0
    t = 300.0
    assert deb.take_ready(t, disk).paths == {path}


def test_a_new_file_still_being_written_is_held_not_taken() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    big = DOCS / "movie.mkv"
    small = DOCS / "note.txt"
    deb.note(big, 0.0, dirs={DOCS}, new=True, sig=(1, 1))
    deb.note(small, 0.0, dirs={DOCS}, new=True, sig=(5, 5))
    disk.sigs[small] = (5, 5)
    t = 0.0
    while t < 400.0:  # the copy goes on for minutes
        t += 1.0
        disk.sigs[big] = (int(t), int(t))
        deb.note(big, t, dirs={DOCS}, new=True, sig=disk.sigs[big])
        batch = deb.take_ready(t, disk)
        if small in batch.paths:
            assert big in deb.held()  # the run for note.txt must leave the movie out
        assert big not in batch.paths
    assert big in deb.held()
    t += 1.0  # the copy finished
    assert deb.take_ready(t, disk).paths == {big}
    assert deb.held() == frozenset()


def test_modified_existing_files_are_not_held() -> None:
    deb = Debouncer(POLICY)
    deb.note(DOCS / "old.txt", 0.0, dirs={DOCS}, new=False, sig=(1, 1))
    assert deb.held() == frozenset()


def test_new_folders_are_read_whole_and_sources_of_moves_re_listed() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    deb.note(DOCS / "Old", 0.0, dirs={DOCS})
    deb.note(DOCS / "Sub" / "New", 0.0, dirs={DOCS / "Sub"}, trees={DOCS / "Sub" / "New"})
    batch = deb.take_ready(1.0, disk)
    assert batch.dirs == {DOCS, DOCS / "Sub"}
    assert batch.trees == {DOCS / "Sub" / "New"}


def test_events_on_many_files_coalesce_per_folder() -> None:
    deb, disk = Debouncer(POLICY), Disk()
    for i in range(200):
        deb.note(DOCS / f"f{i}.txt", i * 0.001, dirs={DOCS})
    batch = deb.take_ready(1.0, disk)
    assert batch.dirs == {DOCS} and len(batch.paths) == 200


def test_clear_forgets_everything() -> None:
    deb = Debouncer(POLICY)
    deb.note(DOCS / "a", 0.0, dirs={DOCS}, new=True, sig=(1, 1))
    deb.clear()
    assert len(deb) == 0 and deb.held() == frozenset() and deb.next_deadline() is None
