"""Which folders a person protects by default: their Documents and Pictures, where they exist."""

from __future__ import annotations

import os

import platformdirs


def default_folders() -> list[str]:
    """The person's Documents and Pictures folders (platformdirs), existing ones only."""
    found: list[str] = []
    for folder in (platformdirs.user_documents_dir(), platformdirs.user_pictures_dir()):
        folder = os.path.abspath(folder)
        if os.path.isdir(folder) and folder not in found:
            found.append(folder)
    return found
