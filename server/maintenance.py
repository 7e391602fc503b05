"""The maintenance jobs (GC, warning e-mails, scrub with the safety copy), one function each,
so the service's scheduler and the admin commands run exactly the same code."""

from __future__ import annotations

from datetime import datetime, timedelta

from server.clock import SystemClock
from server.context import Context
from server.domain.gc import GcReport, collect
from server.domain.notices import NotifyReport, send_notices
from server.domain.scrub import ScrubReport, scrub
from server.errors import ServiceError

FILE_AGE = timedelta(days=1)  # unreferenced files younger than this may be uploads in flight


class NotConfigured(ServiceError):
    status, code = 503, "not_configured"


def run_gc(context: Context, now: datetime) -> GcReport:
    return collect(context.db, context.store, now, copy=context.copy_store)


def run_scrub(context: Context, now: datetime) -> ScrubReport:
    # Leftover files are judged by the store's own (real) timestamps, also when `now` is moved.
    files_older_than = min(now, SystemClock().now()) - FILE_AGE
    return scrub(context.db, context.store, now, files_older_than, copy=context.copy_store)


def run_notify(context: Context, now: datetime) -> NotifyReport:
    mailer = context.mailer()
    if mailer is None:
        raise NotConfigured(
            "e-mail is not configured: set smtp.host and smtp.from in the config file "
            "(or KEEPSAKE_SMTP_HOST and KEEPSAKE_SMTP_FROM)"
        )
    return send_notices(context.db, mailer, now)
