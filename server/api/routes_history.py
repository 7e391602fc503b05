"""Commits, snapshots and index objects of a backup set."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.clock import iso
from server.domain import history, sets
from server.domain.accounts import require_account
from server.domain.history import CommitInput
from server.errors import BadRequest

from . import schemas
from .auth import ContextDep, CurrentPrincipal
from .schemas import errors

router = APIRouter()

_ID = r"^[0-9a-f]{32}$"
OCTETS = "application/octet-stream"
SEALED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the sealed bytes, as the client uploaded them",
        "content": {OCTETS: {"schema": {"type": "string", "format": "binary"}}},
    }
}


class CommitBody(BaseModel):
    snapshot_id: str = Field(pattern=_ID)
    snapshot: str
    index_id: str = Field(pattern=_ID)
    index: str
    index_kind: Literal["delta", "full"]
    added_packs: list[str] = Field(default_factory=list)
    removed_packs: list[str] = Field(default_factory=list)
    supersedes: list[str] = Field(default_factory=list)


def _b64(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{name} is not valid base64") from None


@router.post(
    "/v1/sets/{set_id}/commits",
    responses={
        **schemas.answers(s200=schemas.CommitOut, s201=schemas.CommitOut),
        **errors(409),
    },
)
def post_commit(
    set_id: str, body: CommitBody, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    """Atomically record a snapshot, an index object and the pack live-set delta."""
    data = CommitInput(
        snapshot_id=body.snapshot_id,
        snapshot=_b64(body.snapshot, "snapshot"),
        index_id=body.index_id,
        index=_b64(body.index, "index"),
        index_kind=body.index_kind,
        added_packs=tuple(body.added_packs),
        removed_packs=tuple(body.removed_packs),
        supersedes=tuple(body.supersedes),
    )
    now = context.clock.now()
    history.validate(data)
    with context.db.write() as session:
        account = require_account(session, principal.account_id)
        sets.require_unlocked(session, account, now)
        backup_set = sets.find_set(session, principal.account_id, set_id, lock=True)
        record, created = history.commit(
            session, account, backup_set, data, principal.device_id, now
        )
        payload = f'{{"seq": {record.seq}, "time": "{iso(record.time)}"}}'
    return Response(
        payload.encode(), status_code=201 if created else 200, media_type="application/json"
    )


@router.head("/v1/sets/{set_id}/snapshots", include_in_schema=False)
@router.get("/v1/sets/{set_id}/snapshots", response_model=list[schemas.SnapshotOut])
def list_snapshots(
    set_id: str, principal: CurrentPrincipal, context: ContextDep
) -> list[dict[str, Any]]:
    now = context.clock.now()
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        sets.require_unlocked(session, account, now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        return [
            {
                "snapshot_id": row.snapshot_id,
                "seq": row.seq,
                "time": iso(row.time),
                "size": row.snapshot_size,
            }
            for row in history.visible_snapshots(session, account, backup_set, now)
        ]


@router.head("/v1/sets/{set_id}/snapshots/{snapshot_id}", include_in_schema=False)
@router.get("/v1/sets/{set_id}/snapshots/{snapshot_id}", response_class=Response, responses=SEALED)
def get_snapshot(
    set_id: str, snapshot_id: str, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    now = context.clock.now()
    with context.db.read() as session:
        account = require_account(session, principal.account_id)
        sets.require_unlocked(session, account, now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        data = history.get_snapshot(session, account, backup_set, snapshot_id, now)
    return Response(data, media_type=OCTETS)


@router.head("/v1/sets/{set_id}/indexes", include_in_schema=False)
@router.get("/v1/sets/{set_id}/indexes", response_model=list[schemas.IndexOut])
def list_indexes(
    set_id: str, principal: CurrentPrincipal, context: ContextDep
) -> list[dict[str, Any]]:
    now = context.clock.now()
    with context.db.read() as session:
        sets.require_unlocked(session, require_account(session, principal.account_id), now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        return [
            {"index_id": row.index_id, "seq": row.seq, "kind": row.kind, "size": row.size}
            for row in history.listed_indexes(session, backup_set)
        ]


@router.head("/v1/sets/{set_id}/indexes/{index_id}", include_in_schema=False)
@router.get("/v1/sets/{set_id}/indexes/{index_id}", response_class=Response, responses=SEALED)
def get_index(
    set_id: str, index_id: str, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    now = context.clock.now()
    with context.db.read() as session:
        sets.require_unlocked(session, require_account(session, principal.account_id), now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        data = history.get_index(session, backup_set, index_id)
    return Response(data, media_type=OCTETS)
