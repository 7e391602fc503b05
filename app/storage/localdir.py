"""LocalDirBackend: objects as files under one folder (a USB disk, a NAS share).

Writes go to a temporary file next to the target, are fsynced, then renamed over it, so a reader
or a crash never leaves a half-written object under its real name. Names are checked so that
nothing resolves outside the folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from app.core.errors import ObjectMissing, Permanent
from app.storage.backend import Body, Ranges, as_body, check_name, check_range, get_each

_TEMP_PREFIX = ".tmp-"  # check_name refuses leading dots, so no object can be mistaken for one


class LocalDirBackend:
    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self._root = root.resolve()

    @property
    def root(self) -> Path:
        return self._root

    def _path(self, name: str) -> Path:
        path = self._root.joinpath(*check_name(name).split("/"))
        # A symlink planted inside the folder must not lead a write or read out of it.
        if not path.parent.resolve().is_relative_to(self._root):
            raise Permanent(f"object name {name!r} resolves outside the storage folder")
        if path.is_symlink():
            raise Permanent(f"object {name!r} is a symbolic link; refused")
        return path

    def put(self, name: str, data: bytes | Body) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in as_body(data):
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        check_range(start, length)
        path = self._path(name)
        try:
            with path.open("rb") as f:
                size = os.fstat(f.fileno()).st_size
                if start > size:
                    raise Permanent(f"range starting at {start} lies past the end of {name}")
                f.seek(start)
                return f.read() if length is None else f.read(length)
        except (FileNotFoundError, NotADirectoryError):
            raise ObjectMissing(name) from None

    def get_ranges(self, ranges: Ranges) -> bytes:
        return get_each(self, ranges)

    def size(self, name: str) -> int | None:
        try:
            return self._path(name).stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            return None

    def list(self, prefix: str = "") -> dict[str, int]:
        found: dict[str, int] = {}
        for dirpath, dirnames, filenames in os.walk(self._root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self._root).as_posix()
            for filename in filenames:
                if filename.startswith("."):
                    continue  # temporary files of unfinished writes
                name = filename if rel == "." else f"{rel}/{filename}"
                if name.startswith(prefix):
                    with contextlib.suppress(FileNotFoundError):
                        found[name] = os.stat(os.path.join(dirpath, filename)).st_size
        return found

    def delete(self, name: str) -> None:
        path = self._path(name)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; Windows cannot open a folder, and does not need to."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
