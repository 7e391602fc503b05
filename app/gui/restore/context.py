"""What the restore pages share: the open session, the chosen snapshot, the selection, the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.controller import RestoreItem, RestoreOutcome, RestoreSession, Snapshot
from app.gui.bridge import Bridge

WHEN, WHAT, WHERE, PROGRESS, DONE = range(5)

OVERWRITE, KEEP_BOTH, SKIP = "overwrite", "keep-both", "skip"


@dataclass
class RestoreJob:
    session: RestoreSession
    bridge: Bridge
    retention_days: int = 30
    snapshots: list[Snapshot] = field(default_factory=list)
    snapshot: Snapshot | None = None
    items: list[RestoreItem] = field(default_factory=list)
    target: Path | None = None  # None: the original place
    conflict: str = KEEP_BOTH
    select_all: bool = False  # the new-PC "restore everything" offer
    outcome: RestoreOutcome | None = None
