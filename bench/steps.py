"""What the benchmark asks of each tool under test, and what one measured step reports.

Why a protocol: run.py drives Keepsake and restic through the same five calls, so the two
columns of the table are produced by identical orchestration and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass
class StepResult:
    """One tool's numbers for one step. `bytes_added` only for backups; `sync_seconds` only for
    restores: how long writing out what the tool left unwritten took once it exited."""

    seconds: float
    peak_rss_kib: int
    bytes_added: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    sync_seconds: float | None = None

    @property
    def on_disk_seconds(self) -> float | None:
        """From the start until everything restored is on disk (the command, then `sync`)."""
        return None if self.sync_seconds is None else self.seconds + self.sync_seconds


class Tool(Protocol):
    """A backup program driven by the benchmark, from an empty repository to restores."""

    name: str

    def setup(self) -> dict[str, Any]:
        """Creates the empty repository (and service, account, key); returns facts for the report."""
        ...

    def warm(self) -> None:
        """Runs a trivial command so the program's own files are cached after a cache drop."""
        ...

    def backup(self, step: str) -> StepResult: ...

    def restore_all(self, dest: Path, step: str) -> tuple[StepResult, Path]:
        """Restores the latest snapshot into empty `dest`; returns where the tree's root landed."""
        ...

    def restore_file(self, rel: str, dest: Path, step: str) -> tuple[StepResult, Path]:
        """Restores one file (path relative to the tree) into empty `dest`; returns its path."""
        ...

    def close(self) -> dict[str, Any]:
        """Stops anything still running; returns final facts (e.g. the service's peak RSS)."""
        ...
