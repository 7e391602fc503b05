"""Wraps the master key in a recovery kit (file and printable page) and opens it again.

Without the PC's key or this kit (and its passphrase or recovery code), nobody can read a backup.

Format v1 (JSON, binary fields base64):
`{"format": "keepsake-recovery-kit", "version": 1, "set_id", "account", "server", "created",
"kdf": {"alg": "argon2id", "t", "m_kib", "p", "salt"}, "nonce", "sealed",
["code_kdf", "code_nonce", "code_sealed"], "check"}`.
Each wrapping is AES-256-GCM under Argon2id(secret, salt) with a random 12-byte nonce and
AAD = `b"keepsake-kit/v1|" + canonical JSON of {"set_id", "account", "server", "created", "kdf"}`
(that wrapping's kdf object), so no field can be edited unnoticed. Secrets: a passphrase is its
NFC-normalized UTF-8, or, when shaped like a recovery code, that code's canonical text
(`XXXXX-XXXXX-XXXXX-XXXXX-XXXXXX`); a recovery code is its 16 bytes. `check` is the SHA-256
(hex) of the canonical JSON of every other field: it tells a damaged or mistyped kit apart from
a wrong passphrase. Canonical JSON = sorted keys, no spaces, ASCII.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.errors import KeepsakeError, WrongPassphrase

FORMAT = "keepsake-recovery-kit"
VERSION = 1
KEY_SIZE = 32
SALT_SIZE = 16
NONCE_SIZE = 12
CODE_BYTES = 16
CODE_LENGTH = 26  # base32 characters for 128 bits
_AAD_PREFIX = b"keepsake-kit/v1|"
_BEGIN = "-----BEGIN KEEPSAKE RECOVERY KIT-----"
_END = "-----END KEEPSAKE RECOVERY KIT-----"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class InvalidKit(KeepsakeError):
    """The file is not a recovery kit, or it is damaged."""


class InvalidRecoveryCode(KeepsakeError, ValueError):
    def __init__(self) -> None:
        super().__init__(
            "that is not a recovery code: it has 26 letters and digits (2-7),"
            " like ABCDE-FGHIJ-KLMNO-PQRST-UVWXYZ"
        )


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int


FLOOR = KdfParams(3, 65536, 1)  # RFC 9106's second recommended option, one lane
MEMORY_CAP_KIB = 256 * 1024  # beyond this a low-end PC might fail to open its own kit
_LIMITS = KdfParams(64, 4 * 1024 * 1024, 16)  # refuse kits that would exhaust this PC


def _at_least_floor(p: KdfParams) -> bool:
    return (
        p.time_cost >= FLOOR.time_cost
        and p.memory_kib >= FLOOR.memory_kib
        and p.parallelism >= FLOOR.parallelism
    )


def _within_limits(p: KdfParams) -> bool:
    return (
        p.time_cost <= _LIMITS.time_cost
        and p.memory_kib <= _LIMITS.memory_kib
        and p.parallelism <= _LIMITS.parallelism
        and p.memory_kib >= 8 * p.parallelism
    )


def _derive(secret: bytes, salt: bytes, p: KdfParams) -> bytes:
    try:
        return hash_secret_raw(
            secret, salt, p.time_cost, p.memory_kib, p.parallelism, KEY_SIZE, Type.ID
        )
    except HashingError as exc:
        raise KeepsakeError(f"could not derive the key (not enough memory?): {exc}") from None


def calibrate(target_seconds: float = 1.0) -> KdfParams:
    """Argon2id parameters that take about `target_seconds` here; never below FLOOR.

    Memory grows first (it is what makes guessing costly on GPUs), up to MEMORY_CAP_KIB, then
    passes. One timed run at the floor is extrapolated linearly.
    """
    lanes = max(FLOOR.parallelism, min(4, os.cpu_count() or 1))
    base = KdfParams(FLOOR.time_cost, FLOOR.memory_kib, lanes)
    start = time.perf_counter()
    _derive(b"calibration", bytes(SALT_SIZE), base)
    elapsed = max(time.perf_counter() - start, 1e-6)
    factor = target_seconds / elapsed
    if factor <= 1:
        return base
    memory = min(MEMORY_CAP_KIB, int(base.memory_kib * factor) // 1024 * 1024)
    memory = max(memory, base.memory_kib)
    passes = max(base.time_cost, round(base.time_cost * factor * base.memory_kib / memory))
    return KdfParams(min(passes, _LIMITS.time_cost), memory, lanes)


def generate_recovery_code() -> str:
    """128 random bits as 26 base32 characters in groups, easy to read aloud and type."""
    return _format_code(secrets.token_bytes(CODE_BYTES))


def _format_code(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join([text[0:5], text[5:10], text[10:15], text[15:20], text[20:]])


def _code_bytes(text: str) -> bytes:
    compact = re.sub(r"[\s\-]", "", text).upper().translate(_LOOKALIKES)
    if len(compact) != CODE_LENGTH or any(c not in _B32 for c in compact):
        raise InvalidRecoveryCode()
    raw = base64.b32decode(compact + "======")
    if base64.b32encode(raw).decode("ascii").rstrip("=") != compact:
        raise InvalidRecoveryCode()  # the last character has unused bits that must be zero
    return raw


def _looks_like_code(text: str) -> bool:
    try:
        _code_bytes(text)
    except InvalidRecoveryCode:
        return False
    return True


def normalize_recovery_code(text: str) -> str:
    """The canonical form of a typed code: any case, spaces or dashes, 0/1/8 read as O/I/B.

    Raises InvalidRecoveryCode (a KeepsakeError and a ValueError) for anything else.
    """
    return _format_code(_code_bytes(text))


@dataclass(frozen=True)
class KitInfo:
    """Where the wrapped key belongs: enough to find the backup again on a new PC."""

    set_id: str
    account: str
    server: str
    created: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _aad(info: KitInfo, kdf: dict[str, Any]) -> bytes:
    fields = {
        "set_id": info.set_id,
        "account": info.account,
        "server": info.server,
        "created": info.created,
        "kdf": kdf,
    }
    return _AAD_PREFIX + _canonical(fields)


def _wrap(master: bytes, secret: bytes, info: KitInfo, p: KdfParams) -> dict[str, Any]:
    salt = secrets.token_bytes(SALT_SIZE)
    kdf = {
        "alg": "argon2id",
        "t": p.time_cost,
        "m_kib": p.memory_kib,
        "p": p.parallelism,
        "salt": _b64(salt),
    }
    nonce = secrets.token_bytes(NONCE_SIZE)
    sealed = AESGCM(_derive(secret, salt, p)).encrypt(nonce, master, _aad(info, kdf))
    return {"kdf": kdf, "nonce": _b64(nonce), "sealed": _b64(sealed)}


def _passphrase_secret(passphrase: str) -> bytes:
    """NFC, so the same passphrase typed on another keyboard or OS gives the same bytes.

    A passphrase shaped like a recovery code (a generated code used as the only secret) is
    taken in its canonical form, so it may be typed back in any case or grouping.
    """
    if _looks_like_code(passphrase):
        return normalize_recovery_code(passphrase).encode("ascii")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def export_kit(
    master: bytes,
    info: KitInfo,
    passphrase: str,
    *,
    params: KdfParams | None = None,
    recovery_code: str | None = None,
) -> bytes:
    """The kit file (JSON bytes): the master key wrapped by the passphrase, and by the code."""
    if not isinstance(master, bytes) or len(master) != KEY_SIZE:
        raise ValueError("master key must be 32 bytes")
    if not passphrase:
        raise ValueError("a recovery kit needs a passphrase")
    for value in (info.set_id, info.account, info.server, info.created):
        if not isinstance(value, str):
            raise ValueError("kit info fields must be text")
    code = None if recovery_code is None else _code_bytes(recovery_code)
    p = params if params is not None else calibrate()
    if not _at_least_floor(p) or not _within_limits(p):
        raise ValueError(f"key derivation parameters {p} are outside the allowed range")
    kit: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "set_id": info.set_id,
        "account": info.account,
        "server": info.server,
        "created": info.created,
    }
    kit.update(_wrap(master, _passphrase_secret(passphrase), info, p))
    if code is not None:
        wrapped = _wrap(master, code, info, p)
        kit.update({"code_" + k: v for k, v in wrapped.items()})
    kit["check"] = hashlib.sha256(_canonical(kit)).hexdigest()
    return (json.dumps(kit, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode()


def _extract_block(text: str) -> bytes | None:
    """The kit inside a printed page's BEGIN/END block, as typed or scanned back in."""
    start, end = text.find(_BEGIN), text.find(_END)
    if start < 0 or end < start:
        return None
    block = re.sub(r"\s", "", text[start + len(_BEGIN) : end])
    try:
        return base64.b64decode(block, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKit(
            "the recovery kit block could not be read: check it for typing mistakes"
        ) from None


def _load(data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidKit("this file is not a Keepsake recovery kit") from None
    block = _extract_block(text)
    if block is not None:
        return _load(block)
    try:
        kit = json.loads(text)
    except ValueError:
        raise InvalidKit("this file is not a Keepsake recovery kit") from None
    if not isinstance(kit, dict) or kit.get("format") != FORMAT:
        raise InvalidKit("this file is not a Keepsake recovery kit")
    if kit.get("version") != VERSION:
        raise InvalidKit(
            f"this recovery kit has format version {kit.get('version')!r}, which this version"
            " of Keepsake cannot read; please update Keepsake"
        )
    body = {k: v for k, v in kit.items() if k != "check"}
    if kit.get("check") != hashlib.sha256(_canonical(body)).hexdigest():
        raise InvalidKit(
            "the recovery kit is damaged or was mistyped (its checksum does not match)"
        )
    return kit


def _kit_info(kit: dict[str, Any]) -> KitInfo:
    values = [kit.get(k) for k in ("set_id", "account", "server", "created")]
    texts = [v for v in values if isinstance(v, str)]
    if len(texts) != len(values):
        raise InvalidKit("the recovery kit is damaged (missing backup set or account)")
    return KitInfo(*texts)


def _unb64(value: object, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise InvalidKit("the recovery kit is damaged (a field is missing)")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKit("the recovery kit is damaged (a field is not base64)") from None
    if size is not None and len(raw) != size:
        raise InvalidKit("the recovery kit is damaged (a field has the wrong length)")
    return raw


def _unwrap(kit: dict[str, Any], prefix: str, info: KitInfo, secret: bytes) -> bytes | None:
    """The master key, or None when the secret does not open this wrapping."""
    kdf = kit.get(prefix + "kdf")
    if not isinstance(kdf, dict) or kdf.get("alg") != "argon2id":
        raise InvalidKit("the recovery kit is damaged (unknown key derivation)")
    values = [kdf.get(k) for k in ("t", "m_kib", "p")]
    numbers = [n for n in values if isinstance(n, int) and not isinstance(n, bool)]
    if len(numbers) != len(values):
        raise InvalidKit("the recovery kit is damaged (bad key derivation parameters)")
    p = KdfParams(*numbers)
    if not _at_least_floor(p) or not _within_limits(p):
        raise InvalidKit(f"the recovery kit asks for unsupported key derivation costs {p}")
    salt = _unb64(kdf.get("salt"), SALT_SIZE)
    nonce = _unb64(kit.get(prefix + "nonce"), NONCE_SIZE)
    sealed = _unb64(kit.get(prefix + "sealed"), KEY_SIZE + 16)
    try:
        return AESGCM(_derive(secret, salt, p)).decrypt(nonce, sealed, _aad(info, kdf))
    except InvalidTag:
        return None


def import_kit(data: bytes, secret: str) -> tuple[bytes, KitInfo]:
    """Open a kit file (or a printed page's text) with the passphrase or the recovery code."""
    kit = _load(data)
    info = _kit_info(kit)
    attempts: list[tuple[str, bytes]] = []
    if "code_kdf" in kit and _looks_like_code(secret):
        attempts.append(("code_", _code_bytes(secret)))
    attempts.append(("", _passphrase_secret(secret)))
    for prefix, candidate in attempts:
        master = _unwrap(kit, prefix, info, candidate)
        if master is not None:
            return master, info
    raise WrongPassphrase()


def render_kit_page(data: bytes, recovery_code: str | None) -> str:
    """A plain-text page to print and keep: what it is, why it matters, and the kit itself."""
    kit = _load(data)
    info = _kit_info(kit)
    encoded = base64.b64encode(_canonical(kit)).decode("ascii")  # compact: less to type
    block = "\n".join(encoded[i : i + 64] for i in range(0, len(encoded), 64))
    lines = [
        "KEEPSAKE RECOVERY KIT",
        "=====================",
        "",
        "This page holds the encryption key of your Keepsake backup, locked with your",
        "passphrase" + (" and with the recovery code printed below." if recovery_code else "."),
        "Your files are encrypted on your PC before they are uploaded; Keepsake never has",
        "the key and cannot reset it.",
        "",
        "IMPORTANT: if this PC is lost and you have neither its key nor this kit (with its",
        "passphrase or recovery code), your backed-up files are gone for good. Nobody,",
        "not even Keepsake, can recover them.",
        "",
        f"Backup set:  {info.set_id}",
        f"Account:     {info.account}",
        f"Service:     {info.server}",
        f"Created:     {info.created}",
        "",
    ]
    if recovery_code is not None:
        lines += [
            f"Recovery code:  {normalize_recovery_code(recovery_code)}",
            "",
            "Anyone with this page can read your backup: keep it as safe as a passport.",
            "",
        ]
    else:
        lines += [
            "This page is useless without your passphrase. Do not write the passphrase here.",
            "",
        ]
    lines += [
        "To restore on a new PC: install Keepsake, choose to restore with a recovery kit",
        "(or run `keepsake key import FILE`), give it the kit file or the block below",
        "typed into a text file, then enter your passphrase or recovery code.",
        "",
        _BEGIN,
        block,
        _END,
        "",
    ]
    return "\n".join(lines)
