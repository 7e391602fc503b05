"""Backup sets and their packs: create/list sets, PUT/HEAD/GET (with Range)/list packs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request, Response

from server import checksums, ids
from server.checksums import Checksum
from server.clock import iso
from server.domain import sets, uploads
from server.domain.accounts import require_account
from server.errors import BadRequest, NotFound, RangeNotSatisfiable
from server.store import ObjectNotFound

from . import schemas
from .auth import BearerToken, ContextDep, CurrentPrincipal, note_seen, principal_in
from .context import Context
from .schemas import errors

router = APIRouter()
T = TypeVar("T")

OCTETS = "application/octet-stream"
PACK_ROUTE = "/v1/sets/{set_id}/packs/{pack_id}"
BINARY = {"type": "string", "format": "binary"}
FEED_BYTES = 1024 * 1024  # body bytes handed to a worker thread at a time (hash + write)
# Upload bodies are hashed and written on threads of their own, at most this many at a time, so
# a burst of uploads never takes the threads that commits and listings need.
UPLOAD_THREADS = anyio.CapacityLimiter(max(2, os.cpu_count() or 2))


def _consume(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


async def _off_loop(function: Callable[..., T], *args: Any) -> T:
    return await anyio.to_thread.run_sync(function, *args, limiter=UPLOAD_THREADS)


@router.put(
    "/v1/sets/{set_id}",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}},
        201: {"content": {"application/json": {"schema": {"type": "object"}}}},
    },
)
def put_set(set_id: str, principal: CurrentPrincipal, context: ContextDep) -> Response:
    now = context.clock.now()
    if not ids.is_id(set_id):
        raise NotFound("no such backup set")
    with context.db.write() as session:
        account = require_account(session, principal.account_id, lock=True)
        sets.require_unlocked(session, account, now)
        created = sets.ensure_set(session, principal.account_id, set_id, now)
    return Response(b"{}", status_code=201 if created else 200, media_type="application/json")


@router.head("/v1/sets", include_in_schema=False)
@router.get("/v1/sets", response_model=list[schemas.SetOut], responses=errors(401))
def list_sets(principal: CurrentPrincipal, context: ContextDep) -> list[dict[str, Any]]:
    with context.db.read() as session:
        return [
            {"set_id": s.set_id, "created_at": iso(s.created_at), "head_seq": s.head_seq}
            for s in sets.list_sets(session, principal.account_id)
        ]


@router.put(
    PACK_ROUTE,
    responses={
        **schemas.answers(s200=schemas.PutPackOut, s201=schemas.PutPackOut),
        **errors(409, 413),
    },
    openapi_extra={
        "parameters": [
            {
                "name": "X-Content-BLAKE3",
                "in": "header",
                "required": False,
                "description": "hex BLAKE3 (32 bytes) of the body; this or X-Content-SHA256",
                "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
            {
                "name": "X-Content-SHA256",
                "in": "header",
                "required": False,
                "description": "hex SHA-256 of the body (older clients); this or X-Content-BLAKE3",
                "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        ],
        "requestBody": {"required": True, "content": {OCTETS: {"schema": BINARY}}},
    },
)
async def put_pack(
    set_id: str, pack_id: str, request: Request, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    """Store a pack. The body is read once; hashing and the durable write run off the loop."""
    declared: Checksum | None = None
    malformed: BadRequest | None = None
    try:
        declared = checksums.declared(request.headers)
    except BadRequest as exc:  # told after the checks that answer 404 for others' sets
        malformed = exc
    length_header = request.headers.get("content-length")
    length = int(length_header) if length_header and length_header.isdigit() else None
    now = context.clock.now()
    check = await _off_loop(
        uploads.precheck, context.db, principal, set_id, pack_id, declared, length, now
    )
    if declared is None:
        raise malformed or BadRequest("no checksum")
    sink = uploads.UploadSink(context.store, check, declared)
    # One piece is hashed and written on a worker while the next arrives; pieces go in order.
    feeding: asyncio.Future[None] | None = None
    try:
        pending: list[bytes] = []
        pending_size = 0
        async for chunk in request.stream():
            if chunk:
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size >= FEED_BYTES:
                    if feeding is not None:
                        await feeding
                    feeding = asyncio.ensure_future(_off_loop(sink.feed, pending))
                    pending, pending_size = [], 0
        if feeding is not None:
            await feeding
        if pending:
            await _off_loop(sink.feed, pending)
        created = await _off_loop(sink.finish, context.db, now)
    finally:
        if feeding is not None and not feeding.done():
            # The request failed while a piece was being written: its outcome no longer
            # matters (abort waits for it and drops the file), but it must not go unheard.
            feeding.add_done_callback(_consume)
        sink.abort()
    received = sink.size
    return Response(
        f'{{"size": {received}}}'.encode(),
        status_code=201 if created else 200,
        media_type="application/json",
    )


@router.head(
    PACK_ROUTE,
    operation_id="head_pack",
    response_class=Response,
    responses={200: {"description": "the pack exists; its size and checksum in the headers"}},
)
def head_pack(set_id: str, pack_id: str, token: BearerToken, context: ContextDep) -> Response:
    _key, size, checksum = locate(context, token, set_id, pack_id)
    return Response(
        status_code=200,
        headers={
            "Content-Length": str(size),
            "Accept-Ranges": "bytes",
            checksum.header: checksum.hex,
            "Content-Type": OCTETS,
        },
    )


@router.get(  # HEAD has its own route
    PACK_ROUTE,
    response_class=Response,
    responses={
        200: {"content": {OCTETS: {"schema": BINARY}}},
        206: {"description": "the requested range", "content": {OCTETS: {"schema": BINARY}}},
        **errors(416),
    },
    openapi_extra={
        "parameters": [
            {
                "name": "Range",
                "in": "header",
                "required": False,
                "description": "one range: bytes=a-b, bytes=a- or bytes=-n",
                "schema": {"type": "string"},
            }
        ]
    },
)
def get_pack(
    set_id: str, pack_id: str, request: Request, token: BearerToken, context: ContextDep
) -> Response:
    key, size, checksum = locate(context, token, set_id, pack_id)
    wanted = parse_range(request.headers.get("range"), size)
    try:
        if wanted is None:
            data = context.store.get(key)
            return Response(
                data,
                media_type=OCTETS,
                headers={"Accept-Ranges": "bytes", checksum.header: checksum.hex},
            )
        start, end = wanted
        data = context.store.get(key, start, end - start + 1)
    except ObjectNotFound:
        raise NotFound("no such pack") from None
    return Response(
        data,
        status_code=206,
        media_type=OCTETS,
        headers={"Accept-Ranges": "bytes", "Content-Range": f"bytes {start}-{end}/{size}"},
    )


@router.head("/v1/sets/{set_id}/packs", include_in_schema=False)
@router.get("/v1/sets/{set_id}/packs", response_model=list[schemas.PackOut])
def list_packs(
    set_id: str, principal: CurrentPrincipal, context: ContextDep
) -> list[dict[str, Any]]:
    now = context.clock.now()
    with context.db.read() as session:
        sets.require_unlocked(session, require_account(session, principal.account_id), now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        return [
            {
                "pack_id": p.pack_id,
                "size": p.size,
                "state": p.state,
                "expires_at": None if p.expires_at is None else iso(p.expires_at),
                "lease_until": None if p.lease_until is None else iso(p.lease_until),
            }
            for p in sets.listed_packs(session, backup_set, now)
        ]


def locate(context: Context, token: str, set_id: str, pack_id: str) -> tuple[str, int, Checksum]:
    """The object key, size and checksum of a pack the token's owner may read. A restore sends
    hundreds of these reads, so the token, the subscription and the pack are checked in one
    session on one worker thread (not a dependency's thread and session, then the route's)."""
    now = context.clock.now()
    with context.db.read() as session:
        principal, account, stale = principal_in(session, token, now)
        sets.require_unlocked(session, account, now)
        found = sets.stored_pack(session, principal.account_id, set_id, pack_id)
    if stale:
        note_seen(context, principal, now)
    return found


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One `bytes=` range as inclusive (start, end); None means the whole pack."""
    if header is None:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        raise RangeNotSatisfiable("only one byte range per request is supported", size=size)
    first, dash, last = spec.strip().partition("-")
    try:
        if not dash:
            raise ValueError(spec)
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                raise ValueError(spec)
            start, end = max(size - suffix, 0), size - 1
        else:
            start = int(first)
            end = size - 1 if last == "" else min(int(last), size - 1)
            if int(last or end) < start:
                raise ValueError(spec)
    except ValueError:
        raise RangeNotSatisfiable(f"malformed range {header!r}", size=size) from None
    if start >= size or start < 0:
        raise RangeNotSatisfiable(f"the range starts beyond the pack's {size} bytes", size=size)
    return start, end
