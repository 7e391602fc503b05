"""Retrying: try a storage call again after a transient failure, with capped jittered backoff.

Only `Retryable` errors are retried; a `Permanent` one (bad request, missing object, locked
subscription) comes straight back, because trying again cannot change the answer.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.core.errors import Retryable
from app.storage.backend import Backend, Body, Ranges

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """At most `max_attempts` tries; the wait before try k+1 is about base * factor**(k-1)."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    factor: float = 2.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.factor < 1:
            raise ValueError("delays must be non-negative and the factor at least 1")

    @classmethod
    def default(cls) -> RetryPolicy:
        return cls()

    @classmethod
    def never(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Wait after failed try number `attempt` (from 1): half fixed, half random.

        The random half spreads out clients that failed together (a service restart), the
        fixed half keeps a floor so a retry storm cannot hammer the service.
        """
        ceiling = min(self.max_delay, self.base_delay * self.factor ** (attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


def retry_call(
    fn: Callable[[], T],
    policy: RetryPolicy,
    *,
    what: str,
    retry_on: type[BaseException] | tuple[type[BaseException], ...] = Retryable,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Call `fn` until it succeeds, raises something other than `retry_on`, or tries run out.

    A `retry_after` attribute on the error (seconds, from the service) lengthens the wait.
    """
    rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
    attempt = 1
    while True:
        try:
            return fn()
        except retry_on as err:
            if attempt >= policy.max_attempts:
                raise
            wait = policy.delay(attempt, rng)
            hint = getattr(err, "retry_after", None)
            if isinstance(hint, int | float) and hint > wait:
                wait = min(float(hint), policy.max_delay)
            log.info("%s failed (%s); try %d in %.1f s", what, err, attempt + 1, wait)
            sleep(wait)
            attempt += 1


class Retrying:
    """A Backend wrapper that retries every call on Retryable errors."""

    def __init__(
        self,
        backend: Backend,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._backend = backend
        self._policy = policy or RetryPolicy.default()
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not a secret

    def _call(self, fn: Callable[[], T], what: str) -> T:
        return retry_call(fn, self._policy, what=what, sleep=self._sleep, rng=self._rng)

    def put(self, name: str, data: bytes | Body) -> None:
        # A Body can be iterated again from the start, so every try sends the whole object.
        self._call(lambda: self._backend.put(name, data), f"put {name}")

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        return self._call(lambda: self._backend.get(name, start, length), f"get {name}")

    def get_ranges(self, ranges: Ranges) -> bytes:
        return self._call(lambda: self._backend.get_ranges(ranges), f"get {len(ranges)} ranges")

    def size(self, name: str) -> int | None:
        return self._call(lambda: self._backend.size(name), f"size {name}")

    def list(self, prefix: str = "") -> dict[str, int]:
        return self._call(lambda: self._backend.list(prefix), f"list {prefix!r}")

    def delete(self, name: str) -> None:
        self._call(lambda: self._backend.delete(name), f"delete {name}")
