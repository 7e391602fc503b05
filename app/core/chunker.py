"""Cuts file contents into content-defined chunks (FastCDC 2020), so edits move few boundaries.

Parameters are part of the repository format: changing them changes every chunk id and loses
deduplication against earlier backups.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Final

from pyfastcdc import FastCDC

MIN_SIZE = 512 * 1024
AVG_SIZE = 1024 * 1024
MAX_SIZE = 8 * 1024 * 1024
NORMALIZATION: Final = 2


def _chunker() -> FastCDC:
    """A fresh FastCDC per use (under a microsecond): instances must not be shared by threads."""
    return FastCDC(
        avg_size=AVG_SIZE, min_size=MIN_SIZE, max_size=MAX_SIZE, normalized_chunking=NORMALIZATION
    )


class _Prefixed:
    """A reader that replays bytes already read, then continues from the file."""

    def __init__(self, head: bytes, f: BinaryIO) -> None:
        self._head = memoryview(head)
        self._f = f

    def readinto(self, buf: memoryview) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        readinto = getattr(self._f, "readinto", None)
        if readinto is not None:
            got: int | None = readinto(buf)
            return got or 0
        data = self._f.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def _read_head(f: BinaryIO, n: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < n:
        part = f.read(n - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def iter_file_chunks(f: BinaryIO) -> Iterator[bytes]:
    """Yield the chunks of a file read from its current position to the end.

    Each chunk is a fresh `bytes` the caller may keep (pyfastcdc's view is reused for the next
    chunk). A file no longer than MIN_SIZE is one chunk, read with a plain read (the streaming
    chunker costs ~1 ms per file to set up, too much for thousands of small files); an empty
    file yields nothing.
    """
    head = _read_head(f, MIN_SIZE + 1)
    if len(head) <= MIN_SIZE:
        if head:
            yield head
        return
    for chunk in _chunker().cut_stream(_Prefixed(head, f)):
        yield bytes(chunk.data)


def iter_file_views(f: BinaryIO) -> Iterator[memoryview]:
    """`iter_file_chunks` without copying: each chunk is a view of the chunker's buffer, valid
    only until the next one is asked for (the caller hashes and seals it before that)."""
    head = _read_head(f, MIN_SIZE + 1)
    if len(head) <= MIN_SIZE:
        if head:
            yield memoryview(head)
        return
    for chunk in _chunker().cut_stream(_Prefixed(head, f)):
        yield chunk.data


def view_chunks(data: bytes) -> Iterator[memoryview]:
    """`chunk_bytes` without copying: views of `data`."""
    view = memoryview(data)
    if len(data) <= MIN_SIZE:
        if data:
            yield view
        return
    for c in _chunker().cut_buf(data):
        yield view[c.offset : c.offset + c.length]


def chunk_bytes(data: bytes) -> list[bytes]:
    """Chunk an in-memory buffer exactly as a file with the same contents would be chunked."""
    if len(data) <= MIN_SIZE:
        return [data] if data else []
    view = memoryview(data)
    return [bytes(view[c.offset : c.offset + c.length]) for c in _chunker().cut_buf(data)]
