"""English and Danish ship: every text in app/gui is in both .ts files, Danish is complete and
keeps its placeholders, the compiled .qm files match the .ts files, and windows really switch."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from pytestqt.qtbot import QtBot

from app.gui.resources import resource_dir
from app.gui.wording import ago

REPO = Path(__file__).resolve().parents[2]
FOLDER = resource_dir() / "translations"
PLACEHOLDER = re.compile(r"\{\w+\}|%n|&&")


def messages(ts: Path) -> list[tuple[str, str, bool, list[str]]]:
    found = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [f.text or "" for f in translation.iter("numerusform")]
            if not forms:
                forms = [translation.text or ""]
            numerus = message.get("numerus") == "yes"
            unfinished = translation.get("type") == "unfinished"
            found.append(
                (name, message.findtext("source") or "", numerus, [] if unfinished else forms)
            )
    return found


@pytest.fixture
def language(qapp: object) -> Iterator[callable]:  # type: ignore[valid-type]
    installed: list[QTranslator] = []
    app = QCoreApplication.instance()

    def use(code: str) -> None:
        translator = QTranslator()
        assert translator.load(str(FOLDER / f"keepsake_{code}.qm"))
        app.installTranslator(translator)
        installed.append(translator)

    yield use
    for translator in installed:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_the_ts_files_hold_every_text_of_the_app(tmp_path: Path) -> None:
    files = sorted(str(p) for p in (REPO / "app" / "gui").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(PySide6.__file__).parent / "lupdate"
    subprocess.run(
        [str(lupdate), *files, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    wanted = {(c, s) for c, s, _n, _f in messages(fresh)}
    for code in ("en", "da"):
        shipped = {(c, s) for c, s, _n, _f in messages(FOLDER / f"keepsake_{code}.ts")}
        assert wanted - shipped == set(), f"keepsake_{code}.ts lacks texts: run lupdate"


def test_danish_is_complete_and_keeps_every_placeholder() -> None:
    for context, source, numerus, forms in messages(FOLDER / "keepsake_da.ts"):
        assert forms and all(forms), f"{context}: {source!r} is not translated"
        if numerus:
            assert len(forms) == 2
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (
                f"{context}: {form!r} does not keep the placeholders of {source!r}"
            )


def test_the_compiled_danish_matches_the_ts(language) -> None:  # type: ignore[no-untyped-def]
    language("da")
    for context, source, numerus, forms in messages(FOLDER / "keepsake_da.ts"):
        if numerus:
            got = QCoreApplication.translate(context, source, None, 5)
            assert got == forms[1].replace("%n", "5")
        else:
            assert QCoreApplication.translate(context, source) == forms[0]


def test_english_plurals_read_naturally(language) -> None:  # type: ignore[no-untyped-def]
    language("en")
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(minutes=1), now) == "1 minute ago"
    assert ago(now - timedelta(minutes=2), now) == "2 minutes ago"
    assert ago(now - timedelta(days=3), now) == "3 days ago"


def test_windows_speak_danish_when_danish_is_chosen(  # type: ignore[no-untyped-def]
    qtbot: QtBot, language, controller
) -> None:
    from app.gui.account_watch import AccountWatch
    from app.gui.actions import Actions
    from app.gui.bridge import Bridge
    from app.gui.settings.window import SettingsWindow

    language("da")
    bridge = Bridge()
    actions = Actions(controller, bridge)
    assert actions.back_up_now.text() == "Tag backup nu"
    window = SettingsWindow(controller, bridge, AccountWatch(controller, bridge))
    qtbot.addWidget(window)
    sides = [window.side.item(i).text() for i in range(window.side.count())]
    assert sides == ["Mapper", "Tidsplan", "Netværk", "Konto", "Sikkerhed", "Privatliv", "Om"]
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(minutes=1), now) == "for 1 minut siden"
    assert ago(now - timedelta(hours=5), now) == "for 5 timer siden"
    bridge.wait_idle()
