"""Turns measured steps into the comparison table: step | keepsake | restic | ratio | target | pass.

Why ratios: absolute times depend on the machine; the issue's targets are ratios to restic in
the same run, on the same data, so only the ratio is compared with the target.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from steps import StepResult

Results = dict[str, dict[str, StepResult]]  # step -> tool name -> result

# (step key, label, metric, target ratio or None for information only)
ROWS: list[tuple[str, str, str, float | None]] = [
    ("initial", "Initial backup", "seconds", 0.8),
    ("nochange", "No-change backup", "seconds", 0.5),
    ("edits", "Backup after a day of edits", "seconds", 0.8),
    ("edits", "Bytes added by the edits", "bytes_added", 1.0),
    ("restore_all", "Full restore, until on disk", "on_disk_seconds", 1.0),
    ("restore_one", "Single large-file restore, until on disk", "on_disk_seconds", 1.0),
    ("*", "Engine peak RSS (max over steps)", "peak_rss_kib", 1.0),
    # Not judged: restic exits with what it restored still in the page cache (see run.py).
    ("restore_all", "Full restore, until the command exits", "seconds", None),
    ("restore_one", "Single large-file restore, until the command exits", "seconds", None),
    ("initial", "Bytes added by the initial backup", "bytes_added", None),
    ("nochange", "Bytes added by the no-change backup", "bytes_added", None),
]


@dataclass
class Row:
    step: str
    metric: str
    keepsake: float | None
    restic: float | None
    ratio: float | None
    target: float | None
    passed: bool | None


def _value(results: Results, step: str, tool: str, metric: str) -> float | None:
    if step == "*":
        values = [getattr(r[tool], metric) for r in results.values() if tool in r]
        return float(max(values)) if values else None
    result = results.get(step, {}).get(tool)
    value = getattr(result, metric) if result is not None else None
    return None if value is None else float(value)


def build_rows(results: Results, service_peak_kib: int | None = None) -> list[Row]:
    rows = []
    for step, label, metric, target in ROWS:
        ours = _value(results, step, "keepsake", metric)
        theirs = _value(results, step, "restic", metric)
        ratio = ours / theirs if ours is not None and theirs else None
        if metric == "bytes_added" and (theirs or 0) < 64 * 1024:
            ratio = None  # a few hundred bytes of snapshot record: a ratio would mean nothing
        passed = None if target is None or ratio is None else ratio <= target
        rows.append(Row(label, metric, ours, theirs, ratio, target, passed))
    if service_peak_kib:
        rows.append(
            Row(
                "Keepsake service peak RSS",
                "peak_rss_kib",
                float(service_peak_kib),
                None,
                None,
                None,
                None,
            )
        )
    return rows


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric in ("seconds", "on_disk_seconds"):
        return f"{value:.2f} s"
    if metric == "peak_rss_kib":
        return f"{value / 1024:.0f} MiB"
    if abs(value) >= 1024 * 1024:
        return f"{value / (1024 * 1024):.1f} MiB"
    return f"{value / 1024:.0f} KiB"


def markdown(rows: list[Row]) -> str:
    lines = [
        "| step | keepsake | restic | ratio | target | pass |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        target = "—" if r.target is None else f"≤ {r.target:.1f}×"
        passed = "—" if r.passed is None else ("yes" if r.passed else "**no**")
        lines.append(
            f"| {r.step} | {_fmt(r.keepsake, r.metric)} | {_fmt(r.restic, r.metric)} "
            f"| {ratio} | {target} | {passed} |"
        )
    return "\n".join(lines)


def as_json(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]
