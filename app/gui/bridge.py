"""The one object that crosses threads: runs controller calls on a worker pool and brings their
results, the engine's progress and the protection state back to the UI thread as queued signals.

Nothing else in `app.gui` starts a thread or receives a callback from one. Views hand `run()` a
blocking controller call plus what to do with its result; the call runs on a `QThreadPool` worker
and the result arrives on the UI thread through a queued connection, so the UI thread never waits
on disk or network. Floods are coalesced: however often the engine reports progress, at most one
delivery per channel is queued at a time, and the UI picks up the newest value when it gets to it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app.core.progress import Progress

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


@dataclass
class _Pending:
    on_done: OnDone | None
    on_error: OnError | None
    owner: QObject | None


class _Job(QRunnable):
    """Runs one blocking call on a pool thread and reports back through the bridge's signal."""

    def __init__(self, bridge: Bridge, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._bridge = bridge
        self._job_id = job_id
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # every failure must reach the UI, as a sentence
            self._report(False, exc)
        else:
            self._report(True, result)

    def _report(self, ok: bool, value: object) -> None:
        try:
            self._bridge._relay.finished.emit(self._job_id, ok, value)
        except RuntimeError:  # the window (and its relay) went away while the call ran
            log.debug("a finished call had nobody left to report to")


class ChannelEvents:
    """An engine `Events` sink for one channel ("restore", "backup"): thread-safe and coalescing.

    The engine calls it on its own threads; it keeps the newest progress and the problems seen,
    and asks the bridge to deliver only when no delivery for this channel is already queued.
    """

    def __init__(self, bridge: Bridge, channel: str) -> None:
        self._bridge = bridge
        self.channel = channel
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._problems: list[tuple[str, str]] = []
        self._queued = False

    def progress(self, p: Progress) -> None:
        with self._lock:
            self._latest = p
            if self._queued:
                return
            self._queued = True
        self._bridge._relay.channel_ready.emit(self)

    def problem(self, path: str, reason: str) -> None:
        with self._lock:
            self._problems.append((path, reason))
            if self._queued:
                return
            self._queued = True
        self._bridge._relay.channel_ready.emit(self)

    def take(self) -> tuple[Progress | None, list[tuple[str, str]]]:
        with self._lock:
            latest, problems = self._latest, self._problems
            self._latest, self._problems, self._queued = None, [], False
        return latest, problems


class _Relay(QObject):
    """Carries worker-thread emits to the bridge. It has no Qt parent, so Qt never deletes it: a
    late report from an engine thread after the bridge was destroyed (a window or test torn down
    while protection still runs) emits into a dropped connection instead of a dead object."""

    finished = Signal(int, bool, object)
    channel_ready = Signal(object)
    state_ready = Signal()


class Bridge(QObject):
    """Worker pool + queued signals. Lives on the UI thread; safe to call `run()` from it."""

    # Public signals, always delivered on the UI thread.
    progress = Signal(str, object)  # channel, Progress
    problem = Signal(str, str, str)  # channel, path, reason
    state_changed = Signal(object)  # the newest ProtectionState
    busy_changed = Signal(bool)  # any controller call running

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool(self)
        if pool is None:
            # Browsing stays responsive while a restore and an account refresh run.
            self._pool.setMaxThreadCount(4)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._state_lock = threading.Lock()
        self._state: Any = None
        self._state_queued = False
        # Emitted on worker threads; the queued connections die with the bridge.
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.finished.connect(self._deliver, queued)
        self._relay.channel_ready.connect(self._deliver_channel, queued)
        self._relay.state_ready.connect(self._deliver_state, queued)

    # -- calls -----------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        owner: QObject | None = None,
    ) -> int:
        """Run `fn()` on a worker; call `on_done(result)` or `on_error(exc)` on the UI thread.

        When `owner` is given and has been deleted by the time the answer comes (a window closed
        while its call was running), the answer is dropped instead of touching a dead widget.
        """
        job_id = next(self._ids)
        self._pending[job_id] = _Pending(on_done, on_error, owner)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(self, job_id, fn))
        return job_id

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until every worker finished; only for shutdown and tests, never in a view."""
        return bool(self._pool.waitForDone(msecs))

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: object) -> None:
        pending = self._pending.pop(job_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if pending is None:
            return
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return
        if ok:
            if pending.on_done is not None:
                pending.on_done(value)
            return
        assert isinstance(value, BaseException)
        if pending.on_error is not None:
            pending.on_error(value)
        else:
            log.error("background call failed: %s", value, exc_info=value)

    # -- engine events ---------------------------------------------------------------------------

    def events(self, channel: str) -> ChannelEvents:
        """An `Events` sink to hand the engine; its reports arrive as `progress`/`problem`."""
        return ChannelEvents(self, channel)

    @Slot(object)
    def _deliver_channel(self, sink: ChannelEvents) -> None:
        latest, problems = sink.take()
        for path, reason in problems:
            self.problem.emit(sink.channel, path, reason)
        if latest is not None:
            self.progress.emit(sink.channel, latest)

    # -- protection state ------------------------------------------------------------------------

    def publish_state(self, state: object) -> None:
        """Thread-safe: hand in a new protection state from any thread (a StateModel callback)."""
        with self._state_lock:
            self._state = state
            if self._state_queued:
                return
            self._state_queued = True
        self._relay.state_ready.emit()

    @Slot()
    def _deliver_state(self) -> None:
        with self._state_lock:
            state, self._state_queued = self._state, False
        self.state_changed.emit(state)
