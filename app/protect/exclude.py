"""What is not backed up and why: built-in presets, gitignore-style patterns, a size limit.

The backup engine calls the function `build_exclude` returns for every entry it walks and lists
what it returns in the backup report, so a person can check what is not covered. The watcher uses
`Excluder.by_path` (no stat needed) to ignore changes nobody wants backed up, such as an office
lock file appearing, or Keepsake's own index being written when the profile sits inside a chosen
folder.

Patterns follow .gitignore: `*`, `?`, `[a-z]`, `**`; a pattern with a slash (other than a trailing
one) is anchored at the root of the chosen folder; a trailing slash matches folders only; `!`
re-includes; the last matching pattern wins; an excluded folder's content is excluded with it.
An absolute pattern inside a chosen folder is taken relative to that folder.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from app.settings import Settings

OWN_DATA = "Keepsake's own data folder"

PRESETS: list[tuple[str, str]] = [
    ("~$*", "Office lock file"),
    (".~lock*", "LibreOffice lock file"),
    (".#*", "editor lock file"),
    ("*.tmp", "temporary file"),
    ("*.temp", "temporary file"),
    (".*.swp", "editor swap file"),
    ("*.crdownload", "unfinished download"),
    ("*.part", "unfinished download"),
    ("*.partial", "unfinished download"),
    ("Thumbs.db", "Windows thumbnail cache"),
    ("ehthumbs.db", "Windows thumbnail cache"),
    (".DS_Store", "macOS folder view settings"),
    ("._*", "macOS resource fork copy"),
    (".cache/", "cache folder"),
    ("__pycache__/", "cache folder"),
    (".thumbnails/", "thumbnail cache"),
    ("node_modules/", "downloaded program packages (can be fetched again)"),
    (".Trash/", "trash folder"),
    (".Trash-*/", "trash folder"),
    ("$RECYCLE.BIN/", "recycle bin"),
    ("System Volume Information/", "system folder"),
]

# File names compare without case where the file systems people use do.
CASE_SENSITIVE = sys.platform not in ("win32", "darwin")


@dataclass(frozen=True)
class Rule:
    """One compiled pattern; `reason` is what the report says about what it matches."""

    pattern: str
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool
    reason: str


def compile_rule(pattern: str, reason: str | None = None, *, case_sensitive: bool = True) -> Rule:
    """Compile one gitignore-style line. Raises ValueError for a blank line or a comment."""
    text = _strip_trailing_spaces(pattern)
    if not text or text.startswith("#"):
        raise ValueError(f"not a pattern: {pattern!r}")
    negate = text.startswith("!")
    if negate or text.startswith(("\\#", "\\!")):
        text = text[1:]
    dir_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        raise ValueError(f"not a pattern: {pattern!r}")
    anchored = "/" in text
    body = _translate_path(text.lstrip("/"))
    prefix = "^" if anchored else "^(?:.*/)?"
    flags = 0 if case_sensitive else re.IGNORECASE
    return Rule(
        pattern=pattern,
        regex=re.compile(prefix + body + "$", flags),
        negate=negate,
        dir_only=dir_only,
        reason=reason or f"matches your exclusion pattern {pattern.strip()!r}",
    )


def _strip_trailing_spaces(line: str) -> str:
    line = line.rstrip("\r\n")
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]
    return line


def _translate_path(text: str) -> str:
    segments = text.split("/")
    out: list[str] = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "**":
            out.append(".+" if last and i > 0 else ".*" if last else "(?:[^/]+/)*")
            continue
        out.append(_translate_segment(segment) + ("" if last else "/"))
    return "".join(out)


def _translate_segment(segment: str) -> str:
    out: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        c = segment[i]
        i += 1
        if c == "*":
            while i < n and segment[i] == "*":
                i += 1
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i < n:
            out.append(re.escape(segment[i]))
            i += 1
        elif c == "[":
            start = i + 1 if i < n and segment[i] in "!^" else i
            end = segment.find("]", start + 1)
            if end < 0:
                out.append(re.escape(c))
                continue
            negate = start > i
            inner = _translate_class(segment[start:end])
            i = end + 1
            out.append(f"[^/{inner}]" if negate else f"(?!/)[{inner}]")
        else:
            out.append(re.escape(c))
    return "".join(out)


def _translate_class(inner: str) -> str:
    """A character class body: ranges kept, everything else literal."""
    out: list[str] = []
    i = 0
    while i < len(inner):
        c = inner[i]
        if c == "\\" and i + 1 < len(inner):
            i += 1
            c = inner[i]
        out.append("-" if c == "-" and 0 < i < len(inner) - 1 else re.escape(c))
        i += 1
    return "".join(out)


class Excluder:
    """Decides, for a path inside the chosen folders, whether it is excluded and why."""

    def __init__(
        self,
        folders: Sequence[Path],
        rules: Sequence[Rule],
        *,
        max_file_size: int | None = None,
        own_dirs: Sequence[Path] = (),
    ) -> None:
        # Longest first, so a folder nested in another one anchors its own patterns.
        self._folders = sorted((_norm(f) for f in folders), key=len, reverse=True)
        self._rules = tuple(rules)
        self._max = max_file_size
        self._own = tuple(_norm(d) for d in own_dirs)
        self._dir_reason = lru_cache(maxsize=4096)(self._uncached_dir_reason)

    def __call__(self, path: Path, st: os.stat_result) -> str | None:
        """The engine's exclude callback: the entry itself (its parents were already walked)."""
        full = _norm(path)
        if self._is_own(full):
            return OWN_DATA
        is_dir = stat.S_ISDIR(st.st_mode)
        rel = self._relative(full)
        if rel is not None:
            reason = self._match(rel, is_dir)
            if reason is not None:
                return reason
        if self._max is not None and stat.S_ISREG(st.st_mode) and st.st_size > self._max:
            return f"larger than the {self._max // (1024 * 1024)} MB size limit"
        return None

    def by_path(self, path: Path, *, is_dir: bool) -> str | None:
        """Without a stat: patterns and Keepsake's own folder, checking every parent too."""
        full = _norm(path)
        if self._is_own(full):
            return OWN_DATA
        rel = self._relative(full)
        if rel is None:
            return None
        parent = PurePosixPath(rel).parent
        if str(parent) != ".":
            reason = self._dir_reason(str(parent))
            if reason is not None:
                return reason
        return self._match(rel, is_dir)

    def _uncached_dir_reason(self, rel_dir: str) -> str | None:
        parent = PurePosixPath(rel_dir).parent
        if str(parent) != ".":
            reason = self._dir_reason(str(parent))
            if reason is not None:
                return reason
        return self._match(rel_dir, True)

    def _match(self, rel: str, is_dir: bool) -> str | None:
        verdict: str | None = None
        for rule in self._rules:
            if rule.dir_only and not is_dir:
                continue
            if rule.regex.match(rel):
                verdict = None if rule.negate else rule.reason
        return verdict

    def _is_own(self, full: str) -> bool:
        return any(full == own or full.startswith(own + os.sep) for own in self._own)

    def _relative(self, full: str) -> str | None:
        """Path inside its chosen folder with `/` separators; None for a folder root itself."""
        for folder in self._folders:
            if full.startswith(folder + os.sep):
                return full[len(folder) + 1 :].replace(os.sep, "/")
            if full == folder:
                return None
        return os.path.basename(full) or None


