"""The optional native module (`native/`, Rust): per-file work without the interpreter lock.

Built by `make` where a Rust toolchain and the crates it needs are at hand; everywhere else the
engine runs its pure-Python path, which writes the same format. `KEEPSAKE_NATIVE=0` turns the
module off (tests run both paths); `KEEPSAKE_NATIVE=1` makes its absence an error, so a build
that was meant to include it cannot silently fall back.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def _load() -> ModuleType | None:
    wanted = os.environ.get("KEEPSAKE_NATIVE", "")
    if wanted == "0":
        return None
    try:
        return importlib.import_module("keepsake_native")
    except ImportError:
        if wanted == "1":
            raise
        return None


module: ModuleType | None = _load()
