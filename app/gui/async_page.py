"""A wizard page whose Next runs a controller call on the bridge first, without freezing.

`validatePage` cannot wait, so the first press starts the work and says no; when the work
succeeds the page remembers it and presses Next itself. Failures show as a sentence on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWizard, QWizardPage

from app.gui.bridge import Bridge
from app.gui.wording_errors import error_sentence


class AsyncPage(QWizardPage):
    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self._passed = False
        self._running = False
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("error")
        self.message.hide()

    def work(self) -> Callable[[], Any] | None:
        """The blocking call to make before leaving the page (None: nothing to do)."""
        return None

    def done(self, result: Any) -> None:
        """Called on the UI thread with the call's result, before the wizard moves on."""

    def validatePage(self) -> bool:
        if self._passed:
            self._passed = False
            return True
        if self._running:
            return False
        fn = self.work()
        if fn is None:
            return True
        self._running = True
        self._set_busy(True)
        self.bridge.run(fn, self._succeeded, self._failed, owner=self)
        return False

    def _set_busy(self, busy: bool) -> None:
        wizard = self.wizard()
        if wizard is not None:
            for which in (
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.BackButton,
            ):
                wizard.button(which).setEnabled(not busy)
        self.setEnabled(not busy)
        if busy:
            self.message.setObjectName("muted")
            self.message.setText(QCoreApplication.translate("AsyncPage", "One moment…"))
            self.message.show()
            self._restyle()

    def _succeeded(self, result: Any) -> None:
        self._running = False
        self._set_busy(False)
        self.message.hide()
        self.done(result)
        self._passed = True
        wizard = self.wizard()
        if wizard is not None:  # both validate the page again, which now says yes
            if wizard.nextId() == -1:
                wizard.accept()
            else:
                wizard.next()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._set_busy(False)
        self.show_error(error_sentence(exc))

    def show_error(self, text: str) -> None:
        self.message.setObjectName("error")
        self.message.setText(text)
        self.message.show()
        self._restyle()

    def _restyle(self) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