def _norm(path: Path | str) -> str:
    return os.path.normpath(os.fspath(path))


def user_rules(
    patterns: Sequence[str], folders: Sequence[Path], *, case_sensitive: bool = CASE_SENSITIVE
) -> list[Rule]:
    """The person's patterns, skipping blanks and comments; absolute paths become anchored."""
    rules: list[Rule] = []
    for raw in patterns:
        line = raw.strip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        rules.append(
            compile_rule(
                _anchor_absolute(line, folders),
                f"matches your exclusion pattern {line.strip()!r}",
                case_sensitive=case_sensitive,
            )
        )
    return rules


def _anchor_absolute(line: str, folders: Sequence[Path]) -> str:
    negate = "!" if line.startswith("!") else ""
    body = line[len(negate) :].strip()
    if not os.path.isabs(body):
        return line
    trailing = "/" if body.endswith(("/", os.sep)) else ""
    target = _norm(body)
    for folder in sorted((_norm(f) for f in folders), key=len, reverse=True):
        if target.startswith(folder + os.sep):
            rel = target[len(folder) + 1 :].replace(os.sep, "/")
            return f"{negate}/{rel}{trailing}"
    return line


def build_exclude(settings: Settings, profile_home: Path) -> Excluder:
    """The exclusion callback for these settings (an `Excluder`, callable as the engine wants)."""
    folders = [Path(f) for f in settings.folders]
    rules: list[Rule] = []
    if settings.exclude_presets:
        rules += [compile_rule(p, reason, case_sensitive=False) for p, reason in PRESETS]
    rules += user_rules(settings.exclude_patterns, folders)
    limit = settings.max_file_size_mb * 1024 * 1024 if settings.max_file_size_mb > 0 else None
    return Excluder(folders, rules, max_file_size=limit, own_dirs=[profile_home])
