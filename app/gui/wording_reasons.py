"""The engine's reasons in the person's language: why a file was left out, could not be read, or
could not be restored.

The engine (no Qt) words its reasons in English, sometimes with a detail from the OS or the
person's own pattern: "cannot examine it: permission denied; not backed up", "matches your
exclusion pattern '*.iso'". The known ones are translated here, piece by piece; anything else
is shown as the engine wrote it rather than hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def _exact() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        # What the backup report says about what it left out on purpose (app/protect/exclude.py).
        "Keepsake's own data folder": translate("Reasons", "Keepsake's own data folder"),
        "Office lock file": translate("Reasons", "Office lock file"),
        "LibreOffice lock file": translate("Reasons", "LibreOffice lock file"),
        "editor lock file": translate("Reasons", "editor lock file"),
        "temporary file": translate("Reasons", "temporary file"),
        "editor swap file": translate("Reasons", "editor swap file"),
        "unfinished download": translate("Reasons", "unfinished download"),
        "Windows thumbnail cache": translate("Reasons", "Windows thumbnail cache"),
        "macOS folder view settings": translate("Reasons", "macOS folder view settings"),
        "macOS resource fork copy": translate("Reasons", "macOS resource fork copy"),
        "cache folder": translate("Reasons", "cache folder"),
        "thumbnail cache": translate("Reasons", "thumbnail cache"),
        "downloaded program packages (can be fetched again)": translate(
            "Reasons", "downloaded program packages (can be fetched again)"
        ),
        "trash folder": translate("Reasons", "trash folder"),
        "recycle bin": translate("Reasons", "recycle bin"),
        "system folder": translate("Reasons", "system folder"),
        "not a regular file, folder or link": translate(
            "Reasons", "not a regular file, folder or link"
        ),
        "still being written": translate("Reasons", "still being written"),
        "backed up once it settles": translate("Reasons", "backed up once it settles"),
        "it already exists": translate("Reasons", "it already exists"),
        "left as it is": translate("Reasons", "left as it is"),
        # Why a file could not be read (backup) or written (restore).
        "permission denied": translate("Reasons", "permission denied"),
        "it kept changing while being read": translate(
            "Reasons", "it kept changing while being read"
        ),
        "it disappeared before it could be read": translate(
            "Reasons", "it disappeared before it could be read"
        ),
        "it is no longer a regular file": translate("Reasons", "it is no longer a regular file"),
        "its name cannot be stored (invalid characters)": translate(
            "Reasons", "its name cannot be stored (invalid characters)"
        ),
        "its target cannot be stored (invalid characters)": translate(
            "Reasons", "its target cannot be stored (invalid characters)"
        ),
        "a folder is in the way": translate("Reasons", "a folder is in the way"),
        "a folder with that name is in the way": translate(
            "Reasons", "a folder with that name is in the way"
        ),
        "a symlink is in the way": translate("Reasons", "a symlink is in the way"),
        # What happened to the file in the backup.
        "not backed up": translate("Reasons", "not backed up"),
        "kept the previous version": translate("Reasons", "kept the previous version"),
    }


def _patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    translate = QCoreApplication.translate
    return [
        (
            re.compile(r"matches your exclusion pattern (?P<pattern>.+)"),
            lambda m: translate("Reasons", "matches your exclusion pattern {pattern}").format(
                pattern=m["pattern"]
            ),
        ),
        (
            re.compile(r"larger than the (?P<size>\d+) MB size limit"),
            lambda m: translate("Reasons", "larger than the {size} MB size limit").format(
                size=m["size"]
            ),
        ),
        (
            re.compile(r"cannot examine it: (?P<why>.+)"),
            lambda m: translate("Reasons", "cannot examine it: {why}").format(why=_piece(m["why"])),
        ),
        (
            re.compile(r"cannot list the folder: (?P<why>.+)"),
            lambda m: translate("Reasons", "cannot list the folder: {why}").format(
                why=_piece(m["why"])
            ),
        ),
        (
            re.compile(r"cannot open the folder: (?P<why>.+)"),
            lambda m: translate("Reasons", "cannot open the folder: {why}").format(
                why=_piece(m["why"])
            ),
        ),
        (
            # The name is the file the person sees on the same line; the reason is what counts.
            re.compile(r"refusing unsafe path '.*': (?P<why>.+)"),
            lambda m: translate("Reasons", "not restored: {why}").format(why=_piece(m["why"])),
        ),
        (
            re.compile(r"integrity error in .*?: (?P<detail>.+)"),
            lambda m: translate(
                "Reasons", "the backed-up data is damaged or missing ({detail})"
            ).format(detail=m["detail"]),
        ),
        (
            re.compile(r"cannot read the link: (?P<why>.+)"),
            lambda m: translate("Reasons", "cannot read the link: {why}").format(
                why=_piece(m["why"])
            ),
        ),
    ]


def reason_sentence(text: str) -> str:
    """The engine's reason, translated where it is known: each "; "-separated part on its own
    ("permission denied; not backed up"), the person's pattern or the OS detail kept as is."""
    return "; ".join(_piece(part) for part in text.split("; "))


def _piece(text: str) -> str:
    exact = _exact().get(text)
    if exact is not None:
        return exact
    for pattern, word in _patterns():
        match = pattern.fullmatch(text)
        if match is not None:
            return word(match)
    return text


def service_refusal(text: str) -> str | None:
    """The service's refusals of a password (at sign-up or a change), in the person's language;
    None for any other text. The service words them in English and sends no code for them."""
    translate = QCoreApplication.translate
    if m := re.search(r"the password must be at least (\d+) characters long", text):
        return translate("Reasons", "The password must be at least {n} characters long.").format(
            n=m[1]
        )
    if m := re.search(r"the password may be at most (\d+) characters long", text):
        return translate("Reasons", "The password may be at most {n} characters long.").format(
            n=m[1]
        )
    if "one of the most commonly used" in text:
        return translate(
            "Reasons",
            "That password is one of the most commonly used ones and easy to guess; choose "
            "another (a few unrelated words make a good one).",
        )
    return None
