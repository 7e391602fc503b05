"""Whether uploading should wait: on battery or on a metered connection, where the platform tells.

The platform layer answers the questions; this module only applies the person's settings to the
answers. When the platform cannot tell (None), uploads go ahead.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Protocol

from app.settings import Settings

log = logging.getLogger(__name__)


class PowerAndNetwork(Protocol):
    def on_battery(self) -> bool | None: ...

    def metered(self) -> bool | None: ...


class CannotTell:
    def on_battery(self) -> bool | None:
        return None

    def metered(self) -> bool | None:
        return None


def platform_probe() -> PowerAndNetwork:
    """`app.platform.power` when this build has it, else a probe that cannot tell."""
    try:
        module = importlib.import_module("app.platform.power")
    except ImportError:
        return CannotTell()
    on_battery = getattr(module, "on_battery", None)
    metered = getattr(module, "metered", None)
    if not callable(on_battery) or not callable(metered):
        return CannotTell()
    return _Platform(on_battery, metered)


class _Platform:
    def __init__(
        self, on_battery: Callable[[], bool | None], metered: Callable[[], bool | None]
    ) -> None:
        self._on_battery = on_battery
        self._metered = metered

    def on_battery(self) -> bool | None:
        return self._on_battery()

    def metered(self) -> bool | None:
        return self._metered()


def upload_blocker(settings: Settings, probe: PowerAndNetwork) -> str | None:
    """Why uploads should wait now, as a short phrase; None when they may go ahead."""
    try:
        if settings.skip_on_battery and probe.on_battery():
            return "on battery power"
        if settings.skip_on_metered and probe.metered():
            return "on a metered connection"
    except Exception:
        log.exception("the power/network probe failed; uploading anyway")
    return None
