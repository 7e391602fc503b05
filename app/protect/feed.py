"""Turns the engine's progress callbacks into protection states, with an ETA.

Called on engine threads; it only computes a few numbers and hands a new state to the model,
whose listeners are notified on their own threads, so it never slows a backup down.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.progress import Progress
from app.protect.state import Phase, StateModel

# No estimate before this much of a run has passed: early rates are noise.
ETA_AFTER_SECONDS = 1.0


def estimate(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the average rate so far; None when there is nothing to go on."""
    if elapsed < ETA_AFTER_SECONDS or done <= 0 or total <= done:
        return None
    return (total - done) / (done / elapsed)


class StateFeed:
    """The engine's `Events` for one run, publishing into a `StateModel`."""

    def __init__(self, model: StateModel, monotonic: Callable[[], float]) -> None:
        self._model = model
        self._mono = monotonic
        self._started = monotonic()

    def progress(self, p: Progress) -> None:
        elapsed = self._mono() - self._started
        busy = p.phase in ("uploading", "committing") or p.bytes_done > 0
        phase = Phase.UPLOADING if busy else Phase.SCANNING
        eta = estimate(p.bytes_done, p.bytes_total, elapsed)
        if eta is None:
            eta = estimate(p.files_done, p.files_total, elapsed)
        if p.phase == "committing":
            message = "Saving the snapshot"
        elif busy:
            message = f"Backing up {p.files_done} of {max(p.files_total, p.files_done)} files"
        else:
            message = f"Looking for changes ({p.files_done} files checked)"
        self._model.update(
            phase=phase,
            current_file=p.current,
            files_done=p.files_done,
            files_total=p.files_total,
            bytes_done=p.bytes_done,
            bytes_total=p.bytes_total,
            eta_seconds=eta,
            message=message,
        )

    def problem(self, path: str, reason: str) -> None:
        """Problems are collected from the run's result; nothing to do while it runs."""
