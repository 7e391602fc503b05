"""`keepsake agent`: continuous protection without a window, until SIGINT or SIGTERM.

Prints one line per change of what it is doing and per snapshot saved, so a service manager's log
tells the story. Settings changed while it runs (`keepsake folders add`) are applied at once. A signal stops it cleanly: the run in progress is cancelled at a safe point, the
pack being uploaded is discarded, the index stays consistent, and the next start continues.
`--once` runs a single full backup and exits.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import Any

from app.commands.io import human_bytes, say
from app.core.errors import KeepsakeError
from app.profile import Profile
from app.protect.protector import Protector
from app.protect.state import Phase, ProtectionState


class _Printer:
    """Turns state changes into log lines; runs on the state model's delivery thread."""

    def __init__(self, last_snapshot: str | None) -> None:
        self._phase: Phase | None = None
        self._message = ""
        self._snapshot = last_snapshot
        self._problems: tuple[tuple[str, str], ...] = ()

    def __call__(self, state: ProtectionState) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if state.last_snapshot_id != self._snapshot:
            print(f"{stamp} snapshot {state.last_snapshot_id} saved", flush=True)
        self._snapshot = state.last_snapshot_id
        quiet = state.phase in (Phase.SCANNING, Phase.UPLOADING) and state.phase == self._phase
        if not quiet and (state.phase, state.message) != (self._phase, self._message):
            print(f"{stamp} {state.phase}: {state.message}", flush=True)
        self._phase, self._message = state.phase, state.message
        problems = tuple((p.path, p.reason) for p in state.problems)
        if problems != self._problems:
            for path, reason in problems:
                if (path, reason) not in self._problems:
                    print(f"{stamp} problem: {path}: {reason}", flush=True)
            for path, _ in self._problems:
                if path not in {p for p, _ in problems}:
                    print(f"{stamp} resolved: {path}", flush=True)
            self._problems = problems


def _on_signals(handler: Callable[[], None]) -> Callable[[], None]:
    """Route SIGINT and SIGTERM to `handler`; returns a function that restores the old ones."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        handler()

    previous: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, on_signal)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def _settings_stamp(profile: Profile) -> int | None:
    try:
        return profile.settings_path.stat().st_mtime_ns
    except OSError:
        return None


def cmd_agent(profile: Profile, args: argparse.Namespace) -> int:
    protector = Protector(profile, first_run_defaults=True)
    if args.once and not profile.load().folders:
        raise KeepsakeError("no folders are protected yet: add one with `keepsake folders add`")
    if args.once:
        restore = _on_signals(lambda: protector.stop(timeout=0))
        try:
            report = protector.run_once()
        finally:
            restore()
        say(
            f"Snapshot {(report.snapshot_id or '')[:8]} saved: {report.files_new} new, "
            f"{report.files_changed} changed, {report.files_unmodified} unchanged files; "
            f"{human_bytes(report.bytes_added)} uploaded."
        )
        for path, reason in report.excluded:
            say(f"  excluded {path}: {reason}")
        for problem in report.unreadable:
            say(f"  not backed up {problem.path}: {problem.reason}")
        return 0

    stop = threading.Event()
    restore = _on_signals(stop.set)
    unsubscribe = protector.state.subscribe(_Printer(protector.state.get().last_snapshot_id))
    try:
        protector.start()
        folders = profile.load().folders
        if folders:
            print("Protecting " + ", ".join(folders), flush=True)
        else:  # it keeps running: a folder added with `keepsake folders add` is picked up
            print(
                "No folders are protected yet: add one with `keepsake folders add PATH`; "
                "protection starts as soon as it is added.",
                flush=True,
            )
        stamp = _settings_stamp(profile)
        while not stop.wait(0.5):
            # `keepsake folders add` and friends edit the settings while the agent runs.
            if (now := _settings_stamp(profile)) != stamp:
                stamp = now
                protector.reload_settings()
        print("Stopping…", file=sys.stderr, flush=True)
    finally:
        protector.stop()
        unsubscribe()
        restore()
    return 0
