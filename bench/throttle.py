"""Is the upload bandwidth limit held on the wire? Measured over 10 s windows, on loopback.

Why: the setting promises "KiB/s" to a person sharing a slow uplink, so what counts is the rate
of bytes leaving for the service, not the rate the engine hands them over. The Protector backs
up incompressible data through a TCP relay that counts every byte sent to the service; the
rate over every 10 s window of the steady part of the upload is compared with the limit (goal:
within 10 %).

    python bench/throttle.py [--limits 512,2048,8192] [--seconds 14]
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.protect.protector import Protector  # noqa: E402
from tests.protect.support import Cable, signed_in_profile  # noqa: E402
from tests.support.service import RunningService, start_service  # noqa: E402

WINDOW = 10.0
SAMPLE = 0.05


def measure(service: RunningService, base: Path, limit_kib: int, seconds: float) -> list[float]:
    """Rates (bytes/s) of every 10 s window, sampled every 50 ms, of one throttled backup."""
    folder = base / f"data-{limit_kib}"
    folder.mkdir()
    total = int(limit_kib * 1024 * seconds)
    piece = 4 * 1024 * 1024
    for i in range(0, total, piece):
        (folder / f"chunk-{i // piece}.bin").write_bytes(secrets.token_bytes(min(piece, total - i)))
    cable = Cable(service.port)
    profile = signed_in_profile(
        service, base / f"home-{limit_kib}", [folder], upload_limit_kib=limit_kib
    )
    settings = profile.load()
    settings.server_url = cable.url
    profile.save(settings)

    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sampler() -> None:
        while not done.is_set():
            samples.append((time.monotonic(), cable.sent))
            time.sleep(SAMPLE)

    protector = Protector(profile, watch=False)
    threading.Thread(target=sampler, daemon=True).start()
    protector.start()
    while protector.state.get().last_snapshot_id is None:
        time.sleep(0.1)
    done.set()
    protector.stop()
    cable.unplug()

    # The steady part: from the first second with bytes moving to one second before the end.
    moving = [t for (t, n), (_, m) in itertools.pairwise(samples) if m > n]
    start, end = moving[0] + 1.0, moving[-1] - 1.0
    rates: list[float] = []
    for t0, n0 in samples:
        if t0 < start or t0 + WINDOW > end:
            continue
        t1, n1 = next((t, n) for t, n in samples if t >= t0 + WINDOW)
        rates.append((n1 - n0) / (t1 - t0))
    return rates


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limits", default="512,2048,8192", help="KiB/s, comma-separated")
    ap.add_argument("--seconds", type=float, default=14.0, help="length of each upload")
    args = ap.parse_args()
    os.environ["KEEPSAKE_KEYSTORE"] = "file"
    limits = [int(x) for x in args.limits.split(",")]
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="keepsake-throttle-") as tmp:
        base = Path(tmp)
        service = start_service(base / "service")
        try:
            for limit in limits:
                rates = measure(service, base, limit, args.seconds)
                if not rates:
                    print(f"limit {limit} KiB/s: upload too short for a 10 s window")
                    continue
                target = limit * 1024
                low, high = min(rates) / target, max(rates) / target
                mean = sum(rates) / len(rates) / target
                worst = max(worst, abs(low - 1), abs(high - 1))
                print(
                    f"limit {limit:>6} KiB/s: on the wire over 10 s windows "
                    f"{min(rates) / 1024:8.1f}-{max(rates) / 1024:8.1f} KiB/s "
                    f"({(low - 1) * 100:+.1f} % .. {(high - 1) * 100:+.1f} %, "
                    f"mean {(mean - 1) * 100:+.1f} %, {len(rates)} windows)"
                )
        finally:
            service.stop()
    print(f"largest deviation from the limit: {worst * 100:.1f} % (goal: within 10 %)")
    return 0 if worst <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
