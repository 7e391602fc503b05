"""Password hashing (Argon2id) and device tokens (256-bit random, stored only as SHA-256)."""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Argon2id with RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes. OWASP's password storage
# guidance asks for at least 19 MiB with 2 passes (or 46 MiB with 1); this is above both and costs
# about 0.15 s of one core here, paid at sign-up and sign-in only (tokens are checked by a SHA-256
# lookup). Stated explicitly so a library upgrade cannot silently change it; hashes made with
# other parameters are upgraded at the next sign-in (`needs_rehash`).
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4
_HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)
# Each hash takes 64 MiB and a core for a moment: a burst of sign-ins queues here instead of
# exhausting memory (the request threads would otherwise all hash at once).
_HASHING = threading.BoundedSemaphore(4)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a failed login costs the same either way."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    with _HASHING:
        return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-cost check; a missing hash (unknown account) still pays for one verification."""
    against = password_hash or _dummy_hash()
    try:
        with _HASHING:
            matched = _HASHER.verify(against, password)
        return matched and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def new_token() -> str:
    """A device token: 256 random bits, url-safe base64. Shown once, never stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps: a token of 256 random bits needs no salt or slow hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
