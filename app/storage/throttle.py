"""Throttled: an upload bandwidth limit, enforced piece by piece as bytes go out.

A token bucket meters the pieces of every upload's Body, so the limit holds on the wire rather
than per object, and it is shared by all concurrent uploads through the same bucket. The limit
can change at any time (the person moves a slider); 0 or None means unlimited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.storage.backend import DEFAULT_PIECE, Backend, Body, Ranges, as_body

# The bucket holds at most this much time's worth of bytes: it absorbs sleep overshoot (coarse
# timers on Windows) without letting a burst exceed a few percent of a 10 s window.
BURST_SECONDS = 0.25
# Each piece is about this long on the wire at the limit, so the rate looks smooth.
PIECE_SECONDS = 0.05
MIN_PIECE = 1024


class TokenBucket:
    """Bytes per second with a small burst; callers that overdraw sleep off their debt."""

    def __init__(
        self,
        bytes_per_second: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._rate: float | None = None
        self._tokens = 0.0
        self._last = clock()
        self.rate = bytes_per_second

    @property
    def rate(self) -> float | None:
        return self._rate

    @rate.setter
    def rate(self, bytes_per_second: float | None) -> None:
        if bytes_per_second is not None and bytes_per_second < 0:
            raise ValueError("a bandwidth limit cannot be negative")
        new = float(bytes_per_second) if bytes_per_second else None
        with self._lock:
            self._refill(self._clock())
            was_unlimited = self._rate is None
            self._rate = new
            if new is not None:
                capacity = new * BURST_SECONDS
                self._tokens = capacity if was_unlimited else min(self._tokens, capacity)

    def piece_size(self) -> int:
        """A piece that takes about PIECE_SECONDS at the current limit."""
        rate = self._rate
        if rate is None:
            return DEFAULT_PIECE
        return max(MIN_PIECE, min(DEFAULT_PIECE, int(rate * PIECE_SECONDS)))

    def take(self, n: int) -> None:
        """Spend n bytes, sleeping as long as the bucket is in debt afterwards."""
        with self._lock:
            rate = self._rate
            if rate is None:
                return
            self._refill(self._clock())
            self._tokens -= n
            wait = -self._tokens / rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)

    def _refill(self, now: float) -> None:
        if self._rate is not None:
            capacity = self._rate * BURST_SECONDS
            self._tokens = min(capacity, self._tokens + (now - self._last) * self._rate)
        self._last = now


class Throttled:
    """A Backend wrapper that limits upload bandwidth; reads pass straight through."""

    def __init__(
        self,
        backend: Backend,
        bytes_per_second: float | None = None,
        *,
        bucket: TokenBucket | None = None,
    ) -> None:
        """Pass a shared `bucket` to make several backends share one limit."""
        self._backend = backend
        self._bucket = bucket or TokenBucket(bytes_per_second)
        if bucket is not None and bytes_per_second is not None:
            bucket.rate = bytes_per_second

    @property
    def limit(self) -> float | None:
        return self._bucket.rate

    @limit.setter
    def limit(self, bytes_per_second: float | None) -> None:
        self._bucket.rate = bytes_per_second

    @property
    def bucket(self) -> TokenBucket:
        return self._bucket

    def put(self, name: str, data: bytes | Body) -> None:
        # Gate even when unlimited, so a limit set during a long upload applies to its rest.
        body = as_body(data).gated(self._bucket.take, piece=self._bucket.piece_size())
        self._backend.put(name, body)

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        return self._backend.get(name, start, length)

    def get_ranges(self, ranges: Ranges) -> bytes:
        return self._backend.get_ranges(ranges)

    def size(self, name: str) -> int | None:
        return self._backend.size(name)

    def list(self, prefix: str = "") -> dict[str, int]:
        return self._backend.list(prefix)

    def delete(self, name: str) -> None:
        self._backend.delete(name)
