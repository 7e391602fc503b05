"""Retrying tries again after transient failures only, with growing jittered waits, and gives up."""

from __future__ import annotations

import random

import pytest

from app.core.errors import ObjectMissing, Permanent, Retryable
from app.storage.backend import Body
from app.storage.failing import Failing
from app.storage.http import ServiceUnavailable
from app.storage.memory import MemoryBackend
from app.storage.retry import Retrying, RetryPolicy, retry_call


def _wrapped(policy: RetryPolicy) -> tuple[Failing, Retrying, list[float]]:
    sleeps: list[float] = []
    failing = Failing(MemoryBackend())
    return failing, Retrying(failing, policy, sleep=sleeps.append, rng=random.Random(1)), sleeps


def test_transient_failures_are_retried_until_the_call_works() -> None:
    failing, store, sleeps = _wrapped(RetryPolicy(max_attempts=5))
    failing.fail("put", Retryable("connection reset"), times=2)
    store.put("obj", b"data")
    assert failing.count("put") == 3
    assert len(sleeps) == 2
    assert store.get("obj") == b"data"


def test_permanent_failures_are_not_retried() -> None:
    failing, store, sleeps = _wrapped(RetryPolicy(max_attempts=5))
    failing.fail("get", Permanent("bad request"), times=5)
    with pytest.raises(Permanent):
        store.get("obj")
    assert failing.count("get") == 1
    assert sleeps == []


def test_a_missing_object_is_reported_at_once() -> None:
    failing, store, sleeps = _wrapped(RetryPolicy(max_attempts=5))
    with pytest.raises(ObjectMissing):
        store.get("absent")
    assert failing.count("get") == 1 and sleeps == []


def test_retries_stop_at_max_attempts_and_the_last_error_comes_out() -> None:
    failing, store, sleeps = _wrapped(RetryPolicy(max_attempts=3))
    failing.fail("list", Retryable("still down"), times=10)
    with pytest.raises(Retryable, match="still down"):
        store.list()
    assert failing.count("list") == 3
    assert len(sleeps) == 2


def test_waits_grow_exponentially_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(max_attempts=8, base_delay=1.0, max_delay=5.0, factor=2.0)
    rng = random.Random(7)
    waits = [policy.delay(attempt, rng) for attempt in range(1, 8)]
    ceilings = [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert len({round(w, 6) for w in waits[3:]}) > 1  # jitter: capped waits still differ


def test_a_service_retry_after_hint_is_honoured_up_to_the_cap() -> None:
    sleeps: list[float] = []
    answers = iter([ServiceUnavailable(503, "busy", retry_after=4.0)])

    def call() -> str:
        for err in answers:
            raise err
        return "ok"

    policy = RetryPolicy(max_attempts=3, base_delay=0.1, max_delay=10.0)
    assert retry_call(call, policy, what="test", sleep=sleeps.append) == "ok"
    assert sleeps == [4.0]


def test_a_retried_upload_sends_the_whole_body_again() -> None:
    failing, store, _ = _wrapped(RetryPolicy(max_attempts=3))
    failing.fail("put", Retryable("dropped"), after=True)  # the first upload lands, answer lost
    data = bytes(range(256)) * 100
    store.put("obj", Body(data, piece=1000))
    assert store.get("obj") == data
    assert failing.count("put") == 2


def test_a_policy_needs_at_least_one_attempt() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    assert RetryPolicy.never().max_attempts == 1


def test_several_ranges_are_retried_together() -> None:
    failing, retrying, sleeps = _wrapped(RetryPolicy(max_attempts=3, base_delay=0.5))
    failing.put("a", b"0123456789")
    failing.put("b", b"abcdefghij")
    failing.fail("get", ServiceUnavailable(503, "busy"), skip=1)  # the second range, first try
    assert retrying.get_ranges([("a", 1, 2), ("b", 0, 3)]) == b"12abc"
    assert failing.count("get") == 4 and len(sleeps) == 1
