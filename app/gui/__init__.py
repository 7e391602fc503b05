"""PySide6 views and the one Qt bridge to the engine. No backup logic lives here."""

from app.gui.qtfix import guard_bool_refcounts

guard_bool_refcounts()
