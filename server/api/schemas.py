"""Response shapes, so `/openapi.json` (the authoritative contract) describes every answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    error: str
    message: str


class HealthOut(BaseModel):
    status: str
    version: str


class AccountCreatedOut(BaseModel):
    account_id: str


class SessionOut(BaseModel):
    device_id: str
    token: str
    account_id: str


class WarningOut(BaseModel):
    code: str
    date: str
    message: str


class AccountOut(BaseModel):
    account_id: str
    email: str
    plan: str
    state: str
    locked: bool
    lock_reason: str | None
    locked_since: str | None
    delete_data_at: str | None
    quota_bytes: int | None
    usage_bytes: int
    retention_days: int
    devices_used: int
    devices_allowed: int
    paid_until: str | None
    created_at: str
    last_backup_at: str | None
    warnings: list[WarningOut]


class DeviceOut(BaseModel):
    device_id: str
    name: str
    created_at: str
    last_seen_at: str
    current: bool


class SetOut(BaseModel):
    set_id: str
    created_at: str
    head_seq: int


class PackOut(BaseModel):
    pack_id: str
    size: int
    state: str
    expires_at: str | None
    lease_until: str | None


class PutPackOut(BaseModel):
    size: int


class CommitOut(BaseModel):
    seq: int
    time: str


class SnapshotOut(BaseModel):
    snapshot_id: str
    seq: int
    time: str
    size: int


class IndexOut(BaseModel):
    index_id: str
    seq: int
    kind: str
    size: int


def answers(**models: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for routes that build their own Response: {status: model}."""
    return {int(status.removeprefix("s")): {"model": model} for status, model in models.items()}
