"""`python -m app`: the desktop app when it is present and a display exists, else the command."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from app.cli import run

        run()  # the command, then its quick exit (see app.cli.run)
    try:
        from app.gui.main import main as gui_main
    except ImportError:
        from app.cli import main as cli_main

        return cli_main(["--help"])
    return gui_main()


if __name__ == "__main__":
    sys.exit(main())
