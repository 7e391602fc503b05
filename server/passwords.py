"""Which passwords the service accepts: long enough, not too long, and not a common one.

No composition rules (a digit, a capital...): they push people to `Password1!`, which every
cracking list tries first (NIST SP 800-63B). Length and a list of passwords seen in breaches do
the real work. The list ships as a data file, read once.
"""

from __future__ import annotations

import functools
from pathlib import Path

from server.errors import BadRequest

MIN_LENGTH = 8
MAX_LENGTH = 1024  # Argon2 takes any length; this only bounds the work one request can ask for
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Case-insensitive, and ignoring surrounding spaces: `Password1 ` is as weak as `password1`."""
    return password.strip().casefold() in common_passwords()


def check_password(password: str) -> None:
    """Raise a 400 with one sentence when the password may not be used."""
    if len(password) < MIN_LENGTH:
        raise BadRequest(f"the password must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        raise BadRequest(f"the password may be at most {MAX_LENGTH} characters long")
    if is_common(password):
        raise BadRequest(
            "that password is one of the most commonly used ones and easy to guess; "
            "choose another (a few unrelated words make a good one)"
        )
