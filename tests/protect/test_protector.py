"""The protector against a real service on loopback, with real files in temporary folders."""

from __future__ import annotations

import errno
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from app.connect import Connection, keystore_for, subkeys_for
from app.core.index import Index
from app.core.repository import Repository
from app.core.restore import restore
from app.profile import TOKEN_SECRET, Profile
from app.protect.exclude import OWN_DATA
from app.protect.folderwatch import POLL_SECONDS
from app.protect.protector import Protector
from app.protect.state import Phase
from app.storage.retry import RetryPolicy
from app.storage.service import ServiceClient
from app.storage.setstore import SetStore
from tests.protect.support import Cable, reader, signed_in_profile, snapshot_files, wait_for
from tests.support.service import RunningService


def opener(
    *, pack_target: int | None = None, fail_fast: bool = False
) -> Callable[[Profile], Connection]:
    """`connect`, optionally with small packs (so a few MiB make several) and no HTTP retries."""

    def open_connection(profile: Profile) -> Connection:
        settings = profile.load()
        token = keystore_for(profile).get(TOKEN_SECRET)
        policy = RetryPolicy.never() if fail_fast else None
        client = ServiceClient(settings.server_url, token, policy=policy)
        store = client.set_store(settings.set_id or "")
        index = Index(profile.index_path)
        repo = Repository(subkeys_for(profile, settings), store, store, index, "test-pc")
        if pack_target is not None:
            repo.pack_target = pack_target
        return Connection(profile, settings, client, repo, index)

    return open_connection


def disk_state(folders: list[Path]) -> dict[str, int]:
    """{snapshot path: size} of every file under the chosen folders."""
    out: dict[str, int] = {}
    for root in folders:
        for dirpath, _, filenames in os.walk(root):
            for name in filenames:
                path = Path(dirpath) / name
                out[f"{root.name}/{path.relative_to(root).as_posix()}"] = path.stat().st_size
    return out


def latest_state(profile: Profile, scratch: Path) -> dict[str, int]:
    with reader(profile, scratch) as conn:
        snap = conn.repo.snapshots()[-1]
        return {p: n.size for p, n in snapshot_files(conn, snap).items()}


def snapshot_count(profile: Profile, scratch: Path) -> int:
    with reader(profile, scratch) as conn:
        return len(conn.repo.snapshots())


def settled(p: Protector, previous: str | None, timeout: float = 20.0) -> str:
    """Wait for a new snapshot and for the protector to be idle with nothing pending."""

    def done() -> bool:
        s = p.state.get()
        return (
            s.last_snapshot_id not in (None, previous)
            and s.phase is Phase.IDLE
            and s.message == "Up to date"
        )

    wait_for(done, timeout, "a new snapshot")
    snapshot_id = p.state.get().last_snapshot_id
    assert snapshot_id is not None
    return snapshot_id


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    return folder


@pytest.fixture
def running(
    service: RunningService, tmp_path: Path, docs: Path
) -> Iterator[tuple[Protector, Profile]]:
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    (docs / "start.txt").write_text("present at start-up\n")
    p = Protector(profile)
    p.start()
    try:
        settled(p, None)
        yield p, profile
    finally:
        p.stop()


