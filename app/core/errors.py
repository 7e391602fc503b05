"""Errors the engine raises; each one can be told to a person as one clear sentence."""

from __future__ import annotations


class KeepsakeError(Exception):
    """Base of every expected failure. `str(err)` is the sentence shown to the person."""


class IntegrityError(KeepsakeError):
    """Stored data failed authentication or does not match its id: never restored as wrong data."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"integrity error in {path}: {detail}")
        self.path = path
        self.detail = detail


class WrongPassphrase(KeepsakeError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase or recovery code")


class KeyNotFound(KeepsakeError):
    """No master key in this profile: run init or import a recovery kit."""


class UnsafePath(KeepsakeError):
    """A stored name would write outside the restore target; refused."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"refusing unsafe path {name!r}: {reason}")
        self.name = name
        self.reason = reason


class SnapshotChainError(KeepsakeError):
    """The service replayed, hid, reordered or forged snapshots."""


class NotFound(KeepsakeError):
    """A snapshot, path or object that was asked for does not exist."""


class StorageError(KeepsakeError):
    """Base for failures talking to where packs live."""


class Retryable(StorageError):
    """A transient failure (connection, timeout, 5xx): trying again may work."""


class Permanent(StorageError):
    """A failure that will not go away by retrying (4xx other than the specific ones below)."""


class ObjectMissing(Permanent):
    def __init__(self, name: str) -> None:
        super().__init__(f"object {name} is missing on the service")
        self.name = name


class AuthenticationFailed(Permanent):
    def __init__(self, detail: str = "the service did not accept the credentials") -> None:
        super().__init__(detail)


class SubscriptionLocked(Permanent):
    """HTTP 402: backup and restore are locked by the subscription state."""

    def __init__(self, reason: str, since: str | None, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.since = since


class QuotaExceeded(Permanent):
    def __init__(self, used: int, allowed: int, message: str | None = None) -> None:
        super().__init__(message or f"storage quota exceeded: {used} of {allowed} bytes used")
        self.used = used
        self.allowed = allowed


class CommitRejected(Permanent):
    """The service refused a commit (missing or expired pack, stale head)."""


class MissingPacks(CommitRejected):
    """The commit named packs the service does not hold (never uploaded, or expired)."""

    def __init__(self, packs: list[str], message: str | None = None) -> None:
        super().__init__(message or f"the service does not hold {len(packs)} pack(s) of the commit")
        self.packs = packs
