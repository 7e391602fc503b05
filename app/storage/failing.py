"""Failing: a Backend wrapper that fails chosen calls on purpose, to test fault handling."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from app.storage.backend import Backend, Body, Ranges, get_each

T = TypeVar("T")

OPS = ("put", "get", "size", "list", "delete")


@dataclass
class _Rule:
    op: str
    name: str | None
    error: BaseException | Callable[[], BaseException]
    times: int
    skip: int
    after: bool

    def matches(self, op: str, name: str) -> bool:
        return self.op == op and (self.name is None or self.name == name)

    def make_error(self) -> BaseException:
        return self.error if isinstance(self.error, BaseException) else self.error()


class Failing:
    """Passes calls through, except those a rule picks; every call is recorded in `calls`."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []

    def fail(
        self,
        op: str,
        error: BaseException | Callable[[], BaseException],
        *,
        times: int = 1,
        name: str | None = None,
        skip: int = 0,
        after: bool = False,
    ) -> None:
        """Make the next `times` matching calls (after `skip` good ones) raise `error`.

        With `after=True` the call reaches the wrapped backend first and only its answer is
        lost, like a connection that drops after the service stored an upload.
        """
        if op not in OPS:
            raise ValueError(f"unknown backend operation {op!r}")
        with self._lock:
            self._rules.append(_Rule(op, name, error, times, skip, after))

    def count(self, op: str) -> int:
        with self._lock:
            return sum(1 for call_op, _ in self.calls if call_op == op)

    def _pick(self, op: str, name: str) -> _Rule | None:
        with self._lock:
            self.calls.append((op, name))
            for rule in self._rules:
                if rule.times <= 0 or not rule.matches(op, name):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    return None
                rule.times -= 1
                return rule
        return None

    def _call(self, op: str, name: str, fn: Callable[[], T]) -> T:
        rule = self._pick(op, name)
        if rule is None:
            return fn()
        if rule.after:
            fn()
        raise rule.make_error()

    def put(self, name: str, data: bytes | Body) -> None:
        self._call("put", name, lambda: self._backend.put(name, data))

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        return self._call("get", name, lambda: self._backend.get(name, start, length))

    def get_ranges(self, ranges: Ranges) -> bytes:
        """One `get` per range, so rules and `calls` see each."""
        return get_each(self, ranges)

    def size(self, name: str) -> int | None:
        return self._call("size", name, lambda: self._backend.size(name))

    def list(self, prefix: str = "") -> dict[str, int]:
        return self._call("list", prefix, lambda: self._backend.list(prefix))

    def delete(self, name: str) -> None:
        self._call("delete", name, lambda: self._backend.delete(name))
