"""Turns a stream of file-system events into settled batches of changed folders.

A path is settled once no event touched it for `quiet` seconds and its size and modification
time still match what they were at its last event (this catches writes that send no event, such
as through a memory map). A file saved fifty times in a burst therefore yields one batch, after
the burst. A path that never settles is taken anyway after `max_wait` (the engine's
stat-before-and-after check keeps a file changing under it from being stored as a mix); a *new*
file that is still being written (a large copy) is held back much longer, `max_wait_new`, and is
left out of runs meanwhile (`held`), so it is not read half-way.

Pure: times are monotonic seconds passed in; the file probe is injected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# What a file looked like at an event: (size, mtime_ns); None for a folder or a vanished path.
Signature = tuple[int, int] | None
Probe = Callable[[Path], Signature]


@dataclass(frozen=True)
class DebouncePolicy:
    quiet: float = 0.4
    max_wait: float = 300.0
    max_wait_new: float = 3600.0


@dataclass(frozen=True)
class Batch:
    """Folders whose entries changed (`dirs`) and folders to read whole (`trees`: new or moved)."""

    dirs: frozenset[Path]
    trees: frozenset[Path]
    paths: frozenset[Path]

    def __bool__(self) -> bool:
        return bool(self.dirs or self.trees)


@dataclass
class _Pending:
    first: float
    last: float
    new: bool
    sig: Signature
    dirs: set[Path] = field(default_factory=set)
    trees: set[Path] = field(default_factory=set)


class Debouncer:
    """Not thread-safe: the protector calls it under its own lock."""

    def __init__(self, policy: DebouncePolicy | None = None) -> None:
        self.policy = policy or DebouncePolicy()
        self._pending: dict[Path, _Pending] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def note(
        self,
        path: Path,
        mono: float,
        *,
        dirs: Iterable[Path] = (),
        trees: Iterable[Path] = (),
        new: bool = False,
        sig: Signature = None,
    ) -> None:
        """Record an event on `path` at monotonic time `mono`."""
        entry = self._pending.get(path)
        if entry is None:
            entry = self._pending[path] = _Pending(first=mono, last=mono, new=new, sig=sig)
        else:
            entry.last = max(entry.last, mono)
            entry.new = entry.new or new
            entry.sig = sig
        entry.dirs.update(dirs)
        entry.trees.update(trees)

    def take_ready(self, mono: float, probe: Probe) -> Batch:
        """Remove and return everything that has settled (or waited long enough)."""
        ready: list[Path] = []
        for path, entry in self._pending.items():
            limit = self.policy.max_wait_new if entry.new else self.policy.max_wait
            if mono - entry.first >= limit:
                ready.append(path)
            elif mono - entry.last >= self.policy.quiet:
                now_sig = probe(path)
                if now_sig == entry.sig:
                    ready.append(path)
                else:  # changed without telling us: treat it as a fresh event
                    entry.sig, entry.last = now_sig, mono
        dirs: set[Path] = set()
        trees: set[Path] = set()
        for path in ready:
            entry = self._pending.pop(path)
            dirs |= entry.dirs
            trees |= entry.trees
        return Batch(frozenset(dirs), frozenset(trees), frozenset(ready))

    def next_deadline(self) -> float | None:
        """The monotonic time at which `take_ready` may next return something."""
        deadlines = [
            min(
                e.last + self.policy.quiet,
                e.first + (self.policy.max_wait_new if e.new else self.policy.max_wait),
            )
            for e in self._pending.values()
        ]
        return min(deadlines) if deadlines else None

    def held(self) -> frozenset[Path]:
        """New files still being written: a run leaves them out until they settle."""
        return frozenset(p for p, e in self._pending.items() if e.new and e.sig is not None)

    def clear(self) -> None:
        """Forget everything (a full scan is about to cover it)."""
        self._pending.clear()
