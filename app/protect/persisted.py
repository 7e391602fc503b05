"""What the protector remembers across restarts: last full scan and success, pause, lock.

Kept in `protection.json` in the profile, replaced atomically. Losing it is harmless (a full scan
runs at start-up anyway, and a lock is found again on the first upload), so a damaged file is
logged and ignored rather than stopping protection.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE_NAME = "protection.json"


@dataclass
class Remembered:
    last_full_scan: datetime | None = None
    last_success: datetime | None = None
    last_snapshot_id: str | None = None
    paused: bool = False
    paused_until: datetime | None = None
    locked_reason: str | None = None
    locked_since: str | None = None
    defaults_offered: bool = False  # the first run chose Documents and Pictures once


_TIMES = {"last_full_scan", "last_success", "paused_until"}


def load(home: Path) -> Remembered:
    path = home / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        known = {f.name for f in fields(Remembered)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                continue
            if key in _TIMES and value is not None:
                value = datetime.fromisoformat(value)
            values[key] = value
        return Remembered(**values)
    except FileNotFoundError:
        return Remembered()
    except (OSError, ValueError, TypeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return Remembered()


def save(home: Path, remembered: Remembered) -> None:
    data = {
        k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(remembered).items()
    }
    fd, tmp = tempfile.mkstemp(prefix=".protection-", dir=home)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
        os.replace(tmp, home / FILE_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
