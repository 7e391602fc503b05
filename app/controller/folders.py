"""Which folders to protect: what the first-run wizard ticks, and how big a folder is.

Adding up sizes is bounded by a time budget, so a huge folder on a slow disk shows "at least ..."
instead of freezing the wizard's page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.profile import Profile
from app.protect.folders import default_folders

FOLDER_SIZE_BUDGET_S = 3.0  # a size that takes longer to add up is shown as "at least ..."


@dataclass(frozen=True)
class FolderSize:
    path: str
    size: int
    complete: bool  # False: adding up took too long; the real size is larger


def suggested_folders(profile: Profile) -> list[str]:
    """The folders already chosen (e.g. brought in by a recovery kit), else Documents and
    Pictures: what the first-run wizard ticks."""
    return list(profile.load().folders) or default_folders()


def folder_size(
    path: str, *, budget_s: float, clock: Callable[[], float] | None = None
) -> FolderSize:
    """Add up a folder's file sizes, giving up (complete=False) after `budget_s` seconds."""
    now = clock or time.monotonic
    deadline = now() + budget_s
    total, stack = 0, [path]
    while stack:
        if now() > deadline:
            return FolderSize(path, total, False)
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return FolderSize(path, total, True)