def test_creates_modifies_deletes_and_renames_become_snapshots(
    running: tuple[Protector, Profile], docs: Path, tmp_path: Path
) -> None:
    p, profile = running
    last = p.state.get().last_snapshot_id

    def step(action: Callable[[], object]) -> None:
        nonlocal last
        action()
        last = settled(p, last)
        assert latest_state(profile, tmp_path) == disk_state([docs])

    step(lambda: (docs / "letter.txt").write_text("Dear Ana,\n"))
    step(lambda: (docs / "letter.txt").write_text("Dear Ana, thank you for the book.\n"))
    step(lambda: (docs / "Projects" / "2026" / "plans").mkdir(parents=True))
    step(lambda: (docs / "Projects" / "2026" / "plans" / "garden.txt").write_bytes(b"beans\n" * 9))
    photos = docs / "Projects" / "2026" / "photos"
    photos.mkdir()
    (photos / "raw.bin").write_bytes(secrets.token_bytes(2 * 1024 * 1024))
    last = settled(p, last)
    step(lambda: (docs / "letter.txt").unlink())
    with reader(profile, tmp_path) as conn:  # the deleted letter stays restorable
        versions = conn.repo.versions("Documents/letter.txt")
        assert [n.size for _, n in versions] == [10, 34]

    step(lambda: os.rename(docs / "Projects", docs / "Work"))
    assert p.report().bytes_added < 64 * 1024  # a renamed folder costs no re-upload
    step(lambda: os.rename(docs / "Work" / "2026" / "plans" / "garden.txt", docs / "garden.txt"))

    with reader(profile, tmp_path) as conn:
        snap = conn.repo.snapshots()[-1]
        out = tmp_path / "restored"
        out.mkdir()
        restore(conn.repo, snap, ["Documents/garden.txt", "Documents/Work"], out)
    assert (out / "garden.txt").read_bytes() == b"beans\n" * 9
    assert (out / "Work" / "2026" / "photos" / "raw.bin").read_bytes() == (
        photos.parent.parent.parent / "Work" / "2026" / "photos" / "raw.bin"
    ).read_bytes()


def test_a_burst_of_50_saves_yields_one_upload(
    running: tuple[Protector, Profile], docs: Path, tmp_path: Path
) -> None:
    p, profile = running
    before = snapshot_count(profile, tmp_path)
    last = p.state.get().last_snapshot_id
    target = docs / "thesis.txt"
    for i in range(50):  # saved 50 times, every 10 ms
        target.write_text(f"draft {i}\n" * (i + 1))
        time.sleep(0.01)
    settled(p, last)
    time.sleep(1.5)  # and nothing else comes after the burst
    assert snapshot_count(profile, tmp_path) == before + 1
    assert p.report().files_new == 1
    assert latest_state(profile, tmp_path)["Documents/thesis.txt"] == target.stat().st_size


