"""`keepsake-server admin ...`: argument parsing and the account commands.

Every command that reads the clock accepts `--now ISO`, so an operator (or a test) can see what a
policy decision would be at another moment.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from server import security
from server.clock import FixedClock, iso, parse_time
from server.config import Settings, resolve
from server.context import Context
from server.db.engine import Database
from server.db.models import Account, Plan
from server.domain import accounts
from server.domain.billing import PaymentUpdate, apply_payment
from server.domain.status import account_status
from server.errors import BadRequest, NotFound
from server.passwords import check_password
from server.store import PackStore, open_store


class Admin:
    """What a command works with: the database, the stores, the settings and the moment it acts
    at (`--now`, else the real time). Stores are opened only by the commands that use them."""

    def __init__(self, db: Database, settings: Settings, now: datetime, now_given: bool) -> None:
        self.db = db
        self.settings = settings
        self.now = now
        self.now_given = now_given

    @property
    def store(self) -> PackStore:
        return open_store(self.settings.storage_url)

    def context(self) -> Context:
        copy_url = self.settings.copy_storage_url
        return Context(
            db=self.db,
            store=self.store,
            clock=FixedClock(self.now),
            copy_store=None if copy_url is None else open_store(copy_url),
            smtp=self.settings.smtp,
        )


def add_admin_commands(admin: argparse.ArgumentParser) -> None:
    from server.admin import maintenance, releases

    clock = argparse.ArgumentParser(add_help=False)
    clock.add_argument("--now", type=_time_arg, help="act as if it were this ISO 8601 time")
    commands = admin.add_subparsers(dest="admin_command", required=True)

    create = commands.add_parser(
        "create-account",
        parents=[clock],
        help="create an account; the password is read from stdin (first line) or prompted",
    )
    create.add_argument("email")
    create.add_argument("--plan", default="FREE")
    create.set_defaults(handler=create_account)

    listing = commands.add_parser("list-accounts", parents=[clock], help="list accounts")
    listing.add_argument("--json", action="store_true", help="one JSON document")
    listing.set_defaults(handler=list_accounts)

    plan = commands.add_parser("set-plan", parents=[clock], help="change an account's plan")
    plan.add_argument("email")
    plan.add_argument("plan")
    plan.add_argument("--retention-days", type=int, help="override the plan's retention")
    plan.add_argument("--quota-bytes", type=int, help="override the plan's quota")
    plan.set_defaults(handler=set_plan)

    payment = commands.add_parser("set-payment", parents=[clock], help="record payment state")
    payment.add_argument("email")
    payment.add_argument("--state", choices=["paid", "overdue"], required=True)
    payment.add_argument("--paid-until", type=_time_arg, help="ISO date the payment covers")
    payment.set_defaults(handler=set_payment)

    end = commands.add_parser(
        "end-subscription",
        parents=[clock],
        help="end the subscription: locked now, data deleted 30 days later",
    )
    end.add_argument("email")
    end.set_defaults(handler=end_subscription)

    revoke = commands.add_parser("revoke-device", parents=[clock], help="revoke a device")
    revoke.add_argument("email")
    revoke.add_argument("device_name")
    revoke.set_defaults(handler=revoke_device)

    status = commands.add_parser("show-account", parents=[clock], help="account status (JSON)")
    status.add_argument("email")
    status.set_defaults(handler=show_account)

    maintenance.add_commands(commands, clock)
    releases.add_commands(commands, clock)


def run_admin(args: argparse.Namespace) -> int:
    from server.clock import SystemClock

    settings = resolve(
        args.data_dir,
        args.database_url,
        args.storage_url,
        copy_storage_url=args.copy_storage_url,
        config_file=args.config,
    )
    db = Database(settings.database_url)
    try:
        db.upgrade()
        now = args.now or SystemClock().now()
        handler: Callable[[Admin, argparse.Namespace], int] = args.handler
        return handler(Admin(db, settings, now, now_given=args.now is not None), args)
    finally:
        db.dispose()


def read_password(prompt: str = "Password: ") -> str:
    """First line of stdin when piped (never a command-line argument), else an echo-free prompt."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise BadRequest("the two passwords differ")
    return first


