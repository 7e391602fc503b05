"""Every expected failure reaches the person as a sentence in their language: each error class
has its own translated sentence, the English of the engine, the service or the OS survives only
as a detail where it tells something (which file, what the OS said), and an error class the app
does not word yet fails here."""

from __future__ import annotations

import errno
import importlib
import os
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import app
from app.commands.io import InputError
from app.controller import (
    NOT_ACCEPTED,
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
from app.core.recoverykit import InvalidKit, InvalidRecoveryCode
from app.core.runlock import AlreadyRunning
from app.gui.wording_errors import error_sentence
from app.storage.http import NotSent, ServiceUnavailable

DANISH_FALLBACK = "Keepsake kunne ikke gøre det: "

# Errors that never reach a window: only the terminal commands raise them.
TERMINAL_ONLY: set[type[KeepsakeError]] = {InputError}

# One instance of every error class, as the engine, the service or the app raise it, and the
# part of its English that the person's sentence keeps (None: the sentence says it all).
CASES: list[tuple[KeepsakeError, str | None]] = [
    (WrongPassphrase(), None),
    (AuthenticationFailed("the e-mail address or password is wrong"), None),
    (SubscriptionLocked("payment_overdue", None, "backup and restore are locked"), None),
    (QuotaExceeded(900, 1000), None),
    (Retryable("could not list snapshots: the connection to example.org was lost"), "example.org"),
    (NotSent("could not sign in: example.org cannot be reached"), "example.org cannot be reached"),
    (ServiceUnavailable(503, "could not commit: the service is busy"), "the service is busy"),
    (IntegrityError("packs/0a1b", "authentication failed"), "authentication failed"),
    (KeyNotFound("the backup key is missing from this PC's keychain"), None),
    (
        UnsafePath("/home/anna/Restored/report.txt", "a folder with that name is in the way"),
        "/home/anna/Restored/report.txt",
    ),
    (
        SnapshotChainError("the service lists snapshot #3 (0a1b) twice"),
        "the service lists snapshot #3 (0a1b) twice",
    ),
    (NotFound("no snapshot at or before 2026-01-01"), "no snapshot at or before 2026-01-01"),
    (ObjectMissing("pack 0a1b2c3d"), "pack 0a1b2c3d"),
    (MissingPacks(["0a", "1b"], "2 pack(s) of the commit are missing"), None),
    (
        CommitRejected("snapshot 0a1b was already committed"),
        "snapshot 0a1b was already committed",
    ),
    (
        Permanent("the TLS certificate of example.org is not trusted"),
        "the TLS certificate of example.org is not trusted",
    ),
    (StorageError("the storage folder is gone"), "the storage folder is gone"),
    (
        ServiceRefused(400, "bad_request", "a name must not contain control characters"),
        "a name must not contain control characters",
    ),
    (
        ServiceRefused(403, "device_limit", "this plan allows 3 device(s) and all are in use"),
        None,
    ),
    (
        KeystoreError("the keychain could not be read (KeyringLocked)"),
        "the keychain could not be read (KeyringLocked)",
    ),
    (AutostartError("cannot write the sign-in entry: permission denied"), "permission denied"),
    (NotLoggedIn(), None),
    (NotInitialised(), None),
    (ServiceLacksFeature("the Keepsake service cannot export your data yet"), None),
    (PasswordRefused(WRONG_CURRENT, "the current password is wrong"), None),
    (
        PasswordRefused(NOT_ACCEPTED, "the password must not be the e-mail address"),
        "the password must not be the e-mail address",
    ),
    (AlreadyRunning("another backup of these folders is running on this PC"), None),
    (
        InvalidKit("this recovery kit has format version 9; please update Keepsake"),
        "this recovery kit has format version 9; please update Keepsake",
    ),
    (InvalidRecoveryCode(), "ABCDE-FGHIJ-KLMNO-PQRST-UVWXYZ"),
]


@pytest.mark.parametrize(
    ("exc", "detail"), CASES, ids=[type(exc).__name__ + str(i) for i, (exc, _) in enumerate(CASES)]
)
def test_every_error_has_its_own_danish_sentence(
    in_danish: Callable[..., Any], exc: KeepsakeError, detail: str | None
) -> None:
    english = error_sentence(exc)
    danish = in_danish(error_sentence, exc)
    assert danish != english, "not translated"
    assert danish != str(exc) and english != str(exc), "the engine's English shown as it is"
    assert not danish.startswith(DANISH_FALLBACK), "worded by the generic fallback"
    if detail is None:
        assert str(exc) not in danish
    else:
        assert detail in danish and detail in english


def test_every_error_class_of_the_app_is_worded() -> None:
    """A new KeepsakeError subclass anywhere in the app fails here until it has a sentence."""
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)

    def subclasses(kind: type[KeepsakeError]) -> Iterator[type[KeepsakeError]]:
        for sub in kind.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {kind for kind in subclasses(KeepsakeError) if kind.__module__.startswith("app.")}
    worded = {type(exc) for exc, _ in CASES}
    assert found - worded - TERMINAL_ONLY == set()


