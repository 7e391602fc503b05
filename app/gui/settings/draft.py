"""The settings being edited: pages change `settings` and call `changed()`; a moment later the
draft is saved through the bridge (so typing in a field does not write the file per keystroke)."""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import Controller
from app.gui.bridge import Bridge
from app.gui.wording import error_sentence
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
        if self.settings is None:
            return
        snapshot = copy.deepcopy(self.settings)
        self._bridge.run(
            lambda: self._controller.save_settings(snapshot),
            lambda _s: self.saved.emit(),
            lambda exc: self.failed.emit(error_sentence(exc)),
            owner=self,
        )
