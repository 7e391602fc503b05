"""A new file still being written (a large copy) is left out of runs until it is whole: no
snapshot ever holds a half-written copy, while other saves keep being backed up meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from app.protect.protector import Protector
from tests.protect.support import reader, signed_in_profile, snapshot_files, wait_for
from tests.support.service import RunningService

PIECE = 256 * 1024
PIECES = 24


def test_a_file_being_copied_in_is_only_backed_up_whole(
    service: RunningService, tmp_path: Path
) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "notes.txt").write_text("0\n")
    profile = signed_in_profile(service, tmp_path / "home", [docs])
    protector = Protector(profile)
    protector.start()
    try:
        wait_for(lambda: protector.state.get().last_snapshot_id is not None, 30, "start-up")
        copying = threading.Event()

        def copy_in() -> None:  # a slow copy: a piece every 0.15 s, for about 3.6 s
            with open(docs / "holiday.mov", "wb") as out:
                copying.set()
                for _ in range(PIECES):
                    out.write(b"v" * PIECE)
                    out.flush()
                    time.sleep(0.15)

        copier = threading.Thread(target=copy_in)
        copier.start()
        copying.wait(5)
        for n in range(1, 6):  # other saves keep runs going while the copy is under way
            (docs / "notes.txt").write_text(f"{n}\n")
            time.sleep(0.7)
        copier.join(30)

        def whole_copy_backed_up() -> bool:
            with reader(profile, tmp_path) as conn:
                latest = conn.repo.snapshots()[-1]
                node = snapshot_files(conn, latest).get("Documents/holiday.mov")
            return node is not None and node.size == PIECE * PIECES

        wait_for(whole_copy_backed_up, 60, "the finished copy in a snapshot")
    finally:
        protector.stop()

    with reader(profile, tmp_path) as conn:
        snapshots = conn.repo.snapshots()
        seen = [snapshot_files(conn, snap) for snap in snapshots]
    sizes = [
        files["Documents/holiday.mov"].size for files in seen if "Documents/holiday.mov" in files
    ]
    assert sizes and set(sizes) == {PIECE * PIECES}  # never a partial copy
    during = [files for files in seen if "Documents/holiday.mov" not in files]
    notes_versions = {files["Documents/notes.txt"].size for files in during}
    assert len(during) >= 2 and len(notes_versions) >= 1  # runs went on during the copy
