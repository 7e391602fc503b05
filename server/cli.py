"""`keepsake-server`: run the service (`serve`) or administer it (`admin ...`)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from server import __version__
from server.config import ConfigError
from server.errors import ServiceError


def _add_location(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (default: per-user data dir)")
    parser.add_argument(
        "--config",
        type=Path,
        help="TOML config file (default: DATA_DIR/keepsake-server.toml when it exists; "
        "the place for SMTP credentials)",
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: SQLite in the data folder; "
        "or set KEEPSAKE_DATABASE_URL to keep a password off the command line)",
    )
    parser.add_argument(
        "--storage-url", help="pack store: a folder or s3://BUCKET/PREFIX (default: DATA_DIR/packs)"
    )
    parser.add_argument(
        "--copy-storage-url",
        help="second pack store for the weekly safety copy (a folder or s3://...; default: none)",
    )


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
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS_OR_NETWORK",
        help="a reverse proxy whose X-Forwarded-For is believed (repeatable; "
        "default: none, the header is ignored)",
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="service processes sharing the port (default 1)"
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--log-format", choices=["json", "text"], default="json", help="default: JSON lines"
    )
    serve.add_argument("--no-access-log", action="store_true", help="no line per request")
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run GC, e-mails and scrub inside the service (run `admin` from cron instead)",
    )
    serve.add_argument("--job-check-seconds", type=float, default=60.0, help=argparse.SUPPRESS)
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
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server import logs
    from server.asgi import SETTINGS_ENV, ServeOptions

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
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    logs.configure(args.log_level, json_lines=args.log_format == "json")
    options = ServeOptions(
        data_dir=args.data_dir,
        config=args.config,
        database_url=args.database_url,
        storage_url=args.storage_url,
        copy_storage_url=args.copy_storage_url,
        trusted_proxies=tuple(args.trusted_proxy),
        clock_file=args.clock_file,
        scheduler=not args.no_scheduler,
        job_check_seconds=args.job_check_seconds,
        request_log=not args.no_access_log,
        log_level=args.log_level,
        json_logs=args.log_format == "json",
    )
    settings = options.settings()  # fails here, once, on a bad config; migrates the database
    options.prepare(settings)
    if args.parent_pid:
        _exit_with_parent(args.parent_pid)
    # uvicorn's TLS context is made for PROTOCOL_TLS_SERVER, which Python (3.10+) limits to
    # TLS 1.2 and newer; a test connects with TLS 1.1 and is refused.
    tls = {}
    if args.tls_cert is not None:
        tls = {"ssl_certfile": str(args.tls_cert), "ssl_keyfile": str(args.tls_key)}
    os.environ[SETTINGS_ENV] = options.to_json()  # how worker processes get the same options
    uvicorn.run(
        "server.asgi:app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,  # ours, set above (JSON lines)
        log_level=args.log_level.lower(),
        access_log=False,  # the service writes its own structured request log
        proxy_headers=False,  # X-Forwarded-For is read by the service, from trusted proxies only
        server_header=False,
        timeout_keep_alive=75,  # idle clients between uploads keep their connection
        **tls,  # type: ignore[arg-type]
    )
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
