"""Builds and compares the file trees the end-to-end tests back up and restore."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path


def write(path: Path, data: bytes, mtime_ns: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def text_blob(rng: random.Random, size: int) -> bytes:
    words = [
        b"kvartal",
        b"budget",
        b"ferie",
        b"rapport",
        b"billede",
        b"hygge",
        b"familie",
        b"aarhus",
    ]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" " + str(rng.randrange(10**6)).encode() + b"\n"
    return bytes(out[:size])


def build_tree(root: Path, *, seed: int = 7, big_mib: int = 50) -> None:
    """Nested folders, unicode names, empty files and folders, a symlink and one big file."""
    rng = random.Random(seed)
    base_ns = 1_700_000_000_123_456_789
    write(root / "notes.txt", b"shopping: milk, rye bread\n", base_ns)
    write(root / "Økonomi" / "budget 2026.csv", text_blob(rng, 40_000), base_ns + 1_000)
    write(root / "Økonomi" / "årsopgørelse.pdf", rng.randbytes(300_000), base_ns + 2_000)
    write(root / "Rejser" / "日本" / "旅程.txt", "Tōkyō → Kyōto\n".encode(), base_ns + 3_000)
    write(root / "Rejser" / "empty.txt", b"", base_ns + 4_000)
    (root / "Rejser" / "tom mappe").mkdir(parents=True)
    for i in range(30):
        sub = root / "Projekter" / f"p{i % 4}" / f"del {i % 3}"
        write(sub / f"fil-{i}.txt", text_blob(rng, rng.randrange(100, 20_000)), base_ns + i)
    write(root / "Billeder" / "ferie.jpg", rng.randbytes(2_500_000), base_ns + 5_000)
    big = rng.randbytes(1 << 20) * 8 + rng.randbytes(big_mib * (1 << 20) - 8 * (1 << 20))
    write(root / "Billeder" / "video.mov", big, base_ns + 6_000)
    os.symlink("notes.txt", root / "link-to-notes")
    os.chmod(root / "notes.txt", 0o640)


def snapshot_of(root: Path) -> dict[str, tuple[str, int | None, str]]:
    """rel path → (kind, mtime_ns for files, content hash / link target) for comparing trees."""
    seen: dict[str, tuple[str, int | None, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            rel = str(full.relative_to(root))
            st = full.lstat()
            if full.is_symlink():
                seen[rel] = ("link", None, os.readlink(full))
            elif full.is_dir():
                seen[rel] = ("dir", None, "")
            else:
                digest = hashlib.sha256(full.read_bytes()).hexdigest()
                seen[rel] = ("file", st.st_mtime_ns, f"{digest}:{oct(st.st_mode & 0o777)}")
    return seen
