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

# What the engine calls; a module built from older sources (a stale build in a virtual
# environment) lacks some of them and is not used, rather than failing in the middle of a run.
FUNCTIONS = (
    "read_files",
    "list_folder",
    "list_ahead",
    "seal_many",
    "open_many",
    "write_files",
    "rename_many",
)
FORMAT_VERSION = 1  # the sealed-blob format the module must write (app.core.sealing.VERSION)


def _load() -> ModuleType | None:
    wanted = os.environ.get("KEEPSAKE_NATIVE", "")
    if wanted == "0":
        return None
    try:
        found = importlib.import_module("keepsake_native")
        missing = [name for name in FUNCTIONS if not hasattr(found, name)]
        if missing or getattr(found, "FORMAT_VERSION", None) != FORMAT_VERSION:
            raise ImportError(
                "keepsake_native is out of date (rebuild it with `make install`): "
                f"missing {', '.join(missing) or 'nothing'}, format "
                f"{getattr(found, 'FORMAT_VERSION', None)} instead of {FORMAT_VERSION}"
            )
    except ImportError:
        if wanted == "1":
            raise
        return None
    return found


module: ModuleType | None = _load()


def stat_result(fields: tuple[int, ...]) -> os.stat_result:
    """An `os.stat_result` from the module's stat fields (mode, ino, dev, nlink, uid, gid, size,
    atime_ns, mtime_ns, ctime_ns, blksize, blocks, rdev)."""
    mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime, blksize, blocks, rdev = fields
    seconds = (atime // 10**9, mtime // 10**9, ctime // 10**9)
    floats = (atime / 1e9, mtime / 1e9, ctime / 1e9)
    nanoseconds = (atime, mtime, ctime)
    ids = (mode, ino, dev, nlink, uid, gid, size)
    return os.stat_result((*ids, *seconds, *floats, *nanoseconds, blksize, blocks, rdev))
