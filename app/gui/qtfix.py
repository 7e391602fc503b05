"""Shields the app from a PySide6 6.12 reference-counting bug on Python 3.11.

In PySide6 6.12, every Python-side `signal.emit(...)` drops one reference to `True` that it
never took. From Python 3.12 on, `True` is immortal and nothing happens; on 3.11 its count
reaches zero after a few hundred emits and the interpreter aborts ("bool_dealloc: deallocating
True or False"). The guard checks for the bug with a probe signal and, only when it is present,
gives `True` and `False` the same huge reference count that 3.12 gives immortal objects, so the
leak can never bring them to zero. With a fixed PySide6 or a newer Python it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_MARGIN = 1 << 40


def emit_leaks_true() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def guard_bool_refcounts() -> bool:
    """Apply the guard if this PySide6 needs it; True when it was applied."""
    if sys.version_info >= (3, 12) or not emit_leaks_true():
        return False
    for value in (True, False):
        count = ctypes.c_ssize_t.from_address(id(value))
        if count.value < IMMORTAL_MARGIN:
            count.value += IMMORTAL_MARGIN
    return True