def create_account(admin: Admin, args: argparse.Namespace) -> int:
    accounts.normalize_email(args.email)
    plan = args.plan.upper()
    password = read_password()
    check_password(password)
    password_hash = security.hash_password(password)
    with admin.db.write() as session:
        account = accounts.create_account(session, args.email, password_hash, plan, admin.now)
        print(f"created {account.email} ({plan}) account_id={account.id}")
    return 0


def list_accounts(admin: Admin, args: argparse.Namespace) -> int:
    with admin.db.read() as session:
        rows = session.scalars(
            select(Account).where(Account.deleted_at.is_(None)).order_by(Account.created_at)
        )
        statuses = [account_status(session, account, admin.now) for account in rows]
    if args.json:
        print(json.dumps(statuses, indent=2))
        return 0
    print("email\tplan\tstate\tusage_bytes\tdevices\tcreated_at")
    for s in statuses:
        print(
            f"{s['email']}\t{s['plan']}\t{s['state']}\t{s['usage_bytes']}\t"
            f"{s['devices_used']}/{s['devices_allowed']}\t{s['created_at']}"
        )
    return 0


def show_account(admin: Admin, args: argparse.Namespace) -> int:
    with admin.db.read() as session:
        account = accounts.require_by_email(session, args.email)
        print(json.dumps(account_status(session, account, admin.now), indent=2))
    return 0


def set_plan(admin: Admin, args: argparse.Namespace) -> int:
    plan = args.plan.upper()
    with admin.db.write() as session:
        if session.get(Plan, plan) is None:
            known = ", ".join(session.scalars(select(Plan.code).order_by(Plan.code)))
            raise BadRequest(f"unknown plan {plan} (known: {known})")
        account = accounts.require_by_email(session, args.email)
        account.plan_code = plan
        if args.retention_days is not None:
            if args.retention_days < 1:
                raise BadRequest("--retention-days must be at least 1")
            account.retention_days = args.retention_days
        if args.quota_bytes is not None:
            account.quota_bytes = args.quota_bytes
        print(_summary(session, account, admin.now))
    return 0


def set_payment(admin: Admin, args: argparse.Namespace) -> int:
    """`paid` also reopens an ended (not yet deleted) account; `overdue` locks it from now."""
    update = PaymentUpdate(state=args.state, paid_until=args.paid_until)
    with admin.db.write() as session:
        account = accounts.require_by_email(session, args.email)
        apply_payment(session, account, update, admin.now)
        print(_summary(session, account, admin.now))
    return 0


def end_subscription(admin: Admin, args: argparse.Namespace) -> int:
    with admin.db.write() as session:
        account = accounts.require_by_email(session, args.email)
        apply_payment(session, account, PaymentUpdate(state="ended"), admin.now)
        print(_summary(session, account, admin.now))
    return 0


def revoke_device(admin: Admin, args: argparse.Namespace) -> int:
    with admin.db.write() as session:
        account = accounts.require_by_email(session, args.email)
        matching = [
            d for d in accounts.active_devices(session, account.id) if d.name == args.device_name
        ]
        if not matching:
            raise NotFound(f"{account.email} has no active device named {args.device_name!r}")
        for device in matching:
            device.revoked_at = admin.now
        print(f"revoked {len(matching)} device(s) named {args.device_name!r} of {account.email}")
    return 0


def _summary(session: Any, account: Account, now: datetime) -> str:
    standing = accounts.standing_of(session, account, now)
    parts = [f"{account.email}: plan {account.plan_code}, state {standing.state}"]
    if standing.lock_reason:
        parts.append(f"locked ({standing.lock_reason}) since {iso(standing.since or now)}")
    if standing.delete_data_at:
        parts.append(f"data deleted on {iso(standing.delete_data_at)}")
    if account.paid_until:
        parts.append(f"paid until {iso(account.paid_until)}")
    return ", ".join(parts)


def _time_arg(text: str) -> datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
