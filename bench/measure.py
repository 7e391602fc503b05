"""Runs one command and measures it: wall time, peak RSS, exit status, captured output.

Why a wrapper of our own: `os.wait4` hands back the resource usage of exactly the child we
started (and anything it waited for), so each step gets its own peak RSS without /usr/bin/time
or parsing. Output goes to log files in the work folder, not pipes, so a chatty tool cannot
block and the logs stay for a post-mortem.
"""

from __future__ import annotations

import os
import subprocess
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
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
        )
        if stdin_text is not None and proc.stdin is not None:
            try:
                proc.stdin.write(stdin_text.encode())
                proc.stdin.close()
            except BrokenPipeError:
                pass
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = Measured(
        argv=argv,
        seconds=seconds,
        peak_rss_kib=int(usage.ru_maxrss),
        returncode=proc.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
    )
    if check and result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise StepFailed(f"{name}: {' '.join(argv)} exited {result.returncode}\n{tail}")
    return result


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
