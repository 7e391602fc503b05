"""The command's quick exit (`app.cli.exit_now`): it skips only the interpreter's teardown, never
what a person or a file expects from an ordinary exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.cli import REPO_ROOT


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(tmp_path)],
        capture_output=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )


def test_exit_handlers_run_and_buffered_output_arrives_whole(tmp_path: Path) -> None:
    """Output larger than a pipe holds, still in the buffers when the command returns, and an
    exit handler that writes a file: both done, and the exit code kept."""
    done = _python(
        """
        import atexit, logging, sys
        from pathlib import Path
        from app.cli import exit_now
        atexit.register(lambda: (Path(sys.argv[1]) / "handler").write_text("ran"))
        logging.basicConfig(filename=str(Path(sys.argv[1]) / "log"))
        logging.getLogger("k").warning("last words")
        for _ in range(10_000):
            sys.stdout.write("x" * 100)  # the last few KB stay in the buffer
        sys.stderr.write("a last line without its newline")
        exit_now(3)
        """,
        tmp_path,
    )
    assert done.returncode == 3
    assert done.stdout == b"x" * 1_000_000
    assert done.stderr == b"a last line without its newline"
    assert (tmp_path / "handler").read_text() == "ran"
    assert "last words" in (tmp_path / "log").read_text()


def test_a_running_thread_is_waited_for_as_by_an_ordinary_exit(tmp_path: Path) -> None:
    done = _python(
        """
        import sys, threading, time
        from pathlib import Path
        from app.cli import exit_now
        def work():
            time.sleep(0.5)
            (Path(sys.argv[1]) / "finished").write_text("yes")
        threading.Thread(target=work).start()
        exit_now(0)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "finished").read_text() == "yes"


@pytest.mark.parametrize("module", ["app.cli", "app"])  # the command, and the bundled program
def test_the_command_exits_with_its_own_code(module: str, tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", module, "--home", str(tmp_path / "p"), "folders", "list"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    bad = subprocess.run(
        [sys.executable, "-m", module, "--home", str(tmp_path / "p"), "restore", "--at", "x"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert (
        bad.returncode == 1 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    )
