"""Recovery kit: the key comes back with the passphrase or code, and only with them."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import KeepsakeError, WrongPassphrase
from app.core.keys import generate_master_key
from app.core.recoverykit import (
    FLOOR,
    InvalidKit,
    InvalidRecoveryCode,
    KdfParams,
    KitInfo,
    calibrate,
    export_kit,
    generate_recovery_code,
    import_kit,
    normalize_recovery_code,
    render_kit_page,
)

MASTER = generate_master_key()
INFO = KitInfo(
    set_id="00112233445566778899aabbccddeeff",
    account="anna@example.org",
    server="https://backup.example.org",
    created="2025-03-01T10:00:00Z",
)
PASSPHRASE = "correct horse battery staple café"
CODE = generate_recovery_code()


@pytest.fixture(scope="module")
def kit() -> bytes:
    return export_kit(MASTER, INFO, PASSPHRASE, params=FLOOR, recovery_code=CODE)


def _resign(kit: dict[str, Any]) -> bytes:
    """Re-compute the checksum, as a deliberate tamperer would."""
    body = {k: v for k, v in kit.items() if k != "check"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    kit["check"] = hashlib.sha256(canonical).hexdigest()
    return json.dumps(kit).encode()


def test_round_trip_with_passphrase(kit: bytes) -> None:
    assert import_kit(kit, PASSPHRASE) == (MASTER, INFO)


def test_round_trip_with_recovery_code_typed_sloppily(kit: bytes) -> None:
    sloppy = " " + CODE.lower().replace("-", " ").replace("o", "0") + "\n"
    assert import_kit(kit, sloppy) == (MASTER, INFO)


def test_passphrase_is_unicode_normalized(kit: bytes) -> None:
    decomposed = PASSPHRASE.replace("é", "e\u0301")  # looks the same, different code points
    assert decomposed != PASSPHRASE
    assert import_kit(kit, decomposed)[0] == MASTER


def test_wrong_passphrase_and_wrong_code(kit: bytes) -> None:
    with pytest.raises(WrongPassphrase):
        import_kit(kit, PASSPHRASE + "!")
    with pytest.raises(WrongPassphrase):
        import_kit(kit, generate_recovery_code())


def test_kit_without_code_opens_only_with_passphrase() -> None:
    plain = export_kit(MASTER, INFO, "just a passphrase", params=FLOOR)
    assert "code_kdf" not in json.loads(plain)
    with pytest.raises(WrongPassphrase):
        import_kit(plain, CODE)
    assert import_kit(plain, "just a passphrase")[0] == MASTER


def test_code_used_as_the_only_passphrase_can_be_typed_sloppily() -> None:
    code = generate_recovery_code()
    only_code = export_kit(MASTER, INFO, code, params=FLOOR)
    assert import_kit(only_code, code.lower().replace("-", " "))[0] == MASTER


def test_kit_reveals_no_key_material(kit: bytes) -> None:
    for form in (MASTER.hex(), base64.b64encode(MASTER).decode(), CODE, CODE.replace("-", "")):
        assert form.encode() not in kit
    assert PASSPHRASE.encode() not in kit


def test_flipped_character_is_reported_as_damage(kit: bytes) -> None:
    obj = json.loads(kit)
    sealed = obj["sealed"]
    obj["sealed"] = ("B" if sealed[5] == "A" else "A").join([sealed[:5], sealed[6:]])
    with pytest.raises(InvalidKit, match="damaged"):
        import_kit(json.dumps(obj).encode(), PASSPHRASE)


def test_edited_fields_are_caught_even_with_a_fixed_checksum(kit: bytes) -> None:
    # The AAD binds the server, so a kit cannot be re-pointed at a phishing service.
    obj = json.loads(kit)
    obj["server"] = "https://evil.example.net"
    with pytest.raises(WrongPassphrase):
        import_kit(_resign(obj), PASSPHRASE)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda k: k.pop("sealed"), "damaged"),
        (lambda k: k.update(nonce="***"), "damaged"),
        (lambda k: k.update(nonce=base64.b64encode(b"short").decode()), "damaged"),
        (lambda k: k["kdf"].update(alg="scrypt"), "damaged"),
        (lambda k: k["kdf"].update(t="3"), "damaged"),
        (lambda k: k["kdf"].update(m_kib=1024), "unsupported"),
        (lambda k: k["kdf"].update(m_kib=2**40), "unsupported"),
        (lambda k: k.update(account=None), "damaged"),
        (lambda k: k.update(version=9), "update Keepsake"),
        (lambda k: k.update(format="something-else"), "not a Keepsake recovery kit"),
    ],
)
def test_malformed_kits_get_a_clear_sentence(kit: bytes, edit: Any, message: str) -> None:
    obj = json.loads(kit)
    edit(obj)
    with pytest.raises(InvalidKit, match=message):
        import_kit(_resign(obj), PASSPHRASE)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00", b"[]", b"{}", b"hello", b'"kit"'])
def test_not_a_kit_at_all(data: bytes) -> None:
    with pytest.raises(InvalidKit, match="not a Keepsake recovery kit"):
        import_kit(data, PASSPHRASE)


def test_printable_page_explains_and_round_trips(kit: bytes) -> None:
    page = render_kit_page(kit, CODE)
    assert "gone for good" in page
    assert CODE in page and INFO.account in page and INFO.set_id in page
    assert all(len(line) <= 90 for line in page.splitlines())
    page.encode("ascii")  # printable anywhere
    # The page's text (or its block typed into a file) is accepted by import.
    assert import_kit(page.encode(), PASSPHRASE) == (MASTER, INFO)


def test_page_without_code_does_not_print_one(kit: bytes) -> None:
    page = render_kit_page(kit, None)
    assert CODE not in page and "passphrase" in page


def test_mistyped_page_block_is_reported(kit: bytes) -> None:
    page = render_kit_page(kit, None)
    lines = page.splitlines()
    i = lines.index("-----BEGIN KEEPSAKE RECOVERY KIT-----") + 2
    line = lines[i]
    lines[i] = line[:10] + ("x" if line[10] != "x" else "y") + line[11:]
    with pytest.raises(InvalidKit):
        import_kit("\n".join(lines).encode(), PASSPHRASE)


def test_export_refuses_weak_or_bad_input() -> None:
    with pytest.raises(ValueError):
        export_kit(MASTER, INFO, "", params=FLOOR)
    with pytest.raises(ValueError):
        export_kit(MASTER, INFO, "pw", params=KdfParams(1, 65536, 1))
    with pytest.raises(ValueError):
        export_kit(MASTER[:16], INFO, "pw", params=FLOOR)
    with pytest.raises(InvalidRecoveryCode):
        export_kit(MASTER, INFO, "pw", params=FLOOR, recovery_code="nope")


def test_calibrate_never_goes_below_the_floor() -> None:
    p = calibrate(0.001)
    assert p.time_cost >= FLOOR.time_cost
    assert p.memory_kib >= FLOOR.memory_kib
    assert p.parallelism >= FLOOR.parallelism


def test_recovery_codes_are_random_and_canonical() -> None:
    codes = [generate_recovery_code() for _ in range(200)]
    assert len(set(codes)) == 200
    for code in codes:
        assert normalize_recovery_code(code) == code
        assert len(code.replace("-", "")) == 26


@settings(max_examples=50)
@given(raw=st.binary(min_size=16, max_size=16), seps=st.lists(st.sampled_from(["", " ", "-"])))
def test_normalize_accepts_any_grouping_and_case(raw: bytes, seps: list[str]) -> None:
    compact = base64.b32encode(raw).decode().rstrip("=")
    typed = "".join(c + (seps[i] if i < len(seps) else "") for i, c in enumerate(compact.lower()))
    canonical = normalize_recovery_code(typed)
    assert canonical.replace("-", "") == compact


@pytest.mark.parametrize(
    "text",
    ["", "ABCDE", "A" * 27, "ABCDE-FGHIJ-KLMNO-PQRST-UVWX!Z", "A" * 25 + "B", "correct horse"],
)
def test_invalid_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidRecoveryCode) as info:
        normalize_recovery_code(text)
    assert isinstance(info.value, KeepsakeError) and isinstance(info.value, ValueError)