def test_subclasses_are_worded_before_their_bases(in_danish: Callable[..., Any]) -> None:
    missing = in_danish(error_sentence, MissingPacks(["0a"], "1 pack(s) missing"))
    rejected = in_danish(error_sentence, CommitRejected("1 pack(s) missing"))
    permanent = in_danish(error_sentence, Permanent("1 pack(s) missing"))
    storage = in_danish(error_sentence, StorageError("1 pack(s) missing"))
    assert len({missing, rejected, permanent, storage}) == 4
    assert in_danish(error_sentence, ObjectMissing("x")) != in_danish(
        error_sentence, Permanent("x")
    )


def test_an_unsafe_path_keeps_the_name_and_translates_the_reason(
    in_danish: Callable[..., Any],
) -> None:
    exc = UnsafePath("/home/anna/Restored/report.txt", "a folder with that name is in the way")
    danish = in_danish(error_sentence, exc)
    assert "/home/anna/Restored/report.txt" in danish
    assert "en mappe med det navn står i vejen" in danish
    assert "a folder with that name" not in danish


def test_the_services_password_rules_come_before_the_general_refusal(
    in_danish: Callable[..., Any],
) -> None:
    exc = PasswordRefused(NOT_ACCEPTED, "the password must be at least 8 characters long")
    assert in_danish(error_sentence, exc) == "Adgangskoden skal være mindst 8 tegn lang."


def test_an_unknown_keepsake_error_gets_the_danish_lead_and_keeps_its_words(
    in_danish: Callable[..., Any],
) -> None:
    exc = KeepsakeError("a PC needs a name")
    assert in_danish(error_sentence, exc) == DANISH_FALLBACK + "a PC needs a name"
    assert error_sentence(exc) == "Keepsake could not do that: a PC needs a name"


def test_an_os_error_keeps_the_oss_own_words_and_the_file(in_danish: Callable[..., Any]) -> None:
    strerror = os.strerror(errno.EACCES)
    exc = PermissionError(errno.EACCES, strerror, "/home/anna/Documents/tax.pdf")
    danish = in_danish(error_sentence, exc)
    assert danish == f"Der opstod et problem med /home/anna/Documents/tax.pdf: {strerror}."
    assert (
        error_sentence(exc) == f"There was a problem with /home/anna/Documents/tax.pdf: {strerror}."
    )
    assert "[Errno" not in danish


def test_an_os_error_without_a_file_keeps_the_oss_words(in_danish: Callable[..., Any]) -> None:
    strerror = os.strerror(errno.ENOSPC)
    danish = in_danish(error_sentence, OSError(errno.ENOSPC, strerror))
    assert danish == f"Pc'en meldte om et problem: {strerror}."
    assert error_sentence(OSError(errno.ENOSPC, strerror)) == (
        f"This PC reported a problem: {strerror}."
    )


def test_a_failed_protection_run_is_worded_from_the_error_itself(
    in_danish: Callable[..., Any],
) -> None:
    """The protector's state carries the failure (not only its English message), so the status
    line and the notification say it in the person's language, with when it is tried again."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from app.gui.wording_status import summarize
    from app.protect.runner import _caused
    from app.protect.state import Phase, ProtectionState

    now = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    disk = OSError(errno.ENOSPC, "No space left on device", "/home/anna/.keepsake/index.db")
    failed = replace(
        ProtectionState.initial(),
        phase=Phase.ERROR,
        last_success=now - timedelta(hours=1),
        message="No space left on device (/home/anna/.keepsake/index.db) — will retry in 5 min",
        error=_caused("No space left on device (/home/anna/.keepsake/index.db)", disk),
        retry_at=now + timedelta(minutes=5),
    )
    english = summarize(failed, now)
    danish = in_danish(summarize, failed, now)
    assert english.sentence == "Needs attention — the last backup failed"  # also the tooltip
    assert danish.sentence == "Kræver opmærksomhed — den seneste backup mislykkedes"
    assert "will retry" not in danish.sentence + danish.detail
    assert "No space left on device" in danish.detail  # the OS's own words, as a detail
    assert "index.db" in danish.detail
    assert "Keepsake tries again" in english.detail and "Keepsake prøver igen" in danish.detail

    stopped = replace(
        failed, error=None, retry_at=None, message="Protection stopped after an error"
    )
    worded = in_danish(summarize, stopped, now)
    assert "beskyttelsen stoppede" in worded.sentence and "Afslut Keepsake" in worded.detail
