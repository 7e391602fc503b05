"""Bytes added by the day of edits, both tools, over several seeds of the tree.

Why: the bytes target compares a deterministic figure with a random one. Keepsake's chunk
boundaries depend only on the data, so on one seed it adds the same bytes in every run; restic
draws its chunker's polynomial anew for each repository, so its figure moves from run to run.
On the benchmark's one seed, the target then judges one draw of the data for Keepsake against
several of restic's. Over many seeds both figures move, and the ratio shows how the two tools
compare on data in general. Only the initial backup and the backup after the edits run, with a
warm cache (no time is judged here).

    python bench/seeds.py [--seeds 1-12] [--scale 1] [--workdir DIR] [--out FILE.jsonl]

Each seed takes about a minute at scale 1 and its folder (tree and two repositories, ~4 GiB) is
removed before the next one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import gen_tree
import run as bench_run

MIB = 1024 * 1024


class EditsOnly(bench_run.Bench):
    """The run's first steps: generate, initial backup, the day of edits, backup."""

    def run(self) -> None:
        args = self.args
        self.say(f"seed {args.seed}: generating the tree (scale {args.scale})")
        gen_tree.generate(self.tree, args.seed, args.scale)
        self.tools = [
            bench_run.Keepsake(bench_run.REPO, self.workdir, self.tree, self.log_dir),
            bench_run.Restic(self.workdir, self.tree, self.log_dir),
        ]
        for tool in self.tools:
            self.facts[tool.name] = tool.setup()
        time.sleep(bench_run.SETTLE_SECONDS)
        self.step("initial", lambda t: t.backup("initial"))
        gen_tree.edit_tree(self.tree, args.seed, args.scale)
        time.sleep(bench_run.SETTLE_SECONDS)
        self.step("edits", lambda t: t.backup("edits"))


def added(seed: int, scale: float, workdir: Path) -> dict[str, int]:
    """Bytes each tool's repository grew by in the backup after the edits."""
    args = argparse.Namespace(seed=seed, scale=scale, warm=True)
    bench = EditsOnly(args, workdir)
    try:
        bench.run()
    finally:
        bench.close()
    found = {}
    for name, result in bench.results["edits"].items():
        if result.bytes_added is None:
            raise RuntimeError(f"{name} reported no bytes added for seed {seed}")
        found[name] = result.bytes_added
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1-12", help="a seed or a range, e.g. 1-12")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, help="an empty folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, help="append a JSON line per seed to this file")
    args = parser.parse_args(argv)
    base = args.workdir or Path(tempfile.mkdtemp(prefix="keepsake-seeds-"))
    rows = []
    for seed in gen_tree.seed_range(args.seeds):
        workdir = base / f"seed{seed}"
        workdir.mkdir(parents=True)
        try:
            row = {"seed": seed, "scale": args.scale, **added(seed, args.scale, workdir)}
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        rows.append(row)
        if args.out:
            with args.out.open("a") as out:
                out.write(json.dumps(row) + "\n")
    if args.workdir is None:
        shutil.rmtree(base, ignore_errors=True)
    print("\n| seed | Keepsake | restic | ratio |\n|---:|---:|---:|---:|")
    ratios = []
    for row in rows:
        ratio = row["keepsake"] / row["restic"]
        ratios.append(ratio)
        print(
            f"| {row['seed']} | {row['keepsake'] / MIB:.2f} MiB | {row['restic'] / MIB:.2f} MiB "
            f"| {ratio:.3f}× |"
        )
    over = sum(r > 1.0 for r in ratios)
    print(
        f"\nmean ratio {statistics.mean(ratios):.3f}×, median {statistics.median(ratios):.3f}×; "
        f"Keepsake added more than restic for {over} of {len(ratios)} seeds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
