"""What the service's operations need, built once per process: the metadata database, the pack
store and its safety copy, the clock, where e-mail goes, and which proxies to believe."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from server.clock import Clock
from server.config import Network, SmtpSettings
from server.db.engine import Database
from server.mail import Mailer, SmtpMailer
from server.store import PackStore


@dataclass
class Context:
    db: Database
    store: PackStore
    clock: Clock
    copy_store: PackStore | None = None
    smtp: SmtpSettings | None = None
    trusted_proxies: tuple[Network, ...] = ()
    # Tests hand in their own; otherwise SMTP from the settings, or None: no e-mail configured.
    mailer_factory: Callable[[], Mailer] | None = None
    started: float = field(default_factory=time.monotonic)

    def mailer(self) -> Mailer | None:
        if self.mailer_factory is not None:
            return self.mailer_factory()
        if self.smtp is not None:
            return SmtpMailer(self.smtp)
        return None
