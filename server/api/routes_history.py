"""Commits, snapshots and index objects of a backup set."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.clock import iso
from server.db.models import Account
from server.domain import history, sets
from server.domain.accounts import Principal
from server.domain.history import CommitInput
from server.errors import BadRequest, NotFound

from .auth import ContextDep, CurrentPrincipal

router = APIRouter()

_ID = r"^[0-9a-f]{32}$"


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


def _account(session: Any, principal: Principal) -> Account:
    account = session.get(Account, principal.account_id)
    if account is None:
        raise NotFound("no such backup set")
    assert isinstance(account, Account)
    return account


@router.post("/v1/sets/{set_id}/commits")
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
    with context.db.write() as session:
        account = _account(session, principal)
        sets.require_unlocked(session, account, now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        record, created = history.commit(
            session, account, backup_set, data, principal.device_id, now
        )
        payload = f'{{"seq": {record.seq}, "time": "{iso(record.time)}"}}'
    return Response(
        payload.encode(), status_code=201 if created else 200, media_type="application/json"
    )


@router.api_route("/v1/sets/{set_id}/snapshots", methods=["GET", "HEAD"])
def list_snapshots(
    set_id: str, principal: CurrentPrincipal, context: ContextDep
) -> list[dict[str, Any]]:
    now = context.clock.now()
    with context.db.read() as session:
        account = _account(session, principal)
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


@router.api_route("/v1/sets/{set_id}/snapshots/{snapshot_id}", methods=["GET", "HEAD"])
def get_snapshot(
    set_id: str, snapshot_id: str, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    now = context.clock.now()
    with context.db.read() as session:
        account = _account(session, principal)
        sets.require_unlocked(session, account, now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        data = history.get_snapshot(session, account, backup_set, snapshot_id, now)
    return Response(data, media_type="application/octet-stream")


@router.api_route("/v1/sets/{set_id}/indexes", methods=["GET", "HEAD"])
def list_indexes(
    set_id: str, principal: CurrentPrincipal, context: ContextDep
) -> list[dict[str, Any]]:
    now = context.clock.now()
    with context.db.read() as session:
        sets.require_unlocked(session, _account(session, principal), now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        return [
            {"index_id": row.index_id, "seq": row.seq, "kind": row.kind, "size": row.size}
            for row in history.listed_indexes(session, backup_set)
        ]


@router.api_route("/v1/sets/{set_id}/indexes/{index_id}", methods=["GET", "HEAD"])
def get_index(
    set_id: str, index_id: str, principal: CurrentPrincipal, context: ContextDep
) -> Response:
    now = context.clock.now()
    with context.db.read() as session:
        sets.require_unlocked(session, _account(session, principal), now)
        backup_set = sets.find_set(session, principal.account_id, set_id)
        data = history.get_index(session, backup_set, index_id)
    return Response(data, media_type="application/octet-stream")
