"""`keepsake agent` as a real process: signals, a hard kill mid-upload, an unreadable file."""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.connect import keystore_for
from app.profile import TOKEN_SECRET, Profile
from app.storage.service import ServiceClient
from tests.protect.support import reader, signed_in_profile, snapshot_files, wait_for
from tests.support.service import RunningService

REPO_ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024


def _drop_file_permission_override() -> None:
    """In the child, before exec: as root, give up the capabilities that let root read any
    file, so permission bits apply (an unreadable file stays unreadable, like a locked one)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


class Agent:
    """`python -m app.cli agent` on a profile, its output collected line by line."""

    def __init__(
        self,
        profile: Profile,
        *args: str,
        drop_privileges: bool = False,
        env: dict[str, str] | None = None,
        command: str = "agent",
    ) -> None:
        environment = dict(os.environ)
        environment.update(
            KEEPSAKE_HOME=str(profile.home),
            KEEPSAKE_KEYSTORE="file",
            PYTHONPATH=os.pathsep.join([str(REPO_ROOT), environment.get("PYTHONPATH", "")]),
        )
        environment.update(env or {})
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", command, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            cwd=REPO_ROOT,
            preexec_fn=_drop_file_permission_override if drop_privileges else None,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def snapshots(self) -> list[str]:
        return [ln.split()[2] for ln in list(self.lines) if " snapshot " in ln]

    def wait_snapshots(self, count: int, timeout: float = 60.0) -> list[str]:
        wait_for(lambda: len(self.snapshots()) >= count, timeout, f"{count} snapshot(s)")
        return self.snapshots()

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the agent did not stop on {sig}:\n{self.output()}") from None


def packs_on_service(profile: Profile) -> dict[str, int]:
    settings = profile.load()
    client = ServiceClient(settings.server_url, keystore_for(profile).get(TOKEN_SECRET))
    return client.set_store(settings.set_id or "").list_packs()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_stop_signal_ends_a_running_upload_cleanly_and_the_next_start_continues(
    service: RunningService, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "archive.bin").write_bytes(secrets.token_bytes(24 * MiB))
    profile = signed_in_profile(service, tmp_path / "home", [docs], upload_limit_kib=4096)
    agent = Agent(profile)
    try:
        wait_for(lambda: " uploading: " in agent.output(), 30, "the upload to start")
        time.sleep(1.0)
        began = time.monotonic()
        assert agent.stop(stop_signal) == 0
        assert time.monotonic() - began < 10  # the pack on the wire is dropped, not finished
    finally:
        agent.stop(signal.SIGKILL)
    assert agent.snapshots() == []
    settings = profile.load()
    settings.upload_limit_kib = 0
    profile.save(settings)
    once = Agent(profile, "--once")
    assert once.proc.wait(timeout=60) == 0, once.output()
    assert "1 new" in once.output()
    with reader(profile, tmp_path) as conn:
        files = snapshot_files(conn, conn.repo.snapshots()[-1])
    assert files["Documents/archive.bin"].size == 24 * MiB


def test_sigkill_mid_upload_loses_nothing_committed_and_resends_little(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "letter.txt").write_text("committed before the crash\n")
    # Slow enough that the run is still uploading for seconds after the first data pack lands:
    # the kill must come before its commit, however slowly this machine polls.
    profile = signed_in_profile(service, tmp_path / "home", [docs], upload_limit_kib=4 * 1024)
    agent = Agent(profile)
    try:
        (first,) = agent.wait_snapshots(1)
        committed = packs_on_service(profile)
        data = 40 * MiB
        # Written elsewhere and moved in as one folder, so that one run finds all four files.
        videos = tmp_path / "Videos"
        videos.mkdir()
        for i in range(4):
            (videos / f"video-{i}.mp4").write_bytes(secrets.token_bytes(data // 4))
        videos.rename(docs / "Videos")
        wait_for(
            lambda: sum(packs_on_service(profile).values()) > sum(committed.values()) + 8 * MiB,
            60,
            "a data pack on the service",
        )
        agent.proc.kill()  # SIGKILL: no chance to clean up
        agent.proc.wait(timeout=10)
    finally:
        agent.stop(signal.SIGKILL)
    assert len(agent.snapshots()) == 1, agent.output()
    before_restart = packs_on_service(profile)

    settings = profile.load()
    settings.upload_limit_kib = 0
    profile.save(settings)
    again = Agent(profile)
    try:
        again.wait_snapshots(1)
    finally:
        assert again.stop() == 0
    final = packs_on_service(profile)
    assert set(before_restart) <= set(final)
    sent_again = sum(final.values()) - sum(before_restart.values())
    assert sent_again < data - (sum(before_restart.values()) - sum(committed.values())) + 2 * MiB
    assert sum(final.values()) < data * 1.05 + 2 * MiB  # about one copy of the data in all
    with reader(profile, tmp_path) as conn:
        snaps = conn.repo.snapshots()
        assert snaps[0].snapshot_id == first  # the committed snapshot survived
        assert set(snapshot_files(conn, snaps[0])) == {"Documents/letter.txt"}
        latest = snapshot_files(conn, snaps[-1])
    assert {p: n.size for p, n in latest.items()} == {
        "Documents/letter.txt": 27,
        **{f"Documents/Videos/video-{i}.mp4": data // 4 for i in range(4)},
    }


def test_an_unreadable_file_is_reported_and_never_stops_the_backup(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "open.txt").write_text("readable")
    locked = docs / "locked.xlsx"
    locked.write_text("in use by another program")
    locked.chmod(0)
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    agent = Agent(profile, drop_privileges=True)
    try:
        agent.wait_snapshots(1)
        wait_for(lambda: " problem: " in agent.output(), 10, "the problem report")
        assert f" problem: {locked}: permission denied; not backed up" in agent.output()
        with reader(profile, tmp_path) as conn:
            first = snapshot_files(conn, conn.repo.snapshots()[-1])
        assert set(first) == {"Documents/open.txt"}
        locked.chmod(0o644)  # released
        agent.wait_snapshots(2)
        with reader(profile, tmp_path) as conn:
            second = snapshot_files(conn, conn.repo.snapshots()[-1])
        assert set(second) == {"Documents/open.txt", "Documents/locked.xlsx"}
        wait_for(lambda: f" resolved: {locked}" in agent.output(), 10, "the problem to clear")
    finally:
        assert agent.stop() == 0


def test_agent_once_lists_what_is_not_covered(service: RunningService, tmp_path: Path) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    (docs / "~$a.docx").write_text("lock")
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    once = Agent(profile, "--once")
    assert once.proc.wait(timeout=60) == 0, once.output()
    assert f"excluded {docs / '~$a.docx'}: Office lock file" in once.output()


def test_folders_added_with_the_cli_are_picked_up_by_a_running_agent(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    music = tmp_path / "Music"
    music.mkdir()
    (music / "song.flac").write_bytes(b"la" * 50)
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    agent = Agent(profile)
    try:
        agent.wait_snapshots(1)
        add = Agent(profile, "add", str(music), command="folders")
        assert add.proc.wait(timeout=60) == 0, add.output()
        agent.wait_snapshots(2)
    finally:
        assert agent.stop() == 0
    with reader(profile, tmp_path) as conn:
        latest = snapshot_files(conn, conn.repo.snapshots()[-1])
    assert set(latest) == {"Documents/a.txt", "Music/song.flac"}


def test_first_run_protects_documents_and_pictures(service: RunningService, tmp_path: Path) -> None:
    person = tmp_path / "person"
    (person / "Documents").mkdir(parents=True)
    (person / "Documents" / "cv.odt").write_text("cv")
    (person / "Pictures").mkdir()
    (person / "Pictures" / "cat.jpg").write_bytes(b"cat")
    profile = signed_in_profile(service, tmp_path / "home", [])
    once = Agent(profile, "--once", env={"HOME": str(person), "XDG_CONFIG_HOME": str(person)})
    assert once.proc.wait(timeout=60) == 0, once.output()
    assert profile.load().folders == [str(person / "Documents"), str(person / "Pictures")]
    with reader(profile, tmp_path) as conn:
        latest = snapshot_files(conn, conn.repo.snapshots()[-1])
    assert set(latest) == {"Documents/cv.odt", "Pictures/cat.jpg"}


def test_agent_without_folders_says_what_to_do(service: RunningService, tmp_path: Path) -> None:
    profile = signed_in_profile(service, tmp_path / "home", [])
    nowhere = tmp_path / "nobody"
    nowhere.mkdir()
    once = Agent(profile, "--once", env={"HOME": str(nowhere), "XDG_CONFIG_HOME": str(nowhere)})
    assert once.proc.wait(timeout=60) == 1
    assert "error: no folders are protected yet" in once.output()


def test_a_running_agent_without_folders_waits_for_one(
    service: RunningService, tmp_path: Path
) -> None:
    profile = signed_in_profile(service, tmp_path / "home", [])
    nowhere = tmp_path / "nobody"
    nowhere.mkdir()
    agent = Agent(profile, env={"HOME": str(nowhere), "XDG_CONFIG_HOME": str(nowhere)})
    try:
        wait_for(lambda: "No folders are protected yet" in agent.output(), 30, "the hint")
        assert agent.proc.poll() is None  # still running
        docs = tmp_path / "Documents"
        docs.mkdir()
        (docs / "a.txt").write_text("a")
        add = Agent(profile, "add", str(docs), command="folders")
        assert add.proc.wait(timeout=60) == 0, add.output()
        agent.wait_snapshots(1)
    finally:
        assert agent.stop() == 0
    with reader(profile, tmp_path) as conn:
        latest = snapshot_files(conn, conn.repo.snapshots()[-1])
    assert set(latest) == {"Documents/a.txt"}
