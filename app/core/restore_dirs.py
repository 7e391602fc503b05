"""Folders being restored into, and what to do when a restored name already exists.

A folder stays open (as a dir fd) while anything in it is pending and gets its own mode and mtime
back only when its last entry is written, so deferred, batched file writes still leave every
folder with its original times.
"""

from __future__ import annotations

import contextlib
import threading
from enum import StrEnum

from app.core.safepath import SafeDir
from app.core.tree import Node

_HANDLE_LOCK = threading.Lock()


class Conflict(StrEnum):
    OVERWRITE = "overwrite"
    KEEP_BOTH = "keep-both"
    SKIP = "skip"


def keep_both_name(name: str, stamp: str, n: int = 1) -> str:
    """'report.pdf' -> 'report (restored 2026-11-23 1030).pdf' (then '... 1030 2).pdf')."""
    stem, dot, ext = name.rpartition(".")
    if not stem:  # no extension, or a dot file like '.bashrc'
        stem, dot, ext = name, "", ""
    suffix = f" (restored {stamp}{'' if n == 1 else f' {n}'})"
    return f"{stem}{suffix}{dot}{ext}"


class DirHandle:
    """An open folder being restored; gets its mode and mtime once nothing in it is pending."""

    def __init__(
        self, safe: SafeDir, parent: DirHandle | None, name: str | None, node: Node | None
    ) -> None:
        self.safe, self.parent, self.name, self.node = safe, parent, name, node
        self._refs = 1
        if parent is not None:
            parent.hold()

    def hold(self) -> None:
        with _HANDLE_LOCK:
            self._refs += 1

    def release(self) -> None:
        with _HANDLE_LOCK:
            self._refs -= 1
            done = self._refs == 0
        if not done:
            return
        self.safe.close()
        if self.parent is not None:
            if self.node is not None and self.name is not None:
                # contents are restored; a folder's own times are not worth a failure
                with contextlib.suppress(OSError):
                    self.parent.safe.set_dir_attrs(
                        self.name, mode=self.node.mode, mtime_ns=self.node.mtime_ns
                    )
            self.parent.release()
