"""Sends the service's e-mails (dated warnings) over SMTP.

One connection per job run, opened at the first message. STARTTLS (or TLS from the start) uses
the system's certificate store and checks the server's name; only a relay on loopback may be
spoken to in plain text. The password never appears in a log or an error: smtplib's errors carry
the server's answer, not what was sent.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from server.config import SmtpSettings


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one plain-text message, or raise."""

    def close(self) -> None:
        """End the connection, if one is open."""


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        # Verifies the certificate and the host name (against a private CA when one is given).
        context = ssl.create_default_context(cafile=s.cafile)
        connection: smtplib.SMTP
        if s.ssl:
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            connection.ehlo()
            if s.starttls and not s.ssl:
                connection.starttls(context=context)
                connection.ehlo()
            if s.username:
                connection.login(s.username, s.password or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, to: str, subject: str, body: str) -> None:
        if self._connection is None:
            self._connection = self._connect()
        self._connection.send_message(build_message(self._settings.sender, to, subject, body))

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except smtplib.SMTPException:
                connection.close()
            except OSError:
                connection.close()


def build_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"  # no vacation auto-replies back to us
    message.set_content(body)
    return message
