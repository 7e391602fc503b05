"""What the day of edits' two large-file edits cost in new chunks, for each FastCDC normalization.

Why: the engine's chunker (min 512 KiB, average 1 MiB, max 8 MiB, normalization 2, fixed by the
repository format) decides how many bytes around an edit are stored again. Normalized chunking
makes chunk sizes more even, but a cut point then also depends on its distance from the chunk's
start, so after an edit the cuts can take several chunks to fall back on the old ones. This
measures that trade on the benchmark's own edits, over many seeds, without a service: the disk
image's 4 MiB patch and the recording's 8 MiB append (`gen_tree.vm_patch`,
`gen_tree.recording_append`), chunked before and after, and the new chunks' bytes as the engine
stores them (zstd at its level, raw unless that saves 3 %).

    python bench/chunking.py [--seeds 1-40] [--levels 0,1,2,3] [--jobs N] [--rows]

CDC cuts depend only on nearby bytes, so each file is chunked in a window around its edit (from
24 MiB before the patch to 40 MiB after it; the recording's last 32 MiB): boundaries then agree
before the edit in both versions, as they do in the whole file, and the new chunks are the ones
the edit caused.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import gen_tree  # noqa: E402
import zstandard  # noqa: E402
from pyfastcdc import FastCDC  # noqa: E402

from app.core import chunker, sealing  # noqa: E402

MIB = 1024 * 1024
BEFORE, AFTER = 24 * MIB, 40 * MIB  # the disk image's window around its patch
TAIL = 32 * MIB  # the recording's window: its end before the append


@dataclass(frozen=True)
class NewChunks:
    count: int
    plain: int  # bytes before compression
    stored: int  # as the engine stores them


def cuts(data: bytes, level: int) -> list[bytes]:
    """The chunks of `data` with the engine's sizes and the given normalization level."""
    cdc = FastCDC(
        avg_size=chunker.AVG_SIZE,
        min_size=chunker.MIN_SIZE,
        max_size=chunker.MAX_SIZE,
        normalized_chunking=level,
    )
    view = memoryview(data)
    return [bytes(view[c.offset : c.offset + c.length]) for c in cdc.cut_buf(data)]


def stored_size(chunk: bytes, cctx: zstandard.ZstdCompressor) -> int:
    packed = len(cctx.compress(chunk))
    return packed if packed <= len(chunk) * (1 - sealing.MIN_SAVING) else len(chunk)


def new_chunks(before: bytes, after: bytes, level: int) -> NewChunks:
    """The chunks of `after` that `before` does not have: what a backup stores for the edit."""
    cctx = zstandard.ZstdCompressor(level=sealing.ZSTD_LEVEL)
    known = {hashlib.blake2b(c, digest_size=16).digest() for c in cuts(before, level)}
    fresh = [
        c for c in cuts(after, level) if hashlib.blake2b(c, digest_size=16).digest() not in known
    ]
    return NewChunks(
        len(fresh), sum(len(c) for c in fresh), sum(stored_size(c, cctx) for c in fresh)
    )


@dataclass(frozen=True)
class Edits:
    """One seed's two edited large files, windowed: before and after each edit."""

    vm_before: bytes
    vm_after: bytes
    recording_before: bytes
    recording_after: bytes
    alone: int  # the patch and the append themselves, as the engine would store them


def edits(seed: int) -> Edits:
    """The disk image's and the recording's windows as the day of edits leaves them (scale 1)."""
    vm = gen_tree.large_file(seed, 1.0, "vm")
    at, patch = gen_tree.vm_patch(seed, 1.0, len(vm))
    start, end = max(0, at - BEFORE), min(len(vm), at + AFTER)
    recording = gen_tree.large_file(seed, 1.0, "recording")[-TAIL:]
    append = gen_tree.recording_append(seed, 1.0)
    cctx = zstandard.ZstdCompressor(level=sealing.ZSTD_LEVEL)
    return Edits(
        vm_before=vm[start:end],
        vm_after=vm[start:at] + patch + vm[at + len(patch) : end],
        recording_before=recording,
        recording_after=recording + append,
        alone=stored_size(patch, cctx) + stored_size(append, cctx),
    )


def summarize(level: int, vm: list[NewChunks], rec: list[NewChunks]) -> str:
    vm_mib = [c.stored / MIB for c in vm]
    both = [(a.stored + b.stored) / MIB for a, b in zip(vm, rec, strict=True)]
    return (
        f"| {level} | {statistics.mean(c.count for c in vm):.1f} | {statistics.mean(vm_mib):.2f} "
        f"| {max(vm_mib):.2f} | {statistics.mean(c.stored / MIB for c in rec):.2f} "
        f"| {max(c.stored / MIB for c in rec):.2f} | {statistics.mean(both):.2f} "
        f"| {statistics.pstdev(both):.2f} |"
    )


def measure_seed(
    seed: int, levels: list[int]
) -> tuple[int, dict[int, tuple[NewChunks, NewChunks]]]:
    """One seed's edits alone (stored bytes), and its new chunks for each level: (disk image,
    recording)."""
    found = edits(seed)
    return found.alone, {
        level: (
            new_chunks(found.vm_before, found.vm_after, level),
            new_chunks(found.recording_before, found.recording_after, level),
        )
        for level in levels
    }


def describe(chunks: NewChunks) -> str:
    return (
        f"{chunks.count} chunks, {chunks.plain / MIB:.2f} MiB stored as {chunks.stored / MIB:.2f}"
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1-40", help="a seed or a range, e.g. 1-40")
    parser.add_argument("--levels", default="0,1,2,3", help="normalization levels to compare")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--rows", action="store_true", help="print every seed's figures too")
    args = parser.parse_args(list(argv) if argv is not None else None)
    levels = [int(x) for x in args.levels.split(",")]
    chosen = gen_tree.seed_range(args.seeds)
    found: dict[int, tuple[list[NewChunks], list[NewChunks]]] = {lv: ([], []) for lv in levels}
    alone: list[int] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        measured = pool.map(partial(measure_seed, levels=levels), chosen)
        for seed, (edits_alone, by_level) in zip(chosen, measured, strict=True):
            alone.append(edits_alone)
            for level, (vm, rec) in by_level.items():
                found[level][0].append(vm)
                found[level][1].append(rec)
            if args.rows:
                print(f"seed {seed}: the edits alone store {edits_alone / MIB:.2f} MiB", flush=True)
                for level, (vm, rec) in by_level.items():
                    print(f"  level {level}: image {describe(vm)}; recording {describe(rec)}")
    print(
        f"\nNew chunks stored for the disk image's patch and the recording's append, {len(chosen)} seeds (MiB)\n"
    )
    print(
        "| normalization | image: chunks | image: mean | image: max | recording: mean "
        "| recording: max | both: mean | both: sd |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in levels:
        print(summarize(level, *found[level]))
    print(
        f"\nThe patch and the append alone, compressed as the engine stores them: "
        f"{statistics.mean(alone) / MIB:.2f} MiB on average ({min(alone) / MIB:.2f}-"
        f"{max(alone) / MIB:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
