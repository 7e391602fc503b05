"""Generates a seeded, consumer-like folder tree, and a seeded "day of edits" on it.

Why: a benchmark against restic only means something if anyone can regenerate exactly the same
bytes. Every byte here is a function of (seed, relative path), so the tree is identical across
machines and runs, and the order of generation does not matter. Only the standard library is
used: incompressible data comes from a SHAKE-256 stream, text from a seeded Zipf-weighted word
list, so zstd compresses it roughly like real prose.

Shape at scale 1 (about 1.5 GiB): ~20,000 small files (1 KiB-256 KiB, log-normal sizes, half
text-like, half random) in a nested Documents/Pictures/... structure, ~100 photo-like 2-8 MiB
files, and three 256 MiB files (one VM disk that compresses partly, two videos that do not).

    python bench/gen_tree.py ROOT [--seed N] [--scale S] [--edit]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB

SMALL_FILES = 20_000
PHOTOS = 100
LARGE_SIZE = 256 * MIB
SMALL_MIN, SMALL_MAX, SMALL_MEDIAN = 1 * KIB, 256 * KIB, 8 * KIB
PHOTO_MIN, PHOTO_MAX = 2 * MIB, 8 * MIB

# The three large files, by role. "video" is never edited: the single-file restore uses it.
LARGE_FILES = {
    "vm": "VirtualBox VMs/Ubuntu 22.04/Ubuntu 22.04.vdi",
    "video": "Videos/2024/Sommerferie på Bornholm.mp4",
    "recording": "Videos/Recordings/Screen recording 2025-03-14.mkv",
}

# Files written for 2019-01-01 .. 2025-06-01: fixed, so mtimes are as reproducible as contents.
_MTIME_LO, _MTIME_HI = 1_546_300_800, 1_748_736_000
_BLOCK = 4 * MIB
_SYLLABLES = "ka re mi to sen la dor vi an ne ber gu hel ost ri sk ø æ bo fi tek mar lund e"
_STEMS = [
    "notes",
    "report",
    "IMG",
    "scan",
    "invoice",
    "draft",
    "letter",
    "Kopi af dokument",
    "budget",
    "main",
    "README",
    "page",
    "referat",
]
_TEXT_EXT = {
    "docs": [".txt", ".md", ".rtf", ".html", ".csv"],
    "code": [".py", ".js", ".json", ".md", ".toml"],
    "mail": [".eml", ".txt"],
    "pictures": [".xmp", ".txt"],
    "misc": [".txt", ".log", ".m3u", ".csv", ".json"],
}
_BIN_EXT = {
    "docs": [".pdf", ".docx", ".xlsx", ".odt"],
    "code": [".png", ".zip", ".woff2"],
    "mail": [".pdf", ".jpg", ".zip"],
    "pictures": [".jpg", ".png", ".heic"],
    "misc": [".pdf", ".zip", ".jpg", ".exe"],
}


def _label_seed(seed: int, label: str) -> bytes:
    return hashlib.blake2b(f"{seed}|{label}".encode(), digest_size=32).digest()


def _rng(seed: int, label: str) -> random.Random:
    return random.Random(_label_seed(seed, label))


def random_bytes(seed: int, label: str, size: int) -> bytes:
    """Incompressible bytes: a SHAKE-256 stream keyed by (seed, label), built in 4 MiB blocks."""
    key = _label_seed(seed, label)
    parts = []
    for block, start in enumerate(range(0, size, _BLOCK)):
        want = min(_BLOCK, size - start)
        parts.append(hashlib.shake_256(key + block.to_bytes(8, "little")).digest(want))
    return b"".join(parts)


class TextSource:
    """Text-like bytes: lines of Zipf-weighted pseudo-words, picked from a seeded pool."""

    POOL_LINES = 65_536

    def __init__(self, seed: int) -> None:
        rng = _rng(seed, "words")
        words = sorted(
            {"".join(rng.choices(_SYLLABLES.split(), k=rng.randint(1, 4))) for _ in range(6000)}
        )
        rng.shuffle(words)
        cum: list[float] = []
        total = 0.0
        for rank in range(len(words)):
            total += 1.0 / (rank + 1)
            cum.append(total)
        lines = []
        for i in range(self.POOL_LINES):
            picked = rng.choices(words, cum_weights=cum, k=rng.randint(3, 16))
            if i % 7 == 0:
                picked.append(
                    f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.20{rng.randint(10, 25)}"
                )
            if i % 11 == 0:
                picked.append(f"{rng.randint(10, 99_999)},{rng.randint(0, 99):02d} kr")
            lines.append((" ".join(picked).capitalize() + ".\n").encode())
        self._lines = lines

    def text(self, rng: random.Random, size: int) -> bytes:
        """Exactly `size` bytes of text; `rng` decides which lines, so callers control identity."""
        out = bytearray()
        while len(out) < size:
            out += b"".join(rng.choices(self._lines, k=max(1, (size - len(out)) // 50 + 1)))
        return bytes(out[:size])


@dataclass
class TreeStats:
    """What was generated: counts and bytes, for the benchmark report."""

    root: str
    seed: int
    scale: float
    small_files: int = 0
    small_bytes: int = 0
    photos: int = 0
    photo_bytes: int = 0
    large_bytes: int = 0
    large_files: dict[str, str] = field(default_factory=lambda: dict(LARGE_FILES))

    @property
    def files(self) -> int:
        return self.small_files + self.photos + len(self.large_files)

    @property
    def bytes(self) -> int:
        return self.small_bytes + self.photo_bytes + self.large_bytes


def _plan_dirs(rng: random.Random) -> list[tuple[str, str, float]]:
    """Folders as (relative path, kind, weight): where small files land, and how likely."""
    years = range(2015, 2026)
    projects = [
        "Kitchen renovation",
        "Thesis",
        "Garden plan",
        "Wedding",
        "Budget 2024",
        "Novel draft",
        "Bike trip",
        "Family tree",
        "Startup idea",
        "Choir",
        "Cabin",
        "Spanish course",
    ]
    dirs: list[tuple[str, str, float]] = []
    for p in projects:
        base = f"Documents/Projects/{p}"
        for sub in ("", "/Notes", "/Drafts", "/Assets", "/Meetings/2023", "/Meetings/2024"):
            dirs.append((base + sub, "docs", 1.0))
        dirs.append((f"{base}/src/{rng.choice(['core', 'web', 'tools'])}", "code", 0.8))
    for y in years:
        dirs.append((f"Documents/Letters/{y}", "docs", 0.6))
        dirs.append((f"Documents/Taxes/{y}", "docs", 0.4))
        dirs.append((f"Documents/Økonomi/{y}", "docs", 0.4))
        for client in ("Acme A-S", "Nordlys ApS", "Hansen & Co"):
            for q in ("Q1", "Q2", "Q3", "Q4"):
                dirs.append((f"Documents/Work/{client}/{y}/{q}", "docs", 0.25))
    for course in ("Math 101", "History", "Programming", "Danish"):
        for sub in ("Assignments", "Lectures", "Exams"):
            dirs.append((f"Documents/School/{course}/{sub}", "docs", 0.7))
    dirs.append(("Documents/Recipes", "docs", 1.5))
    for y in years:
        for event in ("Jul", "Påske", "Birthday", "Beach", "Hiking", "Concert"):
            month = rng.randint(1, 12)
            dirs.append((f"Pictures/{y}/{y}-{month:02d} {event}", "pictures", 1.0))
    dirs += [("Pictures/Screenshots", "pictures", 3.0), ("Pictures/Wallpapers", "pictures", 1.0)]
    for account in ("gmail", "work"):
        for box in ("Inbox", "Sent", "Archive/2023", "Archive/2024"):
            dirs.append((f"Mail/{account}/{box}", "mail", 2.0))
    for repo in ("dotfiles", "homepage", "scripts"):
        for sub in ("", "/src", "/src/lib", "/tests", "/docs"):
            dirs.append((f"Code/{repo}{sub}", "code", 1.0))
    dirs += [("Desktop", "misc", 2.0), ("Downloads", "misc", 4.0), ("Music/Playlists", "misc", 0.5)]
    return dirs


def _small_size(rng: random.Random) -> int:
    size = int(rng.lognormvariate(math.log(SMALL_MEDIAN), 1.0))
    return min(SMALL_MAX, max(SMALL_MIN, size))


def _write(path: Path, data: bytes, mtime: int | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def _small_content(seed: int, rel: str, size: int, text: bool, texts: TextSource) -> bytes:
    if text:
        return texts.text(_rng(seed, "text|" + rel), size)
    return random_bytes(seed, "bin|" + rel, size)


def _photo_bytes(seed: int, rel: str, size: int) -> bytes:
    header = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00*" + rel.encode()[:32]
    return header + random_bytes(seed, "photo|" + rel, size - len(header))


def _vm_bytes(seed: int, label: str, size: int, texts: TextSource) -> bytes:
    """Disk-image-like bytes: 64 KiB runs of zeros, text-like records, or random bytes."""
    rng = _rng(seed, "vm|" + label)
    run = 64 * KIB
    out = bytearray()
    for start in range(0, size, run):
        want = min(run, size - start)
        kind = rng.random()
        if kind < 0.25:
            out += bytes(want)
        elif kind < 0.60:
            out += texts.text(rng, want)
        else:
            out += random_bytes(seed, f"vm|{label}|{start}", want)
    return bytes(out)


def generate(root: Path, seed: int = 1, scale: float = 1.0) -> TreeStats:
    """Writes the tree under `root` (which must not exist or be empty) and returns its stats."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty; the generator only writes into a fresh folder")
    stats = TreeStats(root=str(root), seed=seed, scale=scale)
    rng = _rng(seed, "layout")
    texts = TextSource(seed)
    dirs = _plan_dirs(rng)
    weights = [w for _, _, w in dirs]
    for i in range(round(SMALL_FILES * scale)):
        folder, kind, _ = rng.choices(dirs, weights=weights)[0]
        text = rng.random() < 0.5
        ext = rng.choice((_TEXT_EXT if text else _BIN_EXT)[kind])
        stem = rng.choice(_STEMS)
        rel = f"{folder}/{stem} {i:05d}{ext}".lstrip("/")
        size = _small_size(rng)
        _write(
            root / rel,
            _small_content(seed, rel, size, text, texts),
            rng.randint(_MTIME_LO, _MTIME_HI),
        )
        stats.small_files += 1
        stats.small_bytes += size
    picture_dirs = [d for d, kind, _ in dirs if d.startswith("Pictures/2")]
    for i in range(max(1, round(PHOTOS * scale))):
        rel = f"{rng.choice(picture_dirs)}/IMG_{4000 + i:04d}.JPG"
        size = rng.randint(PHOTO_MIN, PHOTO_MAX)
        _write(root / rel, _photo_bytes(seed, rel, size), rng.randint(_MTIME_LO, _MTIME_HI))
        stats.photos += 1
        stats.photo_bytes += size
    for role, rel in LARGE_FILES.items():
        data = large_file(seed, scale, role, texts)
        _write(root / rel, data, rng.randint(_MTIME_LO, _MTIME_HI))
        stats.large_bytes += len(data)
    return stats


