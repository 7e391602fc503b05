"""Content-defined chunking: lossless, bounded, and stable around edits."""

from __future__ import annotations

import io
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.chunker import MAX_SIZE, MIN_SIZE, chunk_bytes, iter_file_chunks


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


# A few large buffers, generated once: hypothesis then picks slices and edits of them.
_BIG = _random_bytes(1, 20 * 1024 * 1024)


class _Trickle(io.RawIOBase):
    """A file that returns short reads, like a pipe or a network share."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, buf: memoryview) -> int:  # type: ignore[override]
        n = min(len(buf), self._step, len(self._data) - self._pos)
        buf[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


def _check_bounds(chunks: list[bytes]) -> None:
    for c in chunks[:-1]:
        assert MIN_SIZE <= len(c) <= MAX_SIZE
    if chunks:
        assert 0 < len(chunks[-1]) <= MAX_SIZE


@settings(max_examples=12, deadline=None)
@given(start=st.integers(0, 4 * 1024 * 1024), size=st.integers(0, 14 * 1024 * 1024))
def test_chunks_concatenate_to_input_and_respect_bounds(start: int, size: int) -> None:
    data = _BIG[start : start + size]
    chunks = list(iter_file_chunks(io.BytesIO(data)))
    assert b"".join(chunks) == data
    _check_bounds(chunks)
    assert chunk_bytes(data) == chunks


@settings(max_examples=25, deadline=None)
@given(size=st.integers(0, MIN_SIZE + 1))
def test_small_files_are_one_chunk(size: int) -> None:
    data = _BIG[:size]
    chunks = list(iter_file_chunks(io.BytesIO(data)))
    if size == 0:
        assert chunks == []
    elif size <= MIN_SIZE:
        assert chunks == [data]
    else:
        assert b"".join(chunks) == data
    assert chunk_bytes(data) == chunks


def test_zeros_are_cut_at_max_size() -> None:
    data = bytes(MAX_SIZE * 2 + 1000)
    chunks = chunk_bytes(data)
    assert [len(c) for c in chunks] == [MAX_SIZE, MAX_SIZE, 1000]


def test_short_reads_do_not_change_boundaries() -> None:
    data = _BIG[: 9 * 1024 * 1024]
    expected = chunk_bytes(data)
    assert len(expected) > 3
    trickled = list(iter_file_chunks(_Trickle(data, 100_003)))  # type: ignore[arg-type]
    assert trickled == expected


def test_reading_starts_at_the_current_position() -> None:
    data = _BIG[: 3 * 1024 * 1024]
    f = io.BytesIO(b"skip me" + data)
    f.seek(7)
    assert list(iter_file_chunks(f)) == chunk_bytes(data)


def test_yielded_chunks_stay_valid_after_iteration() -> None:
    data = _BIG[: 6 * 1024 * 1024]
    kept = list(iter_file_chunks(io.BytesIO(data)))
    assert len(kept) > 2
    assert b"".join(kept) == data


@settings(max_examples=8, deadline=None)
@given(
    edit_at=st.integers(0, 1024 * 1024),
    inserted=st.binary(min_size=1, max_size=300),
)
def test_boundaries_far_from_an_insertion_are_kept(edit_at: int, inserted: bytes) -> None:
    data = _BIG[: 16 * 1024 * 1024]
    edited = data[:edit_at] + inserted + data[edit_at:]
    before = chunk_bytes(data)
    after = chunk_bytes(edited)
    # Boundaries (as offsets in the original data) well past the edit are all found again.
    cut_before = _cuts(before)
    cut_after = {c - len(inserted) for c in _cuts(after) if c > edit_at}
    far = {c for c in cut_before if c > edit_at + MAX_SIZE}
    assert far
    assert far <= cut_after
    # Consequently most chunks are shared: only those around the edit are new.
    shared = set(before) & set(after)
    assert len(shared) >= len(before) - 3


def _cuts(chunks: list[bytes]) -> set[int]:
    out: set[int] = set()
    pos = 0
    for c in chunks:
        pos += len(c)
        out.add(pos)
    return out
