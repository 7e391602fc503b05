"""Installs the translations: Keepsake's own (resources/translations) and Qt's standard buttons.

English is a translation too: it carries the plural forms ("1 file", "2 files"), and it is the
fallback whenever the person's language is not shipped.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.gui.resources import resource_dir

SHIPPED = ("en", "da")


def install_translations(app: QCoreApplication, language: str = "") -> QLocale:
    """Load translators for `language` ("" = the system's) and make it the default locale."""
    locale = QLocale(language) if language else QLocale.system()
    if locale.name().split("_")[0] not in SHIPPED:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    folder = str(resource_dir() / "translations")
    own = QTranslator(app)
    if own.load(locale, "keepsake", "_", folder) or own.load("keepsake_en", folder):
        app.installTranslator(own)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", qt_folder):
        app.installTranslator(qt)
    return locale
