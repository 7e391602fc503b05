"""Errors as sentences a person understands, in their language: one sentence per kind of
failure, with the engine's, the service's or the OS's own words kept only as a detail."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from app.controller import (
    WRONG_CURRENT,
    AutostartError,
    KeystoreError,
    NotInitialised,
    NotLoggedIn,
    PasswordRefused,
    ServiceLacksFeature,
    ServiceRefused,
)
from app.core.errors import (
    AuthenticationFailed,
    CommitRejected,
    IntegrityError,
    KeepsakeError,
    KeyNotFound,
    MissingPacks,
    NotFound,
    ObjectMissing,
    Permanent,
    QuotaExceeded,
    Retryable,
    SnapshotChainError,
    StorageError,
    SubscriptionLocked,
    UnsafePath,
    WrongPassphrase,
)
from app.core.recoverykit import CODE_LENGTH, InvalidKit, InvalidRecoveryCode
from app.core.runlock import AlreadyRunning
from app.gui.wording import locked_sentence, size
from app.gui.wording_reasons import reason_sentence, service_refusal

DEVICE_LIMIT = "device_limit"  # the service's code for "every PC the plan allows is in use"


def error_sentence(exc: BaseException) -> str:
    """An error as one sentence for a person, in their language. Each expected failure has its own
    sentence; the English of the engine, the service or the OS is kept only as a detail where it
    says something the sentence cannot (which file, what the OS or the service said)."""
    translate = QCoreApplication.translate
    if isinstance(exc, WrongPassphrase):
        return translate(
            "Wording", "That passphrase or recovery code does not open this recovery kit."
        )
    if isinstance(exc, AuthenticationFailed):
        return translate("Wording", "The service did not accept the e-mail address and password.")
    if isinstance(exc, SubscriptionLocked):
        return locked_sentence(exc.reason, exc.since, datetime.now(UTC))
    if isinstance(exc, QuotaExceeded):
        return translate("Wording", "Your storage is full: {used} of {allowed} used.").format(
            used=size(exc.used), allowed=size(exc.allowed)
        )
    if isinstance(exc, Retryable):
        return translate("Wording", "The Keepsake service could not be reached ({detail}).").format(
            detail=str(exc)
        )
    if isinstance(exc, IntegrityError):
        return translate("Wording", "Damaged data was found and not used: {detail}").format(
            detail=str(exc)
        )
    if type(exc) is KeepsakeError and isinstance(exc.__cause__, OSError):
        return _os_error(exc.__cause__)  # the protector's report of a failing file of its own
    if isinstance(exc, KeepsakeError):
        refused = service_refusal(str(exc))  # the service's password rules, said in English
        if refused is not None:
            return refused
        return _keepsake_error(exc)
    if isinstance(exc, OSError):
        return _os_error(exc)
    return translate("Wording", "Something unexpected went wrong: {detail}").format(
        detail=f"{exc.__class__.__name__}: {exc}"
    )


def _keepsake_error(exc: KeepsakeError) -> str:
    """The expected failures not worded above. The groups are asked in order, and within each a
    subclass is tested before its base: the service's refusals, ObjectMissing and CommitRejected
    (all Permanent) are worded before Permanent, and Permanent before StorageError."""
    detail = str(exc) or exc.__class__.__name__
    for group in (_account_error, _this_pc_error, _kit_error, _backup_error, _storage_error):
        text = group(exc, detail)
        if text is not None:
            return text
    return QCoreApplication.translate("Wording", "Keepsake could not do that: {detail}").format(
        detail=detail
    )


def _account_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, NotLoggedIn):
        return translate(
            "Wording", "This PC is not signed in to a Keepsake account. Sign in, then try again."
        )
    if isinstance(exc, NotInitialised):
        return translate(
            "Wording",
            "Keepsake is not set up on this PC yet: finish setting it up, or use the recovery kit "
            "of your backup.",
        )
    if isinstance(exc, KeyNotFound):
        return translate(
            "Wording",
            "The key to your backup is not on this PC: finish setting up Keepsake, or use your "
            "recovery kit.",
        )
    if isinstance(exc, PasswordRefused):
        if exc.reason == WRONG_CURRENT:
            return translate(
                "Wording", "The current password is wrong; your password was not changed."
            )
        return translate(
            "Wording", "The service did not accept the new password ({detail})."
        ).format(detail=detail)
    if isinstance(exc, ServiceLacksFeature):
        return translate(
            "Wording", "The Keepsake service cannot do this yet: it is older than this app."
        )
    if isinstance(exc, ServiceRefused) and exc.code == DEVICE_LIMIT:
        return translate(
            "Wording",
            "This account is already in use on as many PCs as its plan allows. Sign out of "
            "Keepsake on a PC you no longer use, or choose a plan with more PCs.",
        )
    return None


def _this_pc_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, KeystoreError):
        return translate(
            "Wording",
            "Keepsake could not use this PC's keychain, where it keeps your sign-in and the key "
            "to your backup ({detail}). If the keychain is locked, unlock it and try again.",
        ).format(detail=detail)
    if isinstance(exc, AutostartError):
        return translate(
            "Wording",
            "Keepsake could not check or change whether it starts when you sign in ({detail}).",
        ).format(detail=detail)
    if isinstance(exc, AlreadyRunning):
        return translate(
            "Wording",
            "Another Keepsake program on this PC is already backing up these folders (the "
            "Keepsake app, keepsake agent or keepsake backup). Quit it, or try again when it has "
            "finished.",
        )
    return None


def _kit_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, InvalidRecoveryCode):
        return translate(
            "Wording",
            "That is not a recovery code: a recovery code has {length} letters and digits "
            "(2–7), like {example}.",
        ).format(length=CODE_LENGTH, example="ABCDE-FGHIJ-KLMNO-PQRST-UVWXYZ")
    if isinstance(exc, InvalidKit):
        return translate(
            "Wording",
            "The recovery kit could not be read ({detail}). Check that you chose the right "
            "file, or look for typing mistakes if you typed it in.",
        ).format(detail=detail)
    return None


def _backup_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, UnsafePath):
        return translate("Wording", "For safety, nothing was written to {name} ({reason}).").format(
            name=exc.name, reason=reason_sentence(exc.reason)
        )
    if isinstance(exc, SnapshotChainError):
        return translate(
            "Wording",
            "The list of backups from the Keepsake service does not match what this PC saw "
            "before, so Keepsake does not use it ({detail}).",
        ).format(detail=detail)
    if isinstance(exc, NotFound):
        return translate("Wording", "Keepsake could not find that ({detail}).").format(
            detail=detail
        )
    if isinstance(exc, ObjectMissing):
        return translate(
            "Wording", "Part of your stored backup is missing on the Keepsake service ({detail})."
        ).format(detail=exc.name)
    if isinstance(exc, MissingPacks):
        return translate(
            "Wording",
            "This backup was not saved: part of its data had not reached the Keepsake service, "
            "or had expired there. The next backup tries again.",
        )
    if isinstance(exc, CommitRejected):
        return translate(
            "Wording",
            "This backup was not saved: the Keepsake service did not accept it ({detail}). The "
            "next backup tries again.",
        ).format(detail=detail)
    return None


def _storage_error(exc: KeepsakeError, detail: str) -> str | None:
    translate = QCoreApplication.translate
    if isinstance(exc, ServiceRefused):
        return translate("Wording", "The Keepsake service did not accept that ({detail}).").format(
            detail=detail
        )
    if isinstance(exc, Permanent):
        return translate(
            "Wording", "That could not be done ({detail}); trying the same again will not help."
        ).format(detail=detail)
    if isinstance(exc, StorageError):
        return translate(
            "Wording",
            "Keepsake had a problem with the place where your backup is stored ({detail}).",
        ).format(detail=detail)
    return None


def _os_error(exc: OSError) -> str:
    """The OS's own words (its strerror, in the language the OS speaks) and the file it names."""
    translate = QCoreApplication.translate
    reason = exc.strerror or str(exc) or exc.__class__.__name__
    if exc.filename is None:
        return translate("Wording", "This PC reported a problem: {reason}.").format(reason=reason)
    name = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else str(exc.filename)
    return translate("Wording", "There was a problem with {name}: {reason}.").format(
        name=name, reason=reason
    )
