"""The per-client sign-up limit: each sign-up attempt that passed validation is counted against
its client address (with no email), and one over the limit is refused with 429 before the slow
password hash runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from server.db.engine import Database
from server.db.models import SignUp
from server.errors import RateLimited
from server.policy import logins, signups


def admit(db: Database, client: str | None, now: datetime) -> None:
    """Count this attempt, or refuse it with when to retry. An unknown client is not limited
    (there is nothing to count it by); the per-address limit is the only one sign-ups have."""
    if client is None:
        return
    limit = signups.CLIENT_LIMIT
    with db.write() as session:
        recent = session.scalars(
            select(SignUp.time)
            .where(SignUp.client == client, SignUp.time > now - limit.window)
            .order_by(SignUp.time.desc())
            .limit(limit.max_failures)
        )
        until = logins.locked_until(list(recent), now, limit)
        if until is not None:
            raise RateLimited(
                f"too many sign-ups from this network address; try again after {until:%H:%M} UTC",
                retry_after=logins.retry_after_seconds(until, now),
            )
        session.add(SignUp(client=client, time=now))
