"""PySide6 views and the one Qt bridge to the engine. No backup logic lives here."""
