"""Runs one backup for the protector and says how it ended, in the planner's terms.

It owns the connection (opened on first use, dropped after a failure so the next run starts
clean), puts the bandwidth limit on the wire, passes the engine the folders that changed when the
engine can use them, and turns exceptions into outcomes: cancelled, offline, locked or failed.
Files being written right now are held back through the exclusion callback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.connect import Connection
from app.core.backup import BackupResult, backup
from app.core.errors import KeepsakeError, Retryable, SubscriptionLocked
from app.core.progress import Cancelled, CancelToken, Events
from app.profile import Profile
from app.protect.planner import OutcomeKind, RunRequest
from app.storage.backend import Backend, Body, Ranges, as_body
from app.storage.throttle import Throttled, TokenBucket

log = logging.getLogger(__name__)

HELD = "still being written; backed up once it settles"

ExcludeFn = Callable[[Path, os.stat_result], str | None]


@dataclass(frozen=True)
class Ran:
    kind: OutcomeKind
    result: BackupResult | None = None
    error: KeepsakeError | None = None
    incremental: bool = False  # the engine only looked at the request's folders


def hold_back(exclude: ExcludeFn, held: Collection[Path]) -> ExcludeFn:
    """`exclude`, plus new files that are still being written."""
    if not held:
        return exclude
    held_set = frozenset(os.path.normpath(os.fspath(p)) for p in held)

    def combined(path: Path, st: os.stat_result) -> str | None:
        if os.path.normpath(os.fspath(path)) in held_set:
            return HELD
        return exclude(path, st)

    return combined


def retry_unreadable(
    problems: Sequence[tuple[str, str]], folders: Sequence[str]
) -> RunRequest | None:
    """A later run over the folders of files that could not be read (a chosen folder that is
    missing is not retried this way: it is scanned when it comes back)."""
    roots = {os.path.normpath(f) for f in folders}
    paths = [Path(p) for p, _ in problems if os.path.normpath(p) not in roots]
    if not paths:
        return None
    dirs = frozenset({p.parent for p in paths} | set(paths))
    return RunRequest.changes(dirs, frozenset(), "retry unreadable")


class Runner:
    """Used by one thread at a time (the protector's loop, or `run_once`)."""

    def __init__(
        self,
        profile: Profile,
        open_connection: Callable[[Profile], Connection],
        bucket: TokenBucket,
    ) -> None:
        self._profile = profile
        self._open = open_connection
        self._bucket = bucket
        self._conn: Connection | None = None
        self._abortable: _Abortable | None = None

    def run(
        self,
        request: RunRequest,
        folders: Sequence[Path],
        *,
        exclude: ExcludeFn,
        events: Events,
        cancel: CancelToken,
        threads: int = 2,
    ) -> Ran:
        try:
            conn = self._connection()
            if self._abortable is not None:
                self._abortable.token = cancel
            result = backup(
                conn.repo,
                folders,
                events=events,
                cancel=cancel,
                exclude=exclude,
                threads=threads,
                changed_dirs=None if request.full else request.dirs,
                changed_trees=() if request.full else request.trees,
            )
            # The engine may have fallen back to a full scan: then the whole report is new.
            return Ran(OutcomeKind.DONE, result, incremental=result.incremental)
        except Cancelled:
            return Ran(OutcomeKind.CANCELLED)
        except SubscriptionLocked as exc:
            self.close()
            return Ran(OutcomeKind.LOCKED, error=exc)
        except Retryable as exc:
            self.close()
            return Ran(OutcomeKind.OFFLINE, error=exc)
        except KeepsakeError as exc:
            self.close()
            return Ran(OutcomeKind.FAILED, error=exc)
        except OSError as exc:  # the profile's own files (index, keys): say which and why
            self.close()
            where = f" ({exc.filename})" if exc.filename else ""
            return Ran(OutcomeKind.FAILED, error=_caused(f"{exc.strerror or exc}{where}", exc))
        except Exception as exc:
            log.exception("backup run failed unexpectedly")
            self.close()
            return Ran(OutcomeKind.FAILED, error=_caused(f"unexpected error: {exc}", exc))

    def account_state(self) -> str | None:
        """The subscription state the service reports ("active", "overdue", "ended")."""
        state = self._connection().client.account_status().get("state")
        return state if isinstance(state, str) else None

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self._open(self._profile)
            self._abortable = _wrap_uploads(conn, self._bucket)
            self._conn = conn
        return self._conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                log.exception("closing the connection failed")


class _Abortable:
    """A Backend wrapper whose uploads stop mid-pack when the current run is cancelled, so a
    pause or a stop does not wait for a whole pack to crawl through a low bandwidth limit. The
    engine then discards that pack; packs already uploaded are kept for the next run."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.token: CancelToken | None = None

    def _gate(self, n: int) -> None:
        token = self.token
        if token is not None and token.cancelled:
            raise Cancelled()

    def put(self, name: str, data: bytes | Body) -> None:
        self.inner.put(name, as_body(data).gated(self._gate))

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        return self.inner.get(name, start, length)

    def get_ranges(self, ranges: Ranges) -> bytes:
        return self.inner.get_ranges(ranges)

    def size(self, name: str) -> int | None:
        return self.inner.size(name)

    def list(self, prefix: str = "") -> dict[str, int]:
        return self.inner.list(prefix)

    def delete(self, name: str) -> None:
        self.inner.delete(name)


def _wrap_uploads(conn: Connection, bucket: TokenBucket) -> _Abortable | None:
    """Meter the set's pack uploads through the shared bucket (the limit can change any time)
    and make them abortable.

    The set store keeps its packs Backend in a public `packs` attribute precisely so wrappers
    can sit in between; a store without one (a test double) is left as it is.
    """
    store = conn.repo.packs
    inner = getattr(store, "packs", None)
    if inner is None or not callable(getattr(inner, "put", None)):
        log.warning("this storage cannot be throttled; uploads are not limited")
        return None
    abortable = _Abortable(Throttled(inner, bucket=bucket))
    store.packs = abortable  # type: ignore[attr-defined]
    return abortable


def _caused(message: str, cause: BaseException) -> KeepsakeError:
    """A failure the protector reports in its own words, keeping the original (the app words an
    OS error in the person's language from it)."""
    error = KeepsakeError(message)
    error.__cause__ = cause.with_traceback(None)  # kept for long: not with the run's frames
    return error
