"""Exclusions: gitignore semantics, the presets, the size limit and Keepsake's own folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.protect.exclude import OWN_DATA, PRESETS, Excluder, build_exclude, compile_rule
from app.settings import Settings

ROOT = Path("/home/ana/Documents")


def excluder(*patterns: str, presets: bool = False, max_mb: int = 0) -> Excluder:
    settings = Settings(
        folders=[str(ROOT)],
        exclude_patterns=list(patterns),
        exclude_presets=presets,
        max_file_size_mb=max_mb,
    )
    return build_exclude(settings, Path("/home/ana/.local/share/Keepsake"))


def stat_of(tmp_path: Path, *, size: int = 1, directory: bool = False) -> os.stat_result:
    target = tmp_path / ("d" if directory else "f")
    if directory:
        target.mkdir(exist_ok=True)
    else:
        target.write_bytes(b"x" * size)
    return os.stat(target)


# (patterns, relative path, is_dir, excluded?)
GITIGNORE_CASES = [
    (["*.iso"], "big.iso", False, True),
    (["*.iso"], "sub/deeper/big.iso", False, True),
    (["*.iso"], "big.iso.txt", False, False),
    (["build/"], "build", True, True),
    (["build/"], "build", False, False),  # trailing slash: folders only
    (["build/"], "src/build", True, True),  # no inner slash: any level
    (["/build"], "build", True, True),
    (["/build"], "src/build", True, False),  # leading slash: anchored to the chosen folder
    (["docs/*.md"], "docs/a.md", False, True),
    (["docs/*.md"], "x/docs/a.md", False, False),  # inner slash: anchored
    (["docs/*.md"], "docs/sub/a.md", False, False),  # * does not cross /
    (["**/logs"], "logs", True, True),
    (["**/logs"], "a/b/logs", True, True),
    (["logs/**"], "logs/a/b.txt", False, True),
    (["logs/**"], "logs", True, False),
    (["a/**/z.txt"], "a/z.txt", False, True),
    (["a/**/z.txt"], "a/b/c/z.txt", False, True),
    (["a/**/z.txt"], "b/a/z.txt", False, False),
    (["photo?.jpg"], "photo1.jpg", False, True),
    (["photo?.jpg"], "photo12.jpg", False, False),
    (["[Tt]emp*"], "temp-1", False, True),
    (["[Tt]emp*"], "Temp-1", False, True),
    (["[!T]emp*"], "Temp-1", False, False),
    (["[!T]emp*"], "kemp", False, True),
    (["*.log", "!keep.log"], "keep.log", False, False),  # the last match wins
    (["!keep.log", "*.log"], "keep.log", False, True),
    (["\\#notes"], "#notes", False, True),
    (["# a comment"], "# a comment", False, False),
    (["name\\ "], "name ", False, True),  # escaped trailing space is kept
    (["name  "], "name", False, True),  # unescaped trailing spaces are not
]


@pytest.mark.parametrize(("patterns", "rel", "is_dir", "expected"), GITIGNORE_CASES)
def test_gitignore_semantics(patterns: list[str], rel: str, is_dir: bool, expected: bool) -> None:
    ex = Excluder([ROOT], [_rule(p) for p in patterns if _is_rule(p)])
    assert (ex.by_path(ROOT / rel, is_dir=is_dir) is not None) is expected


def _is_rule(line: str) -> bool:
    return bool(line.strip()) and not line.startswith("#")


def _rule(line: str):  # type: ignore[no-untyped-def]
    return compile_rule(line)


def test_blank_and_comment_lines_are_not_patterns() -> None:
    for line in ("", "   ", "# comment", "!", "/"):
        with pytest.raises(ValueError):
            compile_rule(line)


# (file name, is_dir, excluded by the presets?)
PRESET_CASES = [
    ("~$Budget.xlsx", False, True),
    (".~lock.report.odt#", False, True),
    ("draft.tmp", False, True),
    ("DRAFT.TMP", False, True),
    ("Thumbs.db", False, True),
    ("thumbs.db", False, True),
    (".DS_Store", False, True),
    ("movie.mkv.part", False, True),
    ("setup.exe.crdownload", False, True),
    (".cache", True, True),
    ("node_modules", True, True),
    ("__pycache__", True, True),
    (".report.txt.swp", False, True),
    ("Budget.xlsx", False, False),
    ("holiday.jpg", False, False),
    ("cache", True, False),
    ("Cargo.lock", False, False),
    ("template.tmpl", False, False),
]


@pytest.mark.parametrize(("name", "is_dir", "expected"), PRESET_CASES)
def test_presets(name: str, is_dir: bool, expected: bool) -> None:
    ex = excluder(presets=True)
    assert (ex.by_path(ROOT / "sub" / name, is_dir=is_dir) is not None) is expected


def test_presets_off_excludes_nothing_but_own_data() -> None:
    ex = excluder(presets=False)
    for pattern, _ in PRESETS:
        name = pattern.strip("/").replace("*", "x").replace("?", "y")
        assert ex.by_path(ROOT / name, is_dir=pattern.endswith("/")) is None


def test_every_preset_names_a_reason() -> None:
    for pattern, reason in PRESETS:
        rule = compile_rule(pattern, reason)
        assert rule.reason == reason and reason


def test_a_person_can_re_include_what_a_preset_excludes() -> None:
    ex = excluder("!important.tmp", presets=True)
    assert ex.by_path(ROOT / "important.tmp", is_dir=False) is None
    assert ex.by_path(ROOT / "other.tmp", is_dir=False) == "temporary file"


def test_content_of_an_excluded_folder_is_excluded(tmp_path: Path) -> None:
    ex = excluder("/Old projects/", presets=True)
    assert ex.by_path(ROOT / "Old projects" / "a" / "b.txt", is_dir=False) is not None
    assert ex.by_path(ROOT / "x" / "node_modules" / "pkg" / "index.js", is_dir=False) is not None
    assert ex.by_path(ROOT / "x" / "Old projects" / "b.txt", is_dir=False) is None


def test_absolute_pattern_inside_a_folder_is_anchored_there() -> None:
    ex = excluder(f"{ROOT}/Scans/")
    assert ex.by_path(ROOT / "Scans", is_dir=True) is not None
    assert ex.by_path(ROOT / "Work" / "Scans", is_dir=True) is None


def test_reason_quotes_the_persons_pattern(tmp_path: Path) -> None:
    ex = excluder("*.iso")
    assert ex(ROOT / "a.iso", stat_of(tmp_path)) == "matches your exclusion pattern '*.iso'"


def test_size_limit_applies_to_files_only(tmp_path: Path) -> None:
    ex = excluder(max_mb=1)
    big = stat_of(tmp_path, size=1024 * 1024 + 1)
    assert ex(ROOT / "video.mp4", big) == "larger than the 1 MB size limit"
    exact = stat_of(tmp_path, size=1024 * 1024)
    assert ex(ROOT / "video.mp4", exact) is None
    assert ex(ROOT / "folder", stat_of(tmp_path, directory=True)) is None


def test_no_size_limit_by_default(tmp_path: Path) -> None:
    assert excluder()(ROOT / "huge.bin", stat_of(tmp_path, size=3 * 1024 * 1024)) is None


def test_keepsakes_own_folder_is_always_excluded(tmp_path: Path) -> None:
    home = ROOT / ".keepsake"
    settings = Settings(folders=[str(ROOT)], exclude_presets=False)
    ex = build_exclude(settings, home)
    assert ex(home, stat_of(tmp_path, directory=True)) == OWN_DATA
    assert ex.by_path(home / "index.sqlite-wal", is_dir=False) == OWN_DATA
    assert ex.by_path(ROOT / ".keepsake-notes.txt", is_dir=False) is None


def test_the_chosen_folder_itself_is_never_excluded_by_a_pattern() -> None:
    ex = Excluder([ROOT], [compile_rule("Documents/")])
    assert ex.by_path(ROOT, is_dir=True) is None
    assert ex.by_path(ROOT / "Documents", is_dir=True) is not None


def test_nested_chosen_folder_anchors_its_own_patterns() -> None:
    inner = ROOT / "Work"
    ex = Excluder([ROOT, inner], [compile_rule("/drafts/")])
    assert ex.by_path(inner / "drafts", is_dir=True) is not None
    assert ex.by_path(ROOT / "drafts", is_dir=True) is not None
    assert ex.by_path(ROOT / "x" / "drafts", is_dir=True) is None


def test_settings_patterns_keep_escaped_trailing_spaces() -> None:
    ex = excluder("name\\ ", "  ", "# just a comment")
    assert ex.by_path(ROOT / "name ", is_dir=False) is not None
    assert ex.by_path(ROOT / "name", is_dir=False) is None
