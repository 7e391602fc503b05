"""Service load benchmark: many simulated clients uploading packs and committing, concurrently,
against a real Keepsake service process on loopback.

    python bench/load.py --db sqlite --clients 50 --seconds 60
    python bench/load.py --db postgresql --clients 50 --seconds 60 --json result.json

Each client has its own account, device and backup set, and loops: upload one pack of random
size (256 KiB to 2 MiB, incompressible), then commit it (removing the previous one from the live
set, as a real client's repacking would). Reported: commit latency percentiles (the target is
p99 <= 250 ms), upload latency, packs/s, MiB/s and errors (the target is zero). PostgreSQL runs
in a throwaway server started for the run (Debian's binaries, like the test suite's).

Not part of the test suite: it runs for minutes and loads both cores.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import blake3
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server.postgres import postgres_server  # noqa: E402
from tests.support.service import RunningService, running_service  # noqa: E402

KIB, MIB = 1024, 1024 * 1024
TARGET_P99_MS = 250.0
PASSWORD = "load benchmark passphrase"


@dataclass
class ClientStats:
    commit_ms: list[float] = field(default_factory=list)
    upload_ms: list[float] = field(default_factory=list)
    bytes_uploaded: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Result:
    database: str
    clients: int
    seconds: float
    workers: int
    commits: int
    packs: int
    mib: float
    packs_per_s: float
    mib_per_s: float
    commit_p50_ms: float
    commit_p95_ms: float
    commit_p99_ms: float
    commit_max_ms: float
    upload_p50_ms: float
    upload_p99_ms: float
    server_commit_p50_ms: float  # from the service's own request log: time inside the service
    server_commit_p99_ms: float
    errors: int
    error_samples: list[str]

    @property
    def passed(self) -> bool:
        return self.errors == 0 and self.commit_p99_ms <= TARGET_P99_MS


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Client(threading.Thread):
    """One simulated PC: its own account, device, set and connection."""

    def __init__(self, url: str, number: int, sizes: tuple[int, int], noise: bytes) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.url = url
        self.number = number
        self.sizes = sizes
        self.noise = noise
        self.stats = ClientStats()
        self.http = httpx.Client(
            base_url=url,
            timeout=60.0,
            headers={"X-Forwarded-For": f"198.51.100.{number % 250 + 1}"},  # a documentation net
        )
        self.token = ""
        self.set_id = secrets.token_hex(16)
        self.deadline = 0.0
        self.start_gate: threading.Event | None = None

    def prepare(self) -> None:
        email = f"load-{self.number}-{secrets.token_hex(3)}@example.org"
        made = self.http.post("/v1/accounts", json={"email": email, "password": PASSWORD})
        made.raise_for_status()
        signed = self.http.post(
            "/v1/sessions",
            json={"email": email, "password": PASSWORD, "device_name": f"pc {self.number}"},
        )
        signed.raise_for_status()
        self.token = signed.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.http.put(f"/v1/sets/{self.set_id}", json={}).raise_for_status()

    def pack(self) -> bytes:
        """Incompressible bytes, unique per pack, without the cost of os.urandom per byte."""
        size = random.randint(*self.sizes)
        offset = random.randrange(0, len(self.noise) - size)
        return secrets.token_bytes(32) + self.noise[offset : offset + size - 32]

    def run(self) -> None:
        assert self.start_gate is not None
        self.start_gate.wait()
        previous: str | None = None
        while time.monotonic() < self.deadline:
            try:
                previous = self.one_round(previous)
            except Exception as exc:  # recorded; the run goes on
                self.stats.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        self.http.close()

    def one_round(self, previous: str | None) -> str | None:
        data = self.pack()
        pack_id = secrets.token_hex(16)
        started = time.perf_counter()
        put = self.http.put(
            f"/v1/sets/{self.set_id}/packs/{pack_id}",
            content=data,
            headers={"X-Content-BLAKE3": blake3.blake3(data).hexdigest()},
        )
        uploaded = time.perf_counter()
        if put.status_code != 201:
            self.stats.errors.append(f"upload {put.status_code}: {put.text[:120]}")
            return previous
        self.stats.upload_ms.append((uploaded - started) * 1000)
        self.stats.bytes_uploaded += len(data)
        body = {
            "snapshot_id": secrets.token_hex(16),
            "snapshot": base64.b64encode(secrets.token_bytes(256)).decode(),
            "index_id": secrets.token_hex(16),
            "index": base64.b64encode(secrets.token_bytes(512)).decode(),
            "index_kind": "delta",
            "added_packs": [pack_id],
            "removed_packs": [previous] if previous else [],
        }
        started = time.perf_counter()
        commit = self.http.post(f"/v1/sets/{self.set_id}/commits", json=body)
        elapsed = (time.perf_counter() - started) * 1000
        if commit.status_code != 201:
            self.stats.errors.append(f"commit {commit.status_code}: {commit.text[:120]}")
            return previous
        self.stats.commit_ms.append(elapsed)
        return pack_id


@contextmanager
def service_for(database: str, workers: int, folder: Path) -> Iterator[RunningService]:
    # The clients arrive as 50 different addresses through a proxy on loopback, as they would
    # in front of a real deployment: the per-client limits (sign-ups, failed sign-ins) apply to
    # each client, not to one address that all 50 share.
    extra = ["--trusted-proxy", "127.0.0.1/32"]
    extra += ["--workers", str(workers)] if workers > 1 else []
    if database == "sqlite":
        with running_service(folder / "service", extra_args=extra) as service:
            yield service
        return
    with postgres_server(max_connections=200) as url:
        env = {"KEEPSAKE_DATABASE_URL": url}
        with running_service(folder / "service", extra_args=extra, env=env) as service:
            yield service


def run(args: argparse.Namespace) -> Result:
    noise = os.urandom(4 * MIB)
    sizes = (args.min_kib * KIB, args.max_kib * KIB)
    with (
        tempfile.TemporaryDirectory(prefix="keepsake-load-") as temp,
        service_for(args.db, args.workers, Path(temp)) as service,
    ):
        clients = [Client(service.url, n, sizes, noise) for n in range(args.clients)]
        print(f"setting up {len(clients)} accounts on {args.db}...", file=sys.stderr)
        for client in clients:
            client.prepare()
        gate = threading.Event()
        started = time.monotonic()
        for client in clients:
            client.deadline = started + args.seconds
            client.start_gate = gate
            client.start()
        gate.set()
        print(f"running for {args.seconds} s...", file=sys.stderr)
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        inside = [
            float(line["duration_ms"])
            for line in service.log_lines()
            if line.get("route") == "/v1/sets/{set_id}/commits" and "duration_ms" in line
        ]
    stats = [c.stats for c in clients]
    commits = [ms for s in stats for ms in s.commit_ms]
    uploads = [ms for s in stats for ms in s.upload_ms]
    errors = [e for s in stats for e in s.errors]
    total = sum(s.bytes_uploaded for s in stats)
    return Result(
        database=args.db,
        clients=args.clients,
        seconds=round(elapsed, 1),
        workers=args.workers,
        commits=len(commits),
        packs=len(uploads),
        mib=round(total / MIB, 1),
        packs_per_s=round(len(uploads) / elapsed, 1),
        mib_per_s=round(total / MIB / elapsed, 1),
        commit_p50_ms=round(statistics.median(commits), 1) if commits else float("nan"),
        commit_p95_ms=round(percentile(commits, 0.95), 1),
        commit_p99_ms=round(percentile(commits, 0.99), 1),
        commit_max_ms=round(max(commits, default=float("nan")), 1),
        upload_p50_ms=round(percentile(uploads, 0.50), 1),
        upload_p99_ms=round(percentile(uploads, 0.99), 1),
        server_commit_p50_ms=round(percentile(inside, 0.50), 1),
        server_commit_p99_ms=round(percentile(inside, 0.99), 1),
        errors=len(errors),
        error_samples=errors[:5],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--min-kib", type=int, default=256)
    parser.add_argument("--max-kib", type=int, default=2048)
    parser.add_argument("--workers", type=int, default=1, help="service processes")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args)
    report: dict[str, Any] = {**asdict(result), "passed": result.passed}
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    verdict = "PASS" if result.passed else "FAIL"
    print(
        f"{verdict}: {result.database}, {result.clients} clients, {result.seconds} s: commit "
        f"p50/p95/p99 {result.commit_p50_ms}/{result.commit_p95_ms}/{result.commit_p99_ms} ms, "
        f"{result.packs_per_s} packs/s, {result.mib_per_s} MiB/s, {result.errors} errors",
        file=sys.stderr,
    )
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
