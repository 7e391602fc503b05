"""The per-client limit on sign-ups: at most 20 accounts started from one client address (an
IPv6 client's /64) within an hour.

Sign-ups are rare for a person (a household signs up once or twice, ever), so the limit sits far
above honest use, even for a shared office or carrier-grade NAT address, and still stops one
machine from minting free accounts by the thousand, probing which emails have accounts, or
burning the service's CPU on password hashing. Like the sign-in lockouts it is soft: it ends by
itself as attempts leave the window, and refused attempts are not counted.
"""

from __future__ import annotations

from datetime import timedelta

from .logins import Limit

CLIENT_LIMIT = Limit(max_failures=20, window=timedelta(hours=1))  # here: sign-ups, not failures
