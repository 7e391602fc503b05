"""Save-to-committed latency of continuous protection, on loopback.

Why: the promise is that a saved file is safely on the service within seconds (goal: 2 s at the
95th percentile). This starts a real service, a profile with several chosen folders already
holding files, and the Protector with its real watcher; then it saves small files one after the
other, spread over the folders at random intervals. Every save writes content of a size unique
to it, so afterwards each save is matched with the first snapshot that holds it; its latency is
that snapshot's commit time (seen by a state subscriber) minus the moment the file was closed.

    python bench/latency.py [--saves 200] [--folders 4] [--files 250] [--gap 0.05:0.6]

It says whether the engine took the changed-folder hint (incremental runs) or did full scans
with the files cache, since that is what the time depends on as the folders grow.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.protect import runner  # noqa: E402
from app.protect.debounce import DebouncePolicy  # noqa: E402
from app.protect.protector import Protector  # noqa: E402
from app.protect.state import ProtectionState  # noqa: E402
from tests.protect.support import reader, signed_in_profile, snapshot_files  # noqa: E402
from tests.support.service import start_service  # noqa: E402


class Commits:
    """Snapshot ids with the monotonic time their commit became visible."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, float]] = []
        self._last: str | None = None
        self._lock = threading.Lock()

    def __call__(self, state: ProtectionState) -> None:
        with self._lock:
            if state.last_snapshot_id and state.last_snapshot_id != self._last:
                self._last = state.last_snapshot_id
                self.seen.append((state.last_snapshot_id, time.monotonic()))


def populate(folder: Path, files: int, rng: random.Random) -> None:
    for i in range(files):
        sub = folder / f"dir-{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"old-{i}.txt").write_bytes(secrets.token_bytes(rng.randint(200, 20_000)))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--folders", type=int, default=4)
    ap.add_argument("--files", type=int, default=250, help="files already in each folder")
    ap.add_argument("--gap", default="0.05:0.6", help="seconds between saves, MIN:MAX")
    ap.add_argument("--quiet", type=float, default=DebouncePolicy().quiet)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    gap_min, gap_max = (float(x) for x in args.gap.split(":"))
    rng = random.Random(args.seed)
    os.environ["KEEPSAKE_KEYSTORE"] = "file"

    with tempfile.TemporaryDirectory(prefix="keepsake-latency-") as tmp:
        base = Path(tmp)
        service = start_service(base / "service")
        try:
            folders = [base / f"Folder{i}" for i in range(args.folders)]
            for folder in folders:
                populate(folder, args.files, rng)
            profile = signed_in_profile(service, base / "home", folders)
            runs = {"incremental": 0, "full": 0}
            engine_backup = runner.backup

            def counting_backup(*a: Any, **kw: Any) -> Any:
                result = engine_backup(*a, **kw)
                runs["incremental" if result.incremental else "full"] += 1
                return result

            runner.backup = counting_backup  # type: ignore[assignment]
            protector = Protector(profile, debounce=DebouncePolicy(quiet=args.quiet))
            commits = Commits()
            protector.state.subscribe(commits)
            protector.start()
            while not commits.seen:
                time.sleep(0.05)
            time.sleep(1.0)

            saves: list[tuple[str, int, float]] = []  # (snapshot path, size, closed at)
            for n in range(args.saves):
                folder = folders[n % len(folders)]
                name = f"note-{rng.randrange(20)}.txt"
                size = 1000 + n  # unique per save: identifies it in the snapshots
                with open(folder / name, "wb") as out:
                    out.write(secrets.token_bytes(size))
                saves.append((f"{folder.name}/{name}", size, time.monotonic()))
                time.sleep(rng.uniform(gap_min, gap_max))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and commits.seen[-1][1] < saves[-1][2]:
                time.sleep(0.05)
            time.sleep(2.0)
            protector.stop()

            committed_at = dict(commits.seen)
            latencies: list[float] = []
            missing = 0
            with reader(profile, base) as conn:
                snaps = [s for s in conn.repo.snapshots() if s.snapshot_id in committed_at]
                contents = {
                    s.snapshot_id: {p: n.size for p, n in snapshot_files(conn, s).items()}
                    for s in snaps
                }
            for path, size, closed in saves:
                found = [
                    committed_at[s.snapshot_id]
                    for s in snaps
                    if contents[s.snapshot_id].get(path) == size
                    and committed_at[s.snapshot_id] >= closed
                ]
                if found:
                    latencies.append(min(found) - closed)
                else:
                    missing += 1  # overwritten before any run picked it up: coalesced
        finally:
            service.stop()

    total_files = args.folders * args.files
    print(f"saves: {args.saves} over {args.folders} folders ({total_files} files already there)")
    print(f"gap between saves: {gap_min}-{gap_max} s, debounce quiet period: {args.quiet} s")
    print(f"runs: {runs['incremental']} incremental, {runs['full']} full scans")
    print(f"snapshots committed during the saves: {len(commits.seen) - 1}")
    print(f"saves overwritten before they could be committed (coalesced): {missing}")
    if latencies:
        print(
            f"save -> committed on the service: p50 {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 95):.2f} s, max {max(latencies):.2f} s "
            f"(n={len(latencies)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
