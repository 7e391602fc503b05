"""A real SMTP server on loopback for tests (aiosmtpd), keeping what it receives."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.server.tlscerts import TestCertificate
from tests.support.service import free_port


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 OK"

    def bodies(self) -> list[str]:
        return [str(m.get_content()) for m in self.messages]


@contextmanager
def smtp_server(
    certificate: TestCertificate | None = None, user: str = "", password: str = ""
) -> Iterator[Inbox]:
    """Plain SMTP; with a certificate it requires STARTTLS and a login as user/password."""
    inbox = Inbox("127.0.0.1", free_port())
    options: dict[str, Any] = {}
    if certificate is not None:

        def check(_server: Any, _session: Any, _envelope: Any, _mech: str, data: Any) -> Any:
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == user
                and data.password.decode() == password
            )
            if ok:
                inbox.logins.append(user)
            return AuthResult(success=ok)

        options = {
            "tls_context": certificate.server_context(),
            "require_starttls": True,
            "auth_required": True,
            "authenticator": check,
        }
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port, **options)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
