"""Proves a restore gave back exactly the source: same files, same bytes (SHA-256).

Why: a fast restore of wrong data is worse than a slow one. Any difference raises
`RestoreMismatch`, which stops the benchmark with the offending paths named.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

Manifest = dict[str, tuple[int, str]]


class RestoreMismatch(AssertionError):
    """A restored tree or file differs from the source."""


def file_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def manifest(root: Path) -> Manifest:
    """relative path -> (size, sha256) for every regular file under `root`; symlinks are errors."""
    found: Manifest = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                raise RestoreMismatch(f"unexpected symlink {path}")
        for name in filenames:
            path = Path(dirpath) / name
            found[path.relative_to(root).as_posix()] = (path.stat().st_size, file_digest(path))
    return found


def compare_tree(expected: Manifest, restored: Path, tool: str) -> None:
    """Raises `RestoreMismatch` unless `restored` holds exactly the files of `expected`."""
    if not restored.is_dir():
        raise RestoreMismatch(f"{tool}: restore produced no folder at {restored}")
    actual = manifest(restored)
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    different = sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    if missing or extra or different:
        lines = [f"{tool}: restored tree differs from the source at {restored}:"]
        for label, paths in (("missing", missing), ("extra", extra), ("different", different)):
            if paths:
                lines.append(f"  {len(paths)} {label}: " + ", ".join(paths[:5]))
        raise RestoreMismatch("\n".join(lines))


def compare_file(expected: tuple[int, str], restored: Path, tool: str) -> None:
    """Raises `RestoreMismatch` unless the single restored file has the expected size and hash."""
    if not restored.is_file():
        raise RestoreMismatch(f"{tool}: restore produced no file at {restored}")
    actual = (restored.stat().st_size, file_digest(restored))
    if actual != expected:
        raise RestoreMismatch(f"{tool}: restored file {restored} differs: {actual} != {expected}")
