"""How commands talk to a person or a script: secrets from a TTY or stdin, JSON or plain text."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterable
from typing import Any

from app.core.errors import KeepsakeError


class InputError(KeepsakeError):
    """A required answer (password, passphrase) was not given."""


def read_secret(prompt: str, *, confirm: bool = False, allow_empty: bool = False) -> str:
    """Ask on the terminal; when stdin is not a terminal, read one line from it (never argv)."""
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin is not None else ""
        value = line.rstrip("\r\n")
    else:
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat to confirm: ") != value:
            raise InputError("the two entries did not match")
    if not value and not allow_empty:
        raise InputError(f"no answer given for: {prompt.strip().rstrip(':')}")
    return value


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")


def say(text: str = "") -> None:
    print(text)


def table(rows: Iterable[Iterable[Any]], headers: list[str]) -> None:
    rows = [[str(c) for c in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, r, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip())
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip())


def human_bytes(n: int | float | None) -> str:
    if n is None:
        return "unlimited"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"
