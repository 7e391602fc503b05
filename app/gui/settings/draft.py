"""The settings being edited: pages change `settings` and call `changed()`; a moment later the
draft is saved through the bridge (so typing in a field does not write the file per keystroke).

Only the fields changed here are saved, onto the settings as they are on disk at that moment:
the window stays open for a long time, and meanwhile a kit import, `keepsake folders add` or a
sign-out may have changed other fields, which a save of the whole old copy would undo."""

from __future__ import annotations

import copy
from dataclasses import fields
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.wording_errors import error_sentence
from app.settings import Settings

SAVE_DELAY_MS = 600


class Draft(QObject):
    loaded = Signal(object)  # Settings
    saved = Signal()
    failed = Signal(str)

    def __init__(
        self, controller: Controller, bridge: Bridge, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._bridge = bridge
        self.settings: Settings | None = None
        self._base: Settings | None = None  # as last loaded or saved: what "changed" is against
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)

    def load(self) -> None:
        self._bridge.run(
            self._controller.settings,
            self._loaded,
            lambda exc: self.failed.emit(error_sentence(exc)),
            owner=self,
        )

    def _loaded(self, settings: Settings) -> None:
        self._base = copy.deepcopy(settings)
        self.settings = settings
        self.loaded.emit(settings)

    def changed(self) -> None:
        if self.settings is not None:
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def save_now(self) -> None:
        self._timer.stop()
        if self.settings is None or self._base is None:
            return
        changes = changed_fields(self._base, self.settings)
        if not changes:
            self.saved.emit()
            return
        self._bridge.run(
            lambda: self._controller.update_settings(changes),
            lambda fresh: self._saved(changes, fresh),
            lambda exc: self.failed.emit(error_sentence(exc)),
            owner=self,
        )

    def _saved(self, sent: dict[str, Any], fresh: Settings) -> None:
        """Take what changed elsewhere; keep what was edited here while the save was on its way."""
        assert self.settings is not None and self._base is not None
        for name in (f.name for f in fields(Settings)):
            mine = getattr(self.settings, name)
            untouched = mine == sent[name] if name in sent else mine == getattr(self._base, name)
            if untouched:
                setattr(self.settings, name, copy.deepcopy(getattr(fresh, name)))
        self._base = copy.deepcopy(fresh)
        self.saved.emit()


def changed_fields(base: Settings, edited: Settings) -> dict[str, Any]:
    return {
        f.name: copy.deepcopy(getattr(edited, f.name))
        for f in fields(Settings)
        if getattr(edited, f.name) != getattr(base, f.name)
    }
