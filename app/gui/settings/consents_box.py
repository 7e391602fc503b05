"""What the person agreed to, one check box per consent: each saves at once.

The service keeps the account's consent flags (so they are in the person's export and can be
proven); this PC follows the `telemetry` one in its own settings. With a service that has no
consent flags, or none reachable, the usage statistics box is this PC's setting alone and says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.controller import Consent, Controller
from app.core.errors import Retryable
from app.gui.bridge import Bridge
from app.gui.settings.draft import Draft
from app.gui.wording_errors import error_sentence
from app.settings import Settings

TELEMETRY = "telemetry"


class ConsentsBox(QGroupBox):
    def __init__(
        self, controller: Controller, bridge: Bridge, draft: Draft, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What you agree to"))
        self._controller = controller
        self._bridge = bridge
        self.draft = draft
        self.on_service = False  # True once the service's flags are shown
        self.checks: dict[str, QCheckBox] = {}
        self._layout = QVBoxLayout(self)
        self.telemetry = self._add(TELEMETRY)
        self.note = QLabel(self)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self._layout.addWidget(self.note)
        self._showing = False
        draft.loaded.connect(self.show_settings)

    def words(self, name: str, meaning: str = "") -> str:
        known = {
            TELEMETRY: self.tr("Send anonymous usage and crash reports to help improve Keepsake"),
            "product_news_email": self.tr("E-mail me news about Keepsake"),
        }
        if name in known:
            return known[name]
        text = meaning or name.replace("_", " ")
        return text[:1].upper() + text[1:]

    def _add(self, name: str, meaning: str = "") -> QCheckBox:
        box = QCheckBox(self.words(name, meaning), self)
        box.toggled.connect(lambda on, name=name: self._toggled(name, on))
        self._layout.insertWidget(len(self.checks), box)
        self.checks[name] = box
        return box

    # -- loading ---------------------------------------------------------------------------------

    def show_settings(self, settings: Settings) -> None:
        if self.on_service:
            self._follow_telemetry()  # the account's choice arrived first: this PC follows it
        else:
            self._set(TELEMETRY, settings.telemetry_consent)

    def load(self) -> None:
        """Ask the service for the account's flags; until it answers, this PC's setting shows."""
        self._bridge.run(self._controller.consents, self.show_consents, self._no_flags, owner=self)

    def show_consents(self, flags: tuple[Consent, ...]) -> None:
        self.on_service = True
        for flag in flags:
            if flag.name not in self.checks:
                self._add(flag.name, flag.meaning)
            self._set(flag.name, flag.granted)
        self.note.setText(self.tr("Saved with your Keepsake account as soon as you change them."))
        self._follow_telemetry()

    def _no_flags(self, exc: BaseException) -> None:
        """No flags to show: an older service, not signed in, or the service out of reach."""
        self.on_service = False
        if isinstance(exc, Retryable):
            self.note.setText(
                self.tr("This choice is saved on this PC for now. {reason}").format(
                    reason=error_sentence(exc)
                )
            )
        else:
            self.note.setText(self.tr("This choice is saved on this PC."))

    def _set(self, name: str, granted: bool) -> None:
        self._showing = True
        self.checks[name].setChecked(granted)
        self._showing = False

    # -- saving ----------------------------------------------------------------------------------

    def _toggled(self, name: str, on: bool) -> None:
        if self._showing:
            return
        if name == TELEMETRY:
            self._follow_telemetry()
        if not self.on_service:
            return
        box = self.checks[name]
        box.setEnabled(False)
        self.note.setText(self.tr("Saving…"))
        self._bridge.run(
            lambda: self._controller.set_consent(name, on),
            self._saved,
            lambda exc: self._not_saved(name, on, exc),
            owner=self,
        )

    def _saved(self, flags: tuple[Consent, ...]) -> None:
        for flag in flags:
            if flag.name in self.checks:
                self._set(flag.name, flag.granted)
                self.checks[flag.name].setEnabled(True)
        self.note.setText(self.tr("Saved."))

    def _not_saved(self, name: str, on: bool, exc: BaseException) -> None:
        self._set(name, not on)
        self.checks[name].setEnabled(True)
        if name == TELEMETRY:
            self._follow_telemetry()
        self.note.setText(self.tr("Not saved: {reason}").format(reason=error_sentence(exc)))

    def _follow_telemetry(self) -> None:
        """This PC sends usage reports only when the box is ticked: keep its setting in step."""
        settings = self.draft.settings
        on = self.telemetry.isChecked()
        if settings is not None and settings.telemetry_consent != on:
            settings.telemetry_consent = on
            self.draft.changed()
