"""The subscription in words: plan and state names, and the service's dated warnings.

Warnings with a known code are worded here (so they are translated); an unknown code (a newer
service) shows the service's own English sentence under a translated lead rather than being hidden.
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


def warning_sentence(warning: AccountWarning, lock_reason: str | None = None) -> str:
    """One dated warning of the service in the person's language. `lock_reason` is the account's
    (`AccountStatus.lock_reason`): the data deletion is worded by why the account ended."""
    translate = QCoreApplication.translate
    when = parse_time(warning.date)
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
        "data_deletion": _deletion(lock_reason),
        "quota_nearly_full": translate("Account", "Your storage is nearly full."),
        "quota_full": translate(
            "Account", "Your storage is full: new and changed files are not backed up."
        ),
        "damaged_packs": translate(
            "Account",
            "On {date} the Keepsake service found that part of your stored backup is damaged, "
            "and it could not repair it. Some files may not be restorable from the backup.",
        ),
    }
    text = known.get(warning.code)
    if text is None or (when is None and "{date}" in text):
        return translate("Account", "Message from the Keepsake service: {message}").format(
            message=warning.message
        )
    return text.format(date=day(when) if when is not None else "")


def _deletion(lock_reason: str | None) -> str:
    """The data deletion, by why the account ended; the date is when the backups are deleted."""
    translate = QCoreApplication.translate
    if lock_reason == "subscription_ended":
        return translate(
            "Account",
            "The subscription has ended: your backups will be deleted on {date} unless it is "
            "renewed before then.",
        )
    if lock_reason == "inactive":
        return translate(
            "Account",
            "This free account expired after a long time without backups: its backups will be "
            "deleted on {date}.",
        )
    if lock_reason == "deleted_by_owner":
        return translate(
            "Account",
            "This account was deleted at its owner's request on {date}; its backups are being "
            "deleted.",
        )
    # A service that sends no reason, or one this app does not know: true for every reason.
    return translate(
        "Account",
        "Backup and restore are locked, and your backups are scheduled for deletion on {date}.",
    )
