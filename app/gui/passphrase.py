"""How strong a passphrase looks, as a score 0–4 and a word, for feedback while typing.

A rough estimate (length, variety, repeats, a few notorious choices), not a guarantee: the kit's
Argon2id makes every guess slow, and the feedback's job is to steer people away from "password1".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

MIN_LENGTH = 8
_NOTORIOUS = {
    "password",
    "keepsake",
    "qwerty",
    "123456",
    "letmein",
    "welcome",
    "iloveyou",
    "adgangskode",
    "kodeord",
    "sommer",
    "monkey",
    "dragon",
    "abc123",
}


@dataclass(frozen=True)
class Strength:
    score: int  # 0 too short / weak … 4 strong
    word: str
    acceptable: bool


def estimate_bits(text: str) -> float:
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() for c in text):
        pool += 33
    distinct = len(set(text))
    effective = min(len(text), distinct * 2)  # "aaaaaaaaaaaa" is not twelve characters of luck
    bits = effective * math.log2(max(pool, 1))
    lowered = text.lower()
    if any(word in lowered for word in _NOTORIOUS):
        bits /= 3
    return bits


def strength(text: str) -> Strength:
    translate = QCoreApplication.translate
    if len(text) < MIN_LENGTH:
        return Strength(
            0,
            translate("Passphrase", "Too short — use at least {n} characters").format(n=MIN_LENGTH),
            False,
        )
    bits = estimate_bits(text)
    if bits < 40:
        return Strength(1, translate("Passphrase", "Weak — add more words or characters"), True)
    if bits < 60:
        return Strength(2, translate("Passphrase", "Fair"), True)
    if bits < 80:
        return Strength(3, translate("Passphrase", "Good"), True)
    return Strength(4, translate("Passphrase", "Strong"), True)