def large_file(seed: int, scale: float, role: str, texts: TextSource | None = None) -> bytes:
    """One of the three large files (`LARGE_FILES`' roles) as `generate` writes it; `texts` is the
    tree's text pool, `TextSource(seed)`."""
    size = max(MIB, round(LARGE_SIZE * scale) // (4 * KIB) * (4 * KIB))
    rel = LARGE_FILES[role]
    if role == "vm":
        return _vm_bytes(seed, rel, size, texts or TextSource(seed))
    return random_bytes(seed, rel, size)


@dataclass
class EditReport:
    """What the day of edits did, so the report can say what "after edits" means."""

    modified: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    appended: dict[str, int] = field(default_factory=dict)
    patched: dict[str, int] = field(default_factory=dict)
    renamed: tuple[str, str] | None = None
    bytes_written: int = 0


def _list_files(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found)


def edit_tree(root: Path, seed: int = 1, scale: float = 1.0) -> EditReport:
    """Applies "a day of edits" to a generated tree: deterministic for a given (tree, seed).

    Modifies ~1 % of the small files, appends to one large file, rewrites a few MiB in the middle
    of another, adds ~50 new small files and 5 new photos, deletes ~20 files, renames one folder.
    """
    rng = _rng(seed, "edits")
    texts = TextSource(seed + 1)
    report = EditReport()
    large = set(LARGE_FILES.values())
    small = [r for r in _list_files(root) if r not in large and not r.endswith(".JPG")]
    picked = rng.sample(
        small, min(len(small), max(3, round(len(small) * 0.01)) + max(2, round(20 * scale)))
    )
    n_delete = max(2, round(20 * scale))
    to_delete, to_modify = picked[:n_delete], picked[n_delete:]
    for rel in to_modify:
        path = root / rel
        data = bytearray(path.read_bytes())
        at = rng.randrange(0, max(1, len(data)))
        insert = texts.text(rng, rng.randint(200, 4000))
        if rel.endswith(tuple(ext for exts in _TEXT_EXT.values() for ext in exts)):
            data[at:at] = insert
        else:
            data[at : at + len(insert)] = random_bytes(seed, "edit|" + rel, len(insert))
        _write(path, bytes(data), None)
        report.modified.append(rel)
        report.bytes_written += len(data)
    for rel in to_delete:
        (root / rel).unlink()
        report.deleted.append(rel)
    folders = sorted({r.rsplit("/", 1)[0] for r in small if "/" in r})
    for i in range(max(5, round(50 * scale))):
        rel = f"{rng.choice(folders)}/new {i:03d} {rng.choice(['notes.txt', 'scan.pdf'])}"
        size = _small_size(rng)
        _write(root / rel, _small_content(seed + 1, rel, size, rel.endswith(".txt"), texts), None)
        report.added.append(rel)
        report.bytes_written += size
    for i in range(max(1, round(5 * scale))):
        rel = f"Pictures/2025/2025-06-21 Sankthans/IMG_{9000 + i:04d}.JPG"
        size = rng.randint(PHOTO_MIN, PHOTO_MAX)
        _write(root / rel, _photo_bytes(seed + 1, rel, size), None)
        report.added.append(rel)
        report.bytes_written += size
    append = recording_append(seed, scale)
    with open(root / LARGE_FILES["recording"], "ab") as fh:
        fh.write(append)
    report.appended[LARGE_FILES["recording"]] = len(append)
    at, patch = vm_patch(seed, scale, (root / LARGE_FILES["vm"]).stat().st_size, texts)
    with open(root / LARGE_FILES["vm"], "r+b") as fh:
        fh.seek(at)
        fh.write(patch)
    report.patched[LARGE_FILES["vm"]] = len(patch)
    report.bytes_written += len(append) + len(patch)
    projects = sorted(f for f in folders if f.count("/") == 2 and f.startswith("Documents/"))
    old = rng.choice(projects or folders)
    new = f"{old} (archived)"
    (root / old).rename(root / new)
    report.renamed = (old, new)
    # Report where edited and added files are now, after the rename.
    moved = {f"{old}/": f"{new}/"}
    for paths in (report.modified, report.added):
        paths[:] = [_moved(rel, moved) for rel in paths]
    return report


def recording_append(seed: int, scale: float) -> bytes:
    """What the day of edits appends to the screen recording (a recording still being written)."""
    return random_bytes(seed + 1, "append", max(256 * KIB, round(8 * MIB * scale)))


def vm_patch(
    seed: int, scale: float, vm_size: int, texts: TextSource | None = None
) -> tuple[int, bytes]:
    """Where the day of edits overwrites the disk image, and with what (`texts`: the edits'
    text pool, `TextSource(seed + 1)`, passed in because it takes a second to build)."""
    size = min(vm_size // 4, max(256 * KIB, round(4 * MIB * scale)))
    return vm_size // 2, _vm_bytes(seed + 1, "patch", size, texts or TextSource(seed + 1))


def seed_range(text: str) -> list[int]:
    """Seeds from a command line: one ("7") or an inclusive range ("1-14")."""
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def _moved(rel: str, moves: dict[str, str]) -> str:
    for before, after in moves.items():
        if rel.startswith(before):
            return after + rel[len(before) :]
    return rel


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--edit", action="store_true", help="apply the day of edits instead")
    args = parser.parse_args(argv)
    if args.edit:
        report = edit_tree(args.root, args.seed, args.scale)
        print(
            f"edited: {len(report.modified)} modified, {len(report.added)} added, "
            f"{len(report.deleted)} deleted, renamed {report.renamed}"
        )
    else:
        stats = generate(args.root, args.seed, args.scale)
        print(f"generated {stats.files} files, {stats.bytes / MIB:.1f} MiB in {stats.root}")


if __name__ == "__main__":
    main()
