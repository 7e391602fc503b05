"""Runs one command and measures it: wall time, peak RSS, exit status, captured output.

Why a wrapper of our own: `os.wait4` hands back the resource usage of exactly the child we
started (and anything it waited for), so each step gets its own peak RSS without /usr/bin/time
or parsing. But Linux carries a process's peak RSS across fork and exec (the exec'ing process
keeps the high-water mark of the memory it replaces), so a command started straight from this
process would report at least this process's own peak (the tree generator, the hashing of
restores: hundreds of MiB) for every tool alike. Each command is therefore started by a tiny
launcher process (`python -S`, a few MiB), which times it and reports its `wait4` figures; the
launcher's own start-up is not counted. Output goes to log files in the work folder, not pipes,
so a chatty tool cannot block and the logs stay for a post-mortem.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


class StepFailed(RuntimeError):
    """A measured command exited non-zero: the benchmark stops, with the tail of its stderr."""


@dataclass
class Measured:
    """One finished command: what ran, how long it took, and its peak resident memory."""

    argv: list[str]
    seconds: float
    peak_rss_kib: int
    returncode: int
    stdout: str
    stderr: str


# The launcher: starts argv[2:], waits for it, writes "seconds peak_rss_kib exit_code" to argv[1].
# `-S -E`: no site packages, no PYTHONPATH, so it stays a few MiB whatever the environment.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    fh.write(f"{seconds!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\\n")
"""


def run_measured(
    argv: list[str],
    *,
    log_dir: Path,
    name: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin_text: str | None = None,
    timeout: float = 6 * 3600,
    check: bool = True,
) -> Measured:
    """Runs `argv`, feeding `stdin_text`, and returns its timing and peak RSS (KiB)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    figures = log_dir / f"{name}.measure"
    figures.unlink(missing_ok=True)
    launcher = [sys.executable, "-S", "-E", "-c", _LAUNCHER, str(figures), *argv]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            launcher,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,  # the launcher and the command: one group to kill
        )
        killer = threading.Timer(timeout, _kill_group, (proc.pid,))
        killer.start()
        try:
            if stdin_text is not None and proc.stdin is not None:
                try:
                    proc.stdin.write(stdin_text.encode())
                    proc.stdin.close()
                except BrokenPipeError:
                    pass
            proc.wait()
        except BaseException:
            _kill_group(proc.pid)
            raise
        finally:
            killer.cancel()
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    try:
        seconds_text, rss_text, code_text = figures.read_text().split()
    except (OSError, ValueError):
        # The launcher itself failed (e.g. the program does not exist): its error is in stderr.
        seconds_text, rss_text, code_text = "0", "0", str(proc.returncode or 127)
    result = Measured(
        argv=argv,
        seconds=float(seconds_text),
        peak_rss_kib=int(rss_text),
        returncode=int(code_text),
        stdout=stdout,
        stderr=stderr,
    )
    if check and result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise StepFailed(f"{name}: {' '.join(argv)} exited {result.returncode}\n{tail}")
    return result


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def tree_bytes(path: Path) -> int:
    """What a repository under `path` stores: the apparent size of every regular file, except
    that a SQLite database counts as its pages and its write-ahead log as nothing.

    Why: SQLite writes each commit to the log and copies it into the database at a checkpoint,
    then writes the log again from its start without shrinking the file (and deletes it when
    the last connection closes). So the log's size is the longest it has ever been, not data:
    counted as a file, a commit that added no page to the database (the service's, after a
    backup that changed nothing) still looked like tens of KiB added. A reader's page count
    includes what the log holds that is not yet copied."""
    total = 0
    for dirpath, _, filenames in os.walk(path):
        present = set(filenames)
        for name in filenames:
            full = Path(dirpath) / name
            try:
                if _is_sqlite_side_file(full, present):
                    continue
                total += _sqlite_bytes(full) if _is_sqlite(full) else full.lstat().st_size
            except FileNotFoundError:
                continue
    return total


_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")  # the log, its index, a rollback journal


def _is_sqlite(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as fh:
        return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _is_sqlite_side_file(path: Path, present: set[str]) -> bool:
    for suffix in _SQLITE_SIDE_FILES:
        base = path.name.removesuffix(suffix)
        if base != path.name and base in present and _is_sqlite(path.with_name(base)):
            return True
    return False


def _sqlite_bytes(path: Path) -> int:
    """Pages x page size, read-only (the service may be running): fails loudly, never guesses."""
    uri = path.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as conn:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    return pages * page_size


def timed_sync() -> float:
    """Writes every dirty page of the system to disk; returns how long that took (s)."""
    started = time.perf_counter()
    os.sync()
    return time.perf_counter() - started


def drop_caches() -> bool:
    """Empties the kernel page cache so a step reads from disk; False when not permitted."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
    except OSError:
        return False
    return True


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize
