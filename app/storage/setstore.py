"""One backup set on the service: its packs (as a Backend) and its commit log, for the engine.

`SetStore` implements `app.core.ports.PackStore` and `CommitLog` exactly per docs/api.md. Packs
go through a Backend (`ServicePacks`), so retry, bandwidth and concurrency wrappers can sit in
between; commits, snapshots and indexes go straight to the transport.
"""

from __future__ import annotations

import base64
import builtins
import re
from typing import Any

import requests

from app.core.errors import CommitRejected, NotFound, ObjectMissing, Permanent
from app.core.ports import (
    CommitRequest,
    CommitResult,
    IndexEntry,
    PackBytes,
    PackInfo,
    SnapshotEntry,
)
from app.storage.backend import Backend, Body, Ranges, as_body, check_range
from app.storage.http import ServiceRefused, Transport, read_bytes, read_json, read_nothing

_ID = re.compile(r"[0-9a-f]{32}")


def check_id(value: str, kind: str) -> str:
    """Ids go into URL paths: only the documented 32 lowercase hex characters get there."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise Permanent(f"invalid {kind} id {value!r}")
    return value


class ServicePacks:
    """The packs of one set as a Backend: names are pack ids. The service never deletes on
    request (packs age out after leaving the live set), so `delete` is refused."""

    def __init__(self, transport: Transport, set_id: str) -> None:
        self._t = transport
        self._base = f"/v1/sets/{check_id(set_id, 'set')}/packs"
        self._reads = f"/v1/sets/{set_id}/reads"

    def put(self, name: str, data: bytes | Body) -> None:
        body = as_body(data)
        digest = body.checksum()
        headers = {"X-Content-BLAKE3": digest, "Content-Type": "application/octet-stream"}
        # Same id and same bytes is a no-op on the service, so an upload may always be resent.
        self._t.call(
            "PUT",
            f"{self._base}/{check_id(name, 'pack')}",
            what=f"upload pack {name}",
            idempotent=True,
            read=read_nothing,
            ok=(200, 201),
            body=body,
            headers=headers,
        )

    def get(self, name: str, start: int = 0, length: int | None = None) -> bytes:
        check_range(start, length)
        if length == 0:
            return b""
        headers = {}
        if start or length is not None:
            end = "" if length is None else str(start + length - 1)
            headers["Range"] = f"bytes={start}-{end}"

        def read(response: requests.Response) -> bytes:
            data = read_bytes(response)
            if response.status_code == 200 and headers:  # the Range header was ignored
                return data[start : None if length is None else start + length]
            return data

        try:
            return self._t.call(
                "GET",
                f"{self._base}/{check_id(name, 'pack')}",
                what=f"download pack {name}",
                idempotent=True,
                read=read,
                ok=(200, 206),
                headers=headers,
                missing=f"pack {name}",
            )
        except ServiceRefused as err:
            if err.status != 416:
                raise
            if self.size(name) == start:
                return b""  # an empty range at the very end, as slicing would give
            raise Permanent(f"range starting at {start} lies past the end of pack {name}") from err

    def get_ranges(self, ranges: Ranges) -> bytes:
        """One request for all of them (`POST .../reads`): a restore's batch of files lies in
        a few packs, and every request is a round trip."""
        wanted = [(check_id(name, "pack"), start, length) for name, start, length in ranges]
        for _, start, length in wanted:
            check_range(start, length)
        wanted = [one for one in wanted if one[2]]
        if not wanted:
            return b""
        total = sum(length for _, _, length in wanted)

        def read(response: requests.Response) -> bytes:
            data = read_bytes(response)
            if len(data) != total:
                raise Permanent(f"the service sent {len(data)} bytes of {total}")
            return data

        return self._t.call(
            "POST",
            self._reads,
            what=f"download {len(wanted)} ranges of packs",
            idempotent=True,
            read=read,
            json_body={
                "ranges": [
                    {"pack_id": name, "start": start, "length": length}
                    for name, start, length in wanted
                ]
            },
            missing="a pack",
        )

    def size(self, name: str) -> int | None:
        def read(response: requests.Response) -> int | None:
            response.content  # noqa: B018 - a HEAD has no body; releases the connection
            value = response.headers.get("Content-Length")
            if value is None or not value.isdigit():
                raise Permanent(f"the service gave no size for pack {name}")
            return int(value)

        try:
            return self._t.call(
                "HEAD",
                f"{self._base}/{check_id(name, 'pack')}",
                what=f"look up pack {name}",
                idempotent=True,
                read=read,
                missing=f"pack {name}",
            )
        except Permanent as err:
            if _is_404(err):
                return None
            raise

    def list(self, prefix: str = "") -> dict[str, int]:
        return {
            info.pack_id: info.size for info in self.states() if info.pack_id.startswith(prefix)
        }

    def states(self) -> builtins.list[PackInfo]:
        rows = self._t.call("GET", self._base, what="list packs", idempotent=True, read=read_json)
        return [
            PackInfo(
                pack_id=_str(row, "pack_id"),
                size=_int(row, "size"),
                # An uploaded, uncommitted pack is usable until its lease ends: that is when
                # it expires, as far as reusing it in a commit goes.
                expires_at=_opt_str(row, "expires_at") or _opt_str(row, "lease_until"),
            )
            for row in _rows(rows)
        ]

    def delete(self, name: str) -> None:
        raise Permanent("the service does not delete packs on request; they age out")


class SetStore:
    """PackStore + CommitLog of one set on the service."""

    def __init__(self, transport: Transport, set_id: str, packs: Backend) -> None:
        self.set_id = check_id(set_id, "set")
        self._t = transport
        self._base = f"/v1/sets/{self.set_id}"
        self.packs = packs

    # PackStore

    def put_pack(self, pack_id: str, data: PackBytes) -> None:
        self.packs.put(check_id(pack_id, "pack"), as_body(data))

    def get_pack(self, pack_id: str, start: int = 0, length: int | None = None) -> bytes:
        return self.packs.get(check_id(pack_id, "pack"), start, length)

    def get_pack_ranges(self, ranges: Ranges) -> bytes:
        return self.packs.get_ranges([(check_id(p, "pack"), s, n) for p, s, n in ranges])

    def pack_size(self, pack_id: str) -> int | None:
        return self.packs.size(check_id(pack_id, "pack"))

    def list_packs(self) -> dict[str, int]:
        return self.packs.list()

    # CommitLog

    def commit(self, request: CommitRequest) -> CommitResult:
        """Commit, resending after a lost answer or a 5xx: the service recognises an identical
        commit (same snapshot id, snapshot bytes and index id) and answers it with the original
        seq and time instead of applying it twice. A 409 is a real conflict."""
        try:
            answer = self._t.call(
                "POST",
                f"{self._base}/commits",
                what=f"commit snapshot {request.snapshot_id}",
                idempotent=True,
                read=read_json,
                ok=(200, 201),
                json_body=_commit_payload(request),
            )
        except ServiceRefused as err:
            if err.status == 409:
                raise CommitRejected(str(err)) from err
            raise
        return CommitResult(seq=_int(answer, "seq"), time=_str(answer, "time"))

    def list_snapshots(self) -> list[SnapshotEntry]:
        rows = self._t.call(
            "GET", f"{self._base}/snapshots", what="list snapshots", idempotent=True, read=read_json
        )
        return [
            SnapshotEntry(
                snapshot_id=_str(row, "snapshot_id"),
                seq=_int(row, "seq"),
                time=_str(row, "time"),
                size=_int(row, "size"),
            )
            for row in _rows(rows)
        ]

    def get_snapshot(self, snapshot_id: str) -> bytes:
        return self._get_object("snapshots", check_id(snapshot_id, "snapshot"), "snapshot")

    def list_indexes(self) -> list[IndexEntry]:
        rows = self._t.call(
            "GET", f"{self._base}/indexes", what="list indexes", idempotent=True, read=read_json
        )
        return [
            IndexEntry(index_id=_str(row, "index_id"), seq=_int(row, "seq"), kind=_str(row, "kind"))
            for row in _rows(rows)
        ]

    def get_index(self, index_id: str) -> bytes:
        return self._get_object("indexes", check_id(index_id, "index"), "index")

    def pack_states(self) -> list[PackInfo]:
        if isinstance(self.packs, ServicePacks):
            return self.packs.states()
        return ServicePacks(self._t, self.set_id).states()

    def _get_object(self, collection: str, object_id: str, kind: str) -> bytes:
        data: bytes = self._t.call(
            "GET",
            f"{self._base}/{collection}/{object_id}",
            what=f"download {kind} {object_id}",
            idempotent=True,
            read=read_bytes,
            missing=f"{kind} {object_id}",
        )
        return data


def _commit_payload(request: CommitRequest) -> dict[str, Any]:
    if request.index_kind not in ("delta", "full"):
        raise ValueError(f"index kind must be 'delta' or 'full', not {request.index_kind!r}")
    return {
        "snapshot_id": check_id(request.snapshot_id, "snapshot"),
        "snapshot": base64.b64encode(request.snapshot).decode("ascii"),
        "index_id": check_id(request.index_id, "index"),
        "index": base64.b64encode(request.index).decode("ascii"),
        "index_kind": request.index_kind,
        "added_packs": [check_id(p, "pack") for p in request.added_packs],
        "removed_packs": [check_id(p, "pack") for p in request.removed_packs],
        "supersedes": [check_id(i, "index") for i in request.supersedes],
    }


def _is_404(err: Permanent) -> bool:
    return isinstance(err, ObjectMissing | NotFound)


_BAD_ANSWER = "the service's answer could not be understood"


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise Permanent(_BAD_ANSWER)
    return value


def _str(row: Any, key: str) -> str:
    value = row.get(key) if isinstance(row, dict) else None
    if not isinstance(value, str):
        raise Permanent(_BAD_ANSWER)
    return value


def _opt_str(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is not None and not isinstance(value, str):
        raise Permanent(_BAD_ANSWER)
    return value


def _int(row: Any, key: str) -> int:
    value = row.get(key) if isinstance(row, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Permanent(_BAD_ANSWER)
    return value
