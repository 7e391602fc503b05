"""The upload sink: pieces are fed on worker threads while the request goes on; an abort from the
event loop (the request failed) must never close the file beneath a piece being written."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from server.checksums import BLAKE3, Checksum
from server.domain import uploads
from server.store.folder import FolderStore


class _SlowStore(FolderStore):
    """Writes the first piece slowly, so an abort arrives while it is being written."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.writing = threading.Event()

    def writer(self, key: str):  # type: ignore[no-untyped-def]
        inner = super().writer(key)
        outer = self

        class Slow:
            def write(self, chunk: bytes) -> None:
                outer.writing.set()
                time.sleep(0.3)
                inner.write(chunk)

            def commit(self) -> None:
                inner.commit()

            def abort(self) -> None:
                inner.abort()

        return Slow()


def test_abort_waits_for_the_piece_being_written_then_refuses_more(tmp_path: Path) -> None:
    store = _SlowStore(tmp_path)
    check = uploads.Precheck("acct", "s" * 32, "p" * 32, already_stored=False)
    sink = uploads.UploadSink(store, check, Checksum(BLAKE3, "0" * 64))
    errors: list[BaseException] = []

    def feed() -> None:
        try:
            sink.feed([b"x" * 1000])
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=feed)
    worker.start()
    assert store.writing.wait(5)
    started = time.monotonic()
    sink.abort()  # on the event loop in the service: the request failed mid-body
    assert time.monotonic() - started > 0.1, "abort waited for the write under way"
    worker.join()
    assert errors == [], "the piece under way finished cleanly"
    assert list((tmp_path / ".tmp").iterdir()) == [], "the partial file is gone"
    with pytest.raises(uploads.UploadAborted):
        sink.feed([b"late piece"])
    assert list((tmp_path / ".tmp").iterdir()) == []