def test_excluded_files_are_reported_and_never_start_a_backup(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    profile = signed_in_profile(
        service, tmp_path / "home", [docs], exclude_patterns=["*.iso"], max_file_size_mb=1
    )
    (docs / "keep.txt").write_text("keep me")
    (docs / "~$Budget.xlsx").write_text("office lock")
    (docs / "scratch.tmp").write_text("temporary")
    (docs / "disk.iso").write_bytes(b"iso")
    (docs / "video.bin").write_bytes(b"v" * (1024 * 1024 + 1))
    (docs / ".cache").mkdir()
    (docs / ".cache" / "thumb.png").write_bytes(b"png")
    p = Protector(profile)
    p.start()
    try:
        first = settled(p, None)
        excluded = dict(p.report().excluded)
        assert excluded == {
            str(docs / "~$Budget.xlsx"): "Office lock file",
            str(docs / "scratch.tmp"): "temporary file",
            str(docs / "disk.iso"): "matches your exclusion pattern '*.iso'",
            str(docs / "video.bin"): "larger than the 1 MB size limit",
            str(docs / ".cache"): "cache folder",
        }
        assert p.state.get().excluded_count == 5
        assert set(latest_state(profile, tmp_path)) == {"Documents/keep.txt"}
        (docs / "~$Letter.docx").write_text("another lock file")
        (docs / "more.tmp").write_text("more")
        time.sleep(1.5)
        assert p.state.get().last_snapshot_id == first  # nothing worth a backup happened
    finally:
        p.stop()


def test_a_profile_inside_a_chosen_folder_does_not_back_itself_up(
    service: RunningService, docs: Path, tmp_path: Path
) -> None:
    profile = signed_in_profile(service, docs / ".keepsake", [docs])
    (docs / "a.txt").write_text("a")
    p = Protector(profile)
    p.start()
    try:
        first = settled(p, None)
        time.sleep(2.0)  # writing the index after the commit must not start another backup
        assert p.state.get().last_snapshot_id == first
        assert dict(p.report().excluded) == {str(docs / ".keepsake"): OWN_DATA}
    finally:
        p.stop()


def packs_on_service(profile: Profile) -> dict[str, int]:
    return set_store(profile).list_packs()


def set_store(profile: Profile) -> SetStore:
    """The profile's backup set on the service, read directly (no index, no key)."""
    settings = profile.load()
    client = ServiceClient(settings.server_url, keystore_for(profile).get(TOKEN_SECRET))
    return client.set_store(settings.set_id or "")


def test_pause_stops_the_upload_and_resume_continues_it(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    data = 8 * 1024 * 1024
    for i in range(8):
        (docs / f"scan-{i}.raw").write_bytes(secrets.token_bytes(data // 8))
    profile = signed_in_profile(service, tmp_path / "home", [docs], upload_limit_kib=2048)
    p = Protector(profile, open_connection=opener(pack_target=1024 * 1024))
    p.start()
    try:
        wait_for(lambda: len(packs_on_service(profile)) >= 2, 30, "two packs uploaded")
        p.pause(None)
        state = p.state.get()
        assert state.phase is Phase.PAUSED and state.message == "Paused until you resume"
        time.sleep(0.5)  # the pack on the wire is aborted at its next piece
        assert p.state.get().phase is Phase.PAUSED
        at_pause = packs_on_service(profile)
        time.sleep(1.0)
        assert packs_on_service(profile) == at_pause  # nothing goes out while paused
        assert p.state.get().last_snapshot_id is None
        p.resume()
        settled(p, None, timeout=30)
    finally:
        p.stop()
    final = packs_on_service(profile)
    assert set(at_pause) <= set(final)
    # Packs sent before the pause were reused, not sent again: about one copy of the data.
    assert sum(final.values()) < data * 1.1
    assert set(latest_state(profile, tmp_path)) == {f"Documents/scan-{i}.raw" for i in range(8)}


class SteppedClock:
    """A settable clock whose wall time can also jump alone, as it does over a sleep."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._mono = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds

    def sleep(self, seconds: float) -> None:
        """The PC sleeps: the monotonic clock stands still."""
        with self._lock:
            self._now += timedelta(seconds=seconds)


MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Attempts:
    """`open_connection` that counts backup attempts: the runner opens a fresh connection for
    each run after one that failed (and for a lock probe)."""

    def __init__(self) -> None:
        self.count = 0
        self._open = opener()

    def __call__(self, profile: Profile) -> Connection:
        self.count += 1
        return self._open(profile)


def commits(profile: Profile) -> int:
    """Snapshots the service holds for the set: one per successful run."""
    return len(set_store(profile).list_snapshots())


def idle(p: Protector) -> bool:
    s = p.state.get()
    return s.phase is Phase.IDLE and s.message == "Up to date"


def test_offline_backs_off_and_resumes_without_sending_packs_again(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    data = 6 * 1024 * 1024
    for i in range(6):
        (docs / f"video-{i}.bin").write_bytes(secrets.token_bytes(data // 6))
    cable = Cable(service.port)
    profile = signed_in_profile(service, tmp_path / "home", [docs], upload_limit_kib=2048)
    settings = profile.load()
    settings.server_url = cable.url
    profile.save(settings)
    clock = SteppedClock(MONDAY_8)
    p = Protector(
        profile,
        clock=clock,
        tick=0.02,
        tz=UTC,
        open_connection=opener(pack_target=1024 * 1024, fail_fast=True),
    )
    direct = signed_copy(profile, service, tmp_path)
    p.start()
    try:
        wait_for(lambda: len(packs_on_service(direct)) >= 2, 30, "two packs uploaded")
        cable.unplug()
        wait_for(lambda: p.state.get().phase is Phase.OFFLINE, 30, "the offline state")
        offline = p.state.get()
        assert offline.message.startswith("Offline — will retry in ")
        assert offline.retry_at is not None and offline.retry_at > clock.now()
        assert offline.error is None  # only a failure (phase ERROR) carries its error
        before = packs_on_service(direct)
        clock.advance(1)  # the first retry waits 2.5-5 s: not yet
        time.sleep(0.3)
        assert p.state.get().phase is Phase.OFFLINE
        cable.plug()
        clock.advance(10)
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id is not None, 30, "a backup")
    finally:
        p.stop()
        cable.unplug()
    final = packs_on_service(direct)
    assert set(before) <= set(final)
    assert sum(final.values()) < data * 1.1  # what went out before the outage was not resent


def signed_copy(profile: Profile, service: RunningService, scratch: Path) -> Profile:
    """The same sign-in, talking to the service directly (not through the cable)."""
    home = scratch / f"direct-{secrets.token_hex(3)}"
    home.mkdir()
    shutil.copytree(profile.secrets_dir, home / "secrets")
    copy = Profile.open(home)
    settings = profile.load()
    settings.server_url = service.url
    copy.save(settings)
    return copy


def test_a_subscription_lock_stops_uploads_until_it_may_have_changed(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    email = profile.load().email or ""
    (docs / "a.txt").write_text("a")
    clock = SteppedClock(MONDAY_8)
    attempts = Attempts()
    p = Protector(profile, clock=clock, tick=0.02, tz=UTC, open_connection=attempts)
    p.start()
    try:
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id is not None, 20, "backup")
        first = p.state.get().last_snapshot_id
        assert service.admin("set-payment", email, "--state", "overdue").returncode == 0
        (docs / "b.txt").write_text("b")
        time.sleep(0.2)
        clock.advance(1)  # the change settles
        wait_for(lambda: p.state.get().phase is Phase.LOCKED, 20, "the lock")
        state = p.state.get()
        assert state.locked_reason == "payment_overdue" and state.locked_since
        assert "locked" in state.message.lower()
        runs = attempts.count
        for _ in range(5):  # more changes, half an hour: no new attempt
            (docs / "c.txt").write_text(f"c {_}")
            time.sleep(0.1)
            clock.advance(360)
        time.sleep(0.3)
        assert attempts.count == runs and p.state.get().phase is Phase.LOCKED
        p.back_up_now()  # the person asks: one attempt, still locked
        wait_for(lambda: attempts.count == runs + 1, 20, "one more attempt")
        wait_for(lambda: p.state.get().phase is Phase.LOCKED, 20, "locked again")
        time.sleep(0.3)
        assert attempts.count == runs + 1
        assert service.admin("set-payment", email, "--state", "paid").returncode == 0
        clock.advance(3600)  # the hourly check sees the account is active again
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id != first, 20, "a backup")
        assert p.state.get().locked_reason is None
    finally:
        p.stop()
    assert set(latest_state(profile, tmp_path)) == {f"Documents/{n}.txt" for n in "abc"}


def test_daily_wake_up_and_coalescing_rules_with_an_injected_clock(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    profile = signed_in_profile(service, tmp_path / "home", [docs], upload_limit_kib=1024)
    (docs / "a.txt").write_text("a")
    clock = SteppedClock(MONDAY_8)
    p = Protector(profile, clock=clock, tick=0.01, tz=UTC, watch=False)
    p.start()
    try:
        wait_for(lambda: idle(p) and commits(profile) == 1, 20, "the start-up scan")
        clock.advance(3 * 3600 + 59 * 60)  # 11:59
        time.sleep(0.3)
        assert commits(profile) == 1
        clock.advance(120)  # 12:01: the daily scan
        wait_for(lambda: idle(p) and commits(profile) == 2, 20, "the daily scan")
        clock.advance(23 * 3600)  # Tuesday 11:01
        time.sleep(0.3)
        assert commits(profile) == 2
        clock.sleep(5 * 3600)  # asleep over Tuesday noon, awake at 16:01
        wait_for(lambda: idle(p) and commits(profile) == 3, 20, "the missed daily scan")
        time.sleep(0.3)
        assert commits(profile) == 3  # caught up once, not once per missed check

        (docs / "big.bin").write_bytes(secrets.token_bytes(3 * 1024 * 1024))  # ~3 s at 1 MiB/s
        p.back_up_now()
        wait_for(lambda: p.state.get().phase is Phase.UPLOADING, 20, "the upload")
        for _ in range(5):
            p.back_up_now()
            clock.advance(24 * 3600)  # even a daily slot passing while it runs
        wait_for(lambda: idle(p) and commits(profile) == 5, 30, "one coalesced run after it")
        time.sleep(0.5)
        assert commits(profile) == 5
    finally:
        p.stop()
    assert snapshot_count(profile, tmp_path) == 5


def test_an_unplugged_folder_keeps_its_backup_and_is_scanned_when_it_is_back(
    service: RunningService, tmp_path: Path
) -> None:
    drive = tmp_path / "USB"
    photos = drive / "Photos"
    photos.mkdir(parents=True)
    (photos / "cat.jpg").write_bytes(b"cat" * 100)
    docs = tmp_path / "Documents"
    docs.mkdir()
    profile = signed_in_profile(service, tmp_path / "home", [docs, photos])
    p = Protector(profile)
    p.start()
    try:
        last = settled(p, None)
        os.rename(drive, tmp_path / "USB-unplugged")
        time.sleep(1.5)  # noticed, but nothing worth telling yet
        assert p.state.get().problems == ()
        (docs / "note.txt").write_text("written while the drive is away")
        last = settled(p, last)
        state = latest_state(profile, tmp_path)
        assert state["Photos/cat.jpg"] == 300  # still in the new snapshot, not "deleted"
        assert "Documents/note.txt" in state
        problems = {pr.path: pr.reason for pr in p.state.get().problems}
        assert "cannot open the folder" in problems[str(photos)]

        os.rename(tmp_path / "USB-unplugged", drive)  # plugged back in
        last = settled(p, last)
        assert p.state.get().problems == ()
        (photos / "dog.jpg").write_bytes(b"dog" * 50)  # watched again
        last = settled(p, last)
        assert latest_state(profile, tmp_path)["Photos/dog.jpg"] == 150
    finally:
        p.stop()


class NoWatchesLeft(Observer):  # type: ignore[misc,valid-type]
    """An observer on a system whose inotify watch limit is used up."""

    def schedule(self, *args, **kwargs) -> ObservedWatch:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")


def test_when_watching_is_unavailable_folders_are_scanned_periodically(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    clock = SteppedClock(MONDAY_8)
    p = Protector(profile, clock=clock, tick=0.02, tz=UTC, observer_factory=NoWatchesLeft)
    p.start()
    try:
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id is not None, 20, "backup")
        first = p.state.get().last_snapshot_id
        (problem,) = p.state.get().problems
        assert problem.path == str(docs)
        assert problem.reason == (
            "changes cannot be watched (No space left on device); "
            "changes here are picked up by a scan every 10 minutes"
        )
        (docs / "new.txt").write_text("no event will tell")
        clock.advance(60)
        time.sleep(0.5)
        assert p.state.get().last_snapshot_id == first
        clock.advance(POLL_SECONDS)
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id != first, 20, "a scan")
    finally:
        p.stop()
    assert "Documents/new.txt" in latest_state(profile, tmp_path)


def test_lost_events_fall_back_to_a_full_scan(
    running: tuple[Protector, Profile], docs: Path, tmp_path: Path
) -> None:
    p, profile = running
    last = p.state.get().last_snapshot_id
    (docs / "ledger.txt").write_text("v1\n")
    last = settled(p, last)
    # Written through a hard link outside the chosen folder, the change sends the watcher no
    # event at all: exactly what an inotify overflow loses.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.link(docs / "ledger.txt", elsewhere / "ledger.txt")
    (elsewhere / "ledger.txt").write_text("version two, longer\n")
    time.sleep(1.0)
    assert p.state.get().last_snapshot_id == last  # nobody noticed
    logging.getLogger("watchdog.observers.inotify_c").warning(
        "Inotify queue overflowed; filesystem events were lost"
    )
    settled(p, last)
    assert latest_state(profile, tmp_path)["Documents/ledger.txt"] == 20


def test_adding_and_removing_folders(
    running: tuple[Protector, Profile], docs: Path, tmp_path: Path
) -> None:
    p, profile = running
    last = p.state.get().last_snapshot_id
    music = tmp_path / "Music"
    music.mkdir()
    (music / "song.flac").write_bytes(b"la" * 100)
    settings = profile.load()
    settings.folders.append(str(music))
    profile.save(settings)
    p.reload_settings()
    last = settled(p, last)
    assert latest_state(profile, tmp_path)["Music/song.flac"] == 200
    (music / "song2.flac").write_bytes(b"do" * 10)  # the new folder is watched
    last = settled(p, last)
    assert "Music/song2.flac" in latest_state(profile, tmp_path)

    settings.folders.remove(str(docs))
    profile.save(settings)
    p.reload_settings()
    last = settled(p, last)
    assert set(latest_state(profile, tmp_path)) == {"Music/song.flac", "Music/song2.flac"}
    with reader(profile, tmp_path) as conn:  # its versions stay until they age out
        assert conn.repo.versions("Documents/start.txt")
    (docs / "ignored.txt").write_text("no longer protected")
    time.sleep(1.5)
    assert p.state.get().last_snapshot_id == last


def test_continuous_protection_can_be_turned_off_and_on(
    running: tuple[Protector, Profile], docs: Path, tmp_path: Path
) -> None:
    p, profile = running
    last = p.state.get().last_snapshot_id
    settings = profile.load()
    settings.continuous = False
    profile.save(settings)
    p.reload_settings()
    time.sleep(0.3)
    (docs / "while-off.txt").write_text("only the daily scan would see this")
    time.sleep(1.5)
    assert p.state.get().last_snapshot_id == last
    settings.continuous = True
    profile.save(settings)
    p.reload_settings()  # a scan catches what went unwatched
    last = settled(p, last)
    assert "Documents/while-off.txt" in latest_state(profile, tmp_path)
    (docs / "after.txt").write_text("watched again")
    settled(p, last)
    assert "Documents/after.txt" in latest_state(profile, tmp_path)


def test_a_failed_run_publishes_its_error_and_when_it_is_tried_again(
    service: RunningService, tmp_path: Path, docs: Path
) -> None:
    """The app words the failure in the person's language from the error itself, so the state
    carries it (an OS error inside the protector's own message), and the time of the retry."""
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    (docs / "a.txt").write_text("a")
    healthy = opener()
    broken = {"on": True}

    def open_connection(p: Profile) -> Connection:
        if broken["on"]:
            raise OSError(errno.EIO, "Input/output error", str(tmp_path / "home" / "index.db"))
        return healthy(p)

    clock = SteppedClock(MONDAY_8)
    p = Protector(profile, clock=clock, tick=0.02, tz=UTC, open_connection=open_connection)
    p.start()
    try:
        wait_for(lambda: p.state.get().phase is Phase.ERROR, 20, "the failure")
        state = p.state.get()
        assert isinstance(state.error, Exception) and isinstance(state.error.__cause__, OSError)
        assert state.error.__cause__.errno == errno.EIO
        assert state.error.__cause__.__traceback__ is None  # no frames of the run kept alive
        assert "Input/output error" in state.message and "will retry in" in state.message
        assert state.retry_at is not None and state.retry_at > clock.now()
        broken["on"] = False
        clock.advance(3600)
        wait_for(lambda: idle(p) and p.state.get().last_snapshot_id is not None, 20, "a backup")
        assert p.state.get().error is None and p.state.get().retry_at is None
    finally:
        p.stop()
