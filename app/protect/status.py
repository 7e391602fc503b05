"""What the protector is doing between runs, as a phase and one plain sentence.

Pure: it reads the planner's state and how the last run ended, so every combination is checked
by a table of cases. The sentence is the engine-side detail the GUI shows next to its own
summary ("Paused until 14:00", "Offline — will retry in 30 s").
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from app.core.errors import KeepsakeError, SubscriptionLocked
from app.protect.planner import OutcomeKind, Planner
from app.protect.schedule import describe_until, describe_wait
from app.protect.state import Phase

LOCKED_FALLBACK = "Backups are locked by the subscription"


def between_runs(
    planner: Planner,
    last_kind: OutcomeKind | None,
    last_error: KeepsakeError | None,
    *,
    has_folders: bool,
    settling: bool,
    now: datetime,
    mono: float,
    tz: tzinfo | None,
) -> tuple[Phase, str]:
    if planner.paused:
        if planner.paused_until is None:
            return Phase.PAUSED, "Paused until you resume"
        return Phase.PAUSED, f"Paused until {describe_until(planner.paused_until, now, tz)}"
    if planner.blocked is not None:
        return Phase.PAUSED, f"Waiting to upload: {planner.blocked}"
    if planner.locked:
        if isinstance(last_error, SubscriptionLocked):
            return Phase.LOCKED, str(last_error)
        return Phase.LOCKED, LOCKED_FALLBACK
    if planner.retry_at is not None and last_kind in (OutcomeKind.OFFLINE, OutcomeKind.FAILED):
        wait = describe_wait(max(0.0, planner.retry_at - mono))
        if last_kind is OutcomeKind.OFFLINE:
            return Phase.OFFLINE, f"Offline — will retry in {wait}"
        return Phase.ERROR, f"{last_error or 'The backup failed'} — will retry in {wait}"
    if not has_folders:
        return Phase.IDLE, "No folders are chosen yet"
    if planner.pending is not None:
        return Phase.IDLE, "A backup is about to start"
    if settling:
        return Phase.IDLE, "Waiting for changes to settle"
    return Phase.IDLE, "Up to date"
