"""Failing fails exactly the calls it was told to, before or after they take effect."""

from __future__ import annotations

import pytest

from app.core.errors import Permanent, Retryable
from app.storage.failing import Failing
from app.storage.memory import MemoryBackend


def test_fails_the_chosen_number_of_calls_then_passes_through() -> None:
    store = Failing(MemoryBackend())
    store.fail("put", Retryable("down"), times=2)
    for _ in range(2):
        with pytest.raises(Retryable):
            store.put("obj", b"x")
    store.put("obj", b"x")
    assert store.get("obj") == b"x"
    assert store.calls == [("put", "obj")] * 3 + [("get", "obj")]


def test_a_failure_before_the_call_stores_nothing_and_after_stores_it() -> None:
    inner = MemoryBackend()
    store = Failing(inner)
    store.fail("put", Retryable("lost"), name="before")
    store.fail("put", Retryable("lost"), name="after", after=True)
    for name in ("before", "after"):
        with pytest.raises(Retryable):
            store.put(name, b"x")
    assert inner.list() == {"after": 1}


def test_skip_lets_good_calls_through_first_and_name_filters() -> None:
    store = Failing(MemoryBackend())
    store.put("a", b"1")
    store.fail("get", lambda: Permanent("nope"), skip=1, name="a")
    assert store.get("a") == b"1"
    with pytest.raises(Permanent):
        store.get("a")
    assert store.get("a") == b"1"


def test_unknown_operations_are_refused() -> None:
    with pytest.raises(ValueError):
        Failing(MemoryBackend()).fail("rename", Retryable("x"))
