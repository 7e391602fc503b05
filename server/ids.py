"""Validation and generation of the 128-bit hex ids that appear in API paths and records."""

from __future__ import annotations

import re
import secrets

_HEX32 = re.compile(r"[0-9a-f]{32}")


def is_id(value: str) -> bool:
    """Exactly 32 lowercase hex characters; case variants are different (invalid) ids."""
    return _HEX32.fullmatch(value) is not None


def new_id() -> str:
    """A random 128-bit id for service-side records (accounts, devices)."""
    return secrets.token_hex(16)
