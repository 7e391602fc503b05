"""Judges the targets over several runs: each run's ratio, and the median ratio per target.

Why: on a 2-core VM the same step of the same tool varies by about ±10 % from run to run, so a
single run near a target decides nothing. The median of an odd number of runs is what a target
is judged by; the single runs stay in the table so the spread is visible.

    python bench/summary.py bench/results/A.json bench/results/B.json bench/results/C.json
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    step: str
    target: float
    ratios: tuple[float | None, ...]  # one per run; None where a run lacks the step

    @property
    def median(self) -> float | None:
        measured = [r for r in self.ratios if r is not None]
        return statistics.median(measured) if measured else None

    @property
    def passed(self) -> bool | None:
        median = self.median
        return None if median is None else median <= self.target


def targets(documents: list[dict[str, Any]]) -> list[Target]:
    """The targeted rows of each results document, in the order of the first one."""
    order: list[str] = []
    found: dict[str, tuple[float, list[float | None]]] = {}
    for run, document in enumerate(documents):
        for row in document.get("rows", []):
            if row.get("target") is None:
                continue
            step = row["step"]
            if step not in found:
                order.append(step)
                found[step] = (float(row["target"]), [None] * len(documents))
            if row.get("ratio") is not None:
                found[step][1][run] = float(row["ratio"])
    return [Target(step, found[step][0], tuple(found[step][1])) for step in order]


def markdown(rows: list[Target], runs: int) -> str:
    heads = " | ".join(f"run {i + 1}" for i in range(runs))
    lines = [
        f"| step | {heads} | median | target | met |",
        "|---|" + "---:|" * runs + "---:|---:|:---:|",
    ]
    for row in rows:
        cells = ["—" if r is None else f"{r:.2f}×" for r in row.ratios]
        median = "—" if row.median is None else f"**{row.median:.2f}×**"
        met = "—" if row.passed is None else ("yes" if row.passed else "**no**")
        lines.append(
            f"| {row.step} | {' | '.join(cells)} | {median} | ≤ {row.target:.1f}× | {met} |"
        )
    return "\n".join(lines)


def summarize(paths: list[Path]) -> str:
    documents = [json.loads(path.read_text()) for path in paths]
    return markdown(targets(documents), len(documents))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    print(summarize([Path(a) for a in argv]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
