"""Storage quota: what fits, and when to warn before it is full."""

from __future__ import annotations

NEARLY_FULL = 0.9


def exceeds_quota(used: int, incoming: int, allowed: int | None) -> bool:
    return allowed is not None and used + incoming > allowed


def nearly_full(used: int, allowed: int | None) -> bool:
    return allowed is not None and allowed > 0 and used >= allowed * NEARLY_FULL
