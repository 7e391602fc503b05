"""E-mails every dated warning (payment due, locked, inactivity expiry, data deletion, damaged
packs, storage nearly full or full) once: the job behind the service's hourly schedule and
`keepsake-server admin notify`.

"Once" is per (account, warning code, date): a warning whose date moves (a new paid-until date)
is a new warning and is sent again; so is a quota crossing after usage fell back. Each message is claimed in the database before it is sent
and marked sent after, so concurrent runs never send one twice; a failed send releases its claim
for the next run, and a claim left by a process that died is released after `STALE_CLAIM`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.clock import iso
from server.db.engine import Database
from server.db.models import Account, NoticeSent
from server.mail import Mailer
from server.policy import subscription
from server.policy.subscription import Notice

from . import quota_alerts
from .status import dated_warnings

log = logging.getLogger("keepsake.server.notify")

STALE_CLAIM = timedelta(hours=1)
BATCH = 200
GIVE_UP_AFTER = 3  # failures in a row: the mail server is down; the next run tries again
SUBJECTS = {
    subscription.PAYMENT_DUE: "Keepsake: payment is due by {day}",
    subscription.LOCKED: "Keepsake: backup and restore are locked",
    subscription.INACTIVITY_EXPIRY: "Keepsake: your free account expires on {day}",
    subscription.DATA_DELETION: "Keepsake: your backups will be deleted on {day}",
    subscription.DAMAGED_PACKS: "Keepsake: part of your stored backup is damaged",
    quota_alerts.NEARLY_FULL: "Keepsake: your backup storage is nearly full",
    quota_alerts.FULL: "Keepsake: your backup storage is full",
}


@dataclass
class NotifyReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.sent} warning e-mail(s) sent, {self.failed} failed"


def compose(notice: Notice, email: str) -> tuple[str, str]:
    """The subject and plain-text body of the e-mail for one warning."""
    subject = SUBJECTS.get(notice.code, "Keepsake: about your account").format(
        day=iso(notice.date)[:10]
    )
    body = (
        "Hello,\n\n"
        f"{notice.message}\n\n"
        "The account page of the Keepsake app shows your plan, storage, devices and every dated "
        "warning.\n\n"
        f"This message went to {email} because it is the address of your Keepsake account.\n"
        "-- Keepsake\n"
    )
    return subject, body


def send_notices(db: Database, mailer: Mailer, now: datetime) -> NotifyReport:
    report = NotifyReport()
    with db.write(bulk=True) as session:
        session.execute(
            delete(NoticeSent).where(
                NoticeSent.sent_at.is_(None), NoticeSent.claimed_at < now - STALE_CLAIM
            )
        )
    failures_in_a_row = 0
    try:
        last_id = ""
        while True:
            with db.read() as session:
                batch = list(
                    session.scalars(
                        select(Account.id)
                        .where(Account.deleted_at.is_(None), Account.id > last_id)
                        .order_by(Account.id)
                        .limit(BATCH)
                    )
                )
            quota_alerts.settle(db, batch, now)  # date the crossings that time alone made
            with db.read() as session:
                accounts = session.scalars(
                    select(Account).where(Account.id.in_(batch)).order_by(Account.id)
                )
                due = [(a.id, a.email, n) for a in accounts for n in _unsent(session, a, now)]
            for account_id, email, notice in due:
                if not _deliver(db, mailer, account_id, email, notice, now, report):
                    failures_in_a_row += 1
                    if failures_in_a_row >= GIVE_UP_AFTER:
                        return report
                else:
                    failures_in_a_row = 0
            if len(batch) < BATCH:
                return report
            last_id = batch[-1]
    finally:
        mailer.close()


def _unsent(session: Session, account: Account, now: datetime) -> list[Notice]:
    warnings = dated_warnings(session, account, now)
    if not warnings:
        return []
    known = {
        (code, date)
        for code, date in session.execute(
            select(NoticeSent.code, NoticeSent.date).where(NoticeSent.account_id == account.id)
        )
    }
    return [n for n in warnings if n.code in SUBJECTS and (n.code, n.date) not in known]


def _deliver(
    db: Database,
    mailer: Mailer,
    account_id: str,
    email: str,
    notice: Notice,
    now: datetime,
    report: NotifyReport,
) -> bool:
    """Claim, send and mark one warning; False only when sending failed."""
    try:
        with db.write(bulk=True) as session:
            claim = NoticeSent(account_id=account_id, code=notice.code, date=notice.date)
            claim.claimed_at = now
            session.add(claim)
    except IntegrityError:
        return True  # another run claimed it first
    mine = and_(
        NoticeSent.account_id == account_id,
        NoticeSent.code == notice.code,
        NoticeSent.date == notice.date,
    )
    subject, body = compose(notice, email)
    try:
        mailer.send(email, subject, body)
    except Exception as exc:  # the next run tries again
        with db.write(bulk=True) as session:
            session.execute(delete(NoticeSent).where(mine, NoticeSent.sent_at.is_(None)))
        report.failed += 1
        report.errors.append(f"{notice.code} for account {account_id}: {type(exc).__name__}")
        log.warning(
            "sending a warning e-mail failed",
            extra={"account_id": account_id, "code": notice.code, "error": type(exc).__name__},
        )
        return False
    with db.write(bulk=True) as session:
        session.execute(update(NoticeSent).where(mine).values(sent_at=now))
    report.sent += 1
    log.info("warning e-mail sent", extra={"account_id": account_id, "code": notice.code})
    return True
