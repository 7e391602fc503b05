"""The subscription in words: plan and state names, and the service's dated warnings.

Warnings with a known code are worded here (so they are translated); an unknown code falls back
to the service's own English sentence rather than being hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.controller import AccountStatus, AccountWarning
from app.gui.wording import day, parse_time


def plan_name(plan: str) -> str:
    translate = QCoreApplication.translate
    return {
        "FREE": translate("Account", "Free"),
        "PRO": translate("Account", "Pro"),
        "UNLIMITED": translate("Account", "Unlimited"),
    }.get(plan.upper(), plan.title())


def state_sentence(status: AccountStatus) -> str:
    translate = QCoreApplication.translate
    if status.state == "overdue":
        return translate(
            "Account", "Payment is overdue: backup and restore are locked until it is paid."
        )
    if status.state == "ended":
        return translate("Account", "The subscription has ended: backup and restore are locked.")
    paid = parse_time(status.paid_until)
    if paid is not None:
        return translate("Account", "Active, paid until {date}.").format(date=day(paid))
    return translate("Account", "Active.")


def warning_sentence(warning: AccountWarning) -> str:
    translate = QCoreApplication.translate
    when = parse_time(warning.date)
    date = day(when) if when is not None else ""
    known = {
        "locked": translate(
            "Account",
            "Backup and restore are locked since {date} because payment is overdue. Nothing is "
            "deleted while the subscription is only overdue.",
        ),
        "payment_due": translate(
            "Account", "Payment is due by {date}; backup and restore lock after that."
        ),
        "inactivity_expiry": translate(
            "Account",
            "This free account expires on {date} unless a backup runs before then; its backups "
            "are deleted 30 days after it expires.",
        ),
        "data_deletion": translate(
            "Account", "Your backups will be deleted on {date} unless the subscription is renewed."
        ),
        "quota_nearly_full": translate("Account", "Your storage is nearly full."),
        "quota_full": translate(
            "Account", "Your storage is full: new and changed files are not backed up."
        ),
    }
    text = known.get(warning.code)
    if text is None or (when is None and "{date}" in text):
        return warning.message
    return text.format(date=date)
