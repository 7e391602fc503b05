"""`keepsake-server`: run the service (`serve`) or administer it (`admin ...`)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from server import __version__
from server.errors import ServiceError


def _add_location(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (default: per-user data dir)")
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: SQLite in the data folder; "
        "or set KEEPSAKE_DATABASE_URL to keep a password off the command line)",
    )
    parser.add_argument("--storage-url", help="pack store folder (default: DATA_DIR/packs)")


def build_parser() -> argparse.ArgumentParser:
    from server.admin.commands import add_admin_commands

    parser = argparse.ArgumentParser(prog="keepsake-server", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service")
    _add_location(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8420)
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="required to listen on anything but loopback (put TLS in front, or use --tls-*)",
    )
    serve.add_argument("--tls-cert", type=Path, help="PEM certificate chain for HTTPS")
    serve.add_argument("--tls-key", type=Path, help="PEM private key for HTTPS")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--no-access-log", action="store_true")
    serve.add_argument("--clock-file", type=Path, help=argparse.SUPPRESS)  # tests move time
    serve.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)  # exit with the tests

    admin = commands.add_parser("admin", help="administer accounts, retention and storage")
    _add_location(admin)
    add_admin_commands(admin)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args)
        from server.admin.commands import run_admin

        return run_admin(args)
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.api.app import create_app
    from server.api.context import Context
    from server.clock import Clock, FileClock, SystemClock
    from server.config import resolve
    from server.db.engine import Database
    from server.store import open_store

    if not _is_loopback(args.host) and not args.allow_remote:
        print(
            f"error: refusing to listen on {args.host}: only loopback is allowed without "
            "--allow-remote",
            file=sys.stderr,
        )
        return 2
    if (args.tls_cert is None) != (args.tls_key is None):
        print("error: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = resolve(args.data_dir, args.database_url, args.storage_url)
    database = Database(settings.database_url)
    database.upgrade()
    clock: Clock = FileClock(args.clock_file) if args.clock_file else SystemClock()
    app = create_app(Context(db=database, store=open_store(settings.storage_url), clock=clock))
    if args.parent_pid:
        _exit_with_parent(args.parent_pid)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level.lower(),
        access_log=not args.no_access_log,
        ssl_certfile=str(args.tls_cert) if args.tls_cert else None,
        ssl_keyfile=str(args.tls_key) if args.tls_key else None,
        server_header=False,
        timeout_keep_alive=75,  # idle clients between uploads keep their connection
    )
    database.dispose()
    return 0


def _exit_with_parent(pid: int) -> None:
    """Stop when the process that started us is gone (a test run that was killed)."""
    import os
    import signal
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            except PermissionError:
                continue

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
