"""Writing restored entries under a target folder without ever leaving it.

Names from a snapshot are checked one component at a time (`check_name`), and every step below
the target is taken relative to an open directory with symlinks refused (`O_NOFOLLOW`, dir fds),
so a symlink planted in the target, or a symlinked parent, cannot redirect a write elsewhere.
Files are written to a temporary name in their final folder, made durable (an fsync, or one
file-system flush for a whole batch: `restore_commit`), then renamed over the destination: a
crash or a failed check never leaves a half-written file in its place. Where the
OS has no dir fds (Windows), each component is checked with lstat instead.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from app.core.errors import UnsafePath

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
USE_DIR_FD = (
    os.open in os.supports_dir_fd
    and os.mkdir in os.supports_dir_fd
    and os.rename in os.supports_dir_fd
    and os.symlink in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and os.utime in os.supports_dir_fd
    and bool(_NOFOLLOW)
    and bool(_DIRECTORY)
)
TEMP_PREFIX = ".keepsake-restore-"
# Temp names: a random part per process and a counter, so a restore of many small files does
# not ask the OS for random bytes once per file; O_EXCL still refuses any name already taken.
_TEMP_RUN = secrets.token_hex(4)
_TEMP_COUNTER = itertools.count()
_FOLDER_ERRNOS = (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST)
_FOLDER_IN_WAY = "a folder is in the way"


def temp_name() -> str:
    return f"{TEMP_PREFIX}{_TEMP_RUN}{next(_TEMP_COUNTER):x}"


def check_name(name: str) -> str:
    """One path component from a snapshot; UnsafePath unless it names an entry in a folder."""
    if name in ("", ".", ".."):
        raise UnsafePath(name, "not a file or folder name")
    if "/" in name or "\\" in name:
        raise UnsafePath(name, "contains a path separator")
    if "\0" in name:
        raise UnsafePath(name, "contains a NUL character")
    if len(name) >= 2 and name[1] == ":" and name[0].isalpha():
        raise UnsafePath(name, "looks like a drive letter")
    if ":" in name and os.name == "nt":
        raise UnsafePath(name, "contains ':' (an alternate data stream on Windows)")
    return name


def split_path(path: str) -> list[str]:
    """A snapshot path `label/a/b` as checked components ('' and '/' are the root)."""
    if "\0" in path:
        raise UnsafePath(path, "contains a NUL character")
    return (
        [check_name(part) for part in path.strip("/").split("/") if part] if path.strip("/") else []
    )


class SafeDir:
    """An open folder under the restore target; every operation names one checked child."""

    def __init__(self, path: Path, fd: int | None, *, created: bool = False) -> None:
        self.path = path
        self._fd = fd
        # Made empty by `subdir` just now: nothing in it can be in a restored entry's way
        # except what this restore puts there (a snapshot folder never repeats a name).
        self.created = created

    @classmethod
    def open_root(cls, path: Path, *, create: bool = True) -> SafeDir:
        """The target itself is the person's choice: created if needed, may be a symlink."""
        if create:
            path.mkdir(parents=True, exist_ok=True)
        if not path.is_dir():
            raise UnsafePath(str(path), "the restore target is not a folder")
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC) if USE_DIR_FD else None
        return cls(path, fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SafeDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _where(self, name: str) -> str:
        """The argument for an *at() call: the bare name with a dir fd, else the full path."""
        check_name(name)
        return name if self._fd is not None else str(self.path / name)

    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self._where(name), dir_fd=self._fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def exists(self, name: str) -> bool:
        return self.lstat(name) is not None

    def subdir(self, name: str, *, create: bool = True) -> SafeDir:
        """Open (making it if needed) a child folder; a symlink or a file there is refused."""
        where = self._where(name)
        created = False
        if create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(where, 0o700, dir_fd=self._fd)
                created = True
        st = self.lstat(name)
        if st is None or not stat.S_ISDIR(st.st_mode):
            what = "a symlink" if st is not None and stat.S_ISLNK(st.st_mode) else "not a folder"
            raise UnsafePath(str(self.path / name), f"{what} is in the way")
        if self._fd is None:
            return SafeDir(self.path / name, None, created=created)
        try:
            fd = os.open(where, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=self._fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise UnsafePath(str(self.path / name), "a symlink is in the way") from None
            raise
        return SafeDir(self.path / name, fd, created=created)

    def create_temp(self) -> tuple[str, int]:
        """A new private file in this folder (never an existing one, never through a link)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | _CLOEXEC
        for _ in range(100):
            name = temp_name()
            try:
                return name, os.open(self._where(name), flags, 0o600, dir_fd=self._fd)
            except FileExistsError:
                continue
        raise OSError(errno.EEXIST, "cannot create a temporary file", str(self.path))

    def fileno(self) -> int | None:
        """The open folder's fd (None where the OS has no dir fds)."""
        return self._fd

    def write_file(self, name: str, pieces: Iterable[bytes], *, mode: int, mtime_ns: int) -> int:
        """Write `pieces` to a temp file, fsync, set mode and mtime, rename over `name`.

        `pieces` may raise (e.g. a chunk failing its check): the temp file is removed and the
        existing `name` stays untouched. Returns bytes written.
        """
        check_name(name)
        temp, written = self.write_temp(pieces, mode=mode, mtime_ns=mtime_ns, sync=True)
        self.put_in_place(temp, name)
        return written

    def write_temp(
        self,
        pieces: Iterable[bytes],
        *,
        mode: int,
        mtime_ns: int,
        sync: bool,
        on_piece: Callable[[int, int], None] | None = None,
    ) -> tuple[str, int]:
        """Write `pieces` to a new temp file in this folder with `mode` and `mtime_ns`; returns
        (temp name, bytes written). Nothing else may see the data until `put_in_place`, and only
        after it is on disk: `sync` fsyncs here, otherwise the caller flushes the file system
        first (restore_flush). `pieces` may raise: the temp file is then removed.
        `on_piece(fd, bytes so far)` runs after each piece (e.g. to start writeback early)."""
        temp, fd = self.create_temp()
        written = 0
        try:
            try:
                for piece in pieces:
                    view = memoryview(piece)
                    while view:
                        n = os.write(fd, view)
                        view = view[n:]
                    written += len(piece)
                    if on_piece is not None:
                        on_piece(fd, written)
                if sync:
                    os.fsync(fd)
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, mode & 0o7777)
                os.utime(fd, ns=(mtime_ns, mtime_ns))
            finally:
                os.close(fd)
            if not hasattr(os, "fchmod"):
                os.chmod(self._where(temp), mode & 0o7777)
        except BaseException:
            self.remove_quietly(temp)
            raise
        return temp, written

    def sync_temp(self, temp: str) -> None:
        """fsync a temp file written with `sync=False`, when its file system could not be flushed
        as a whole (only used where syncfs exists: Linux, where an fsync of a read-only fd
        flushes the file)."""
        flags = os.O_RDONLY | _NOFOLLOW | _BINARY | _CLOEXEC
        if not temp.startswith(TEMP_PREFIX):
            raise UnsafePath(temp, "not a restore temp file")
        fd = os.open(self._where(temp), flags, dir_fd=self._fd)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def put_in_place(self, temp: str, name: str) -> None:
        """Rename a finished temp file over `name`; on failure the temp file is removed."""
        try:
            check_name(name)
            self._replace(temp, name)
        except BaseException:
            self.remove_quietly(temp)
            raise

    def symlink(self, name: str, target: str, *, mtime_ns: int) -> None:
        """Create `name` as a link to `target` (stored as-is, never followed here)."""
        check_name(name)
        if "\0" in target:
            raise UnsafePath(target, "symlink target contains a NUL character")
        temp = temp_name()
        os.symlink(target, self._where(temp), dir_fd=self._fd)
        try:
            # some systems cannot set a link's own times
            with contextlib.suppress(NotImplementedError, OSError):
                os.utime(
                    self._where(temp),
                    ns=(mtime_ns, mtime_ns),
                    dir_fd=self._fd,
                    follow_symlinks=False,
                )
            self._replace(temp, name)
        except BaseException:
            self.remove_quietly(temp)
            raise

    def _replace(self, temp: str, name: str) -> None:
        """Atomic rename; an existing folder in the way is an error, never merged into (with dir
        fds, i.e. POSIX, rename(2) itself refuses to put a file or link over a folder)."""
        if self._fd is None:
            st = self.lstat(name)
            if st is not None and stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, _FOLDER_IN_WAY, str(self.path / name))
        try:
            os.replace(
                self._where(temp), self._where(name), src_dir_fd=self._fd, dst_dir_fd=self._fd
            )
        except OSError as exc:
            if exc.errno in _FOLDER_ERRNOS:
                raise self.rename_error(exc.errno, name) from None
            raise

    def rename_error(self, error: int, name: str) -> OSError:
        """The error for a failed rename of a temp file over `name`, by its errno: a folder in
        the way says so (rename(2) reports it as EISDIR, ENOTEMPTY or EEXIST)."""
        where = str(self.path / name)
        if error in _FOLDER_ERRNOS:
            return IsADirectoryError(errno.EISDIR, _FOLDER_IN_WAY, where)
        return OSError(error, os.strerror(error), where)

    def set_dir_attrs(self, name: str, *, mode: int, mtime_ns: int) -> None:
        """Restore a child folder's mode and mtime (after its contents are written)."""
        where = self._where(name)
        st = self.lstat(name)
        if st is None or not stat.S_ISDIR(st.st_mode):
            return
        if self._fd is not None:
            fd = os.open(where, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=self._fd)
            try:
                os.utime(fd, ns=(mtime_ns, mtime_ns))
                os.fchmod(fd, mode & 0o7777)
            finally:
                os.close(fd)
        else:
            os.utime(where, ns=(mtime_ns, mtime_ns))
            os.chmod(where, mode & 0o7777)

    def remove_quietly(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._where(name), dir_fd=self._fd)
