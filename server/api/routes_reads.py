"""Byte ranges of several packs in one request: what a restore needs for one batch of files.

A batch of small files usually lies in two or three packs (the small files' own, and the
photos' in a pack of their own), and a request per pack meant hundreds more round trips per
restore, each waiting on the network. The ranges are checked together (one token check, one
query for every pack) and answered back to back, in the order asked for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from server.api.schemas import ReadsIn, errors
from server.domain import sets
from server.errors import BadRequest, NotFound, RangeNotSatisfiable, TooLarge
from server.store import ObjectNotFound

from .auth import BearerToken, ContextDep, note_seen, principal_in
from .routes_packs import BINARY, OCTETS

router = APIRouter()

MAX_RANGES = 4096
MAX_READ_BYTES = 64 * 1024 * 1024  # what one answer may hold


@router.post(
    "/v1/sets/{set_id}/reads",
    response_class=Response,
    responses={200: {"content": {OCTETS: {"schema": BINARY}}}, **errors(413, 416)},
)
def read_ranges(set_id: str, body: ReadsIn, token: BearerToken, context: ContextDep) -> Response:
    ranges = body.ranges
    if len(ranges) > MAX_RANGES:
        raise BadRequest(f"at most {MAX_RANGES} ranges per request")
    if sum(r.length for r in ranges) > MAX_READ_BYTES:
        raise TooLarge(f"at most {MAX_READ_BYTES} bytes per request")
    now = context.clock.now()
    with context.db.read() as session:
        principal, account, stale = principal_in(session, token, now)
        sets.require_unlocked(session, account, now)
        packs = sets.stored_packs(
            session, principal.account_id, set_id, {r.pack_id for r in ranges}
        )
    if stale:
        note_seen(context, principal, now)
    for r in ranges:
        size = packs[r.pack_id][1]
        if r.start + r.length > size:
            raise RangeNotSatisfiable("a range lies past the end of its pack", size=size)
    try:
        parts = [context.store.get(packs[r.pack_id][0], r.start, r.length) for r in ranges]
    except ObjectNotFound:
        raise NotFound("no such pack") from None

    async def one_by_one() -> AsyncIterator[bytes]:  # joined, they would be copied once more
        for part in parts:
            yield part

    length = str(sum(len(part) for part in parts))
    return StreamingResponse(one_by_one(), media_type=OCTETS, headers={"Content-Length": length})
