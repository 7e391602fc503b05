"""The engine's English reasons reach the person in their language, with details kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from app.gui.wording_reasons import reason_sentence, service_refusal

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "translations"


@pytest.fixture
def danish(qapp: object) -> Iterator[None]:
    app = QCoreApplication.instance()
    assert app is not None
    translator = QTranslator()
    assert translator.load(str(FOLDER / "keepsake_da.qm"))
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)


@pytest.mark.parametrize(
    ("engine", "danish_text"),
    [
        ("Office lock file", "Office-låsefil"),
        ("permission denied; not backed up", "adgang nægtet; ikke sikkerhedskopieret"),
        (
            "cannot examine it: permission denied; kept the previous version",
            "kan ikke undersøges: adgang nægtet; den forrige version er bevaret",
        ),
        ("matches your exclusion pattern '*.iso'", "passer med dit udeladelsesmønster '*.iso'"),
        ("larger than the 2048 MB size limit", "større end grænsen på 2048 MB"),
        (
            "refusing unsafe path '/home/anna/Restored/report.txt': a folder is in the way",
            "ikke gendannet: en mappe står i vejen",
        ),
        ("it already exists; left as it is", "den findes allerede; blev ikke rørt"),
        (
            "still being written; backed up once it settles",
            "bliver stadig skrevet; sikkerhedskopieres, når den er færdig",
        ),
    ],
)
def test_known_reasons_are_translated(danish: None, engine: str, danish_text: str) -> None:
    assert reason_sentence(engine) == danish_text


def test_an_unknown_reason_or_os_detail_is_shown_as_the_engine_wrote_it(danish: None) -> None:
    assert reason_sentence("Input/output error; not backed up") == (
        "Input/output error; ikke sikkerhedskopieret"
    )
    assert reason_sentence("something new") == "something new"


def test_in_english_the_reasons_read_as_the_engine_wrote_them(qapp: object) -> None:
    text = "cannot list the folder: permission denied; kept the previous version"
    assert reason_sentence(text) == text


def test_every_exclusion_preset_has_a_translated_reason(danish: None) -> None:
    from app.protect.exclude import OWN_DATA, PRESETS

    for reason in {why for _pattern, why in PRESETS} | {OWN_DATA}:
        assert reason_sentence(reason) != reason, reason


def test_the_services_password_refusals_are_translated(danish: None) -> None:
    said = "could not change the password: the password must be at least 8 characters long"
    assert service_refusal(said) == "Adgangskoden skal være mindst 8 tegn lang."
    common = service_refusal("that password is one of the most commonly used ones and easy")
    assert common is not None and common.startswith("Den adgangskode er en af de mest brugte")
    assert service_refusal("the e-mail address is already in use") is None
