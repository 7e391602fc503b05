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
    """Apparent size of every regular file under `path`: what a repository stores."""
    total = 0
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except FileNotFoundError:
                continue
            total += st.st_size
    return total


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
