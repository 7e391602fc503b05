"""Response shapes, so `/openapi.json` (the authoritative contract) describes every answer,
errors included."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    """Every error: a machine code, one human sentence, and fields some codes add (`reason`,
    `since`, `used`, `allowed`, `packs`, `size`, `retry_after`, `devices`...)."""

    model_config = ConfigDict(extra="allow")

    error: str
    message: str


class JobOut(BaseModel):
    last_finished_at: str | None
    last_ok: bool | None


class HealthOut(BaseModel):
    status: str  # ok | failing
    version: str
    uptime_seconds: int
    checks: dict[str, str]  # database, storage, copy_storage: "ok" or "failing"
    jobs: dict[str, JobOut]


class UpdateOut(BaseModel):
    """The current client release; every field is null when none is published."""

    version: str | None
    url: str | None
    notes: str | None
    published_at: str | None


class AccountCreatedOut(BaseModel):
    account_id: str


class SessionOut(BaseModel):
    device_id: str
    token: str
    account_id: str


class PasswordChangedOut(BaseModel):
    devices_signed_out: int


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


class ConsentOut(BaseModel):
    granted: bool
    changed_at: str | None
    meaning: str


class ExportDeviceOut(BaseModel):
    device_id: str
    name: str
    created_at: str
    last_seen_at: str
    revoked_at: str | None


class ExportSignInOut(BaseModel):
    time: str
    outcome: str
    device_id: str | None
    client: str | None


class ExportBillingOut(BaseModel):
    plan: str
    plan_name: str
    state: str
    state_since: str
    end_reason: str | None
    paid_until: str | None
    retention_days_override: int | None
    quota_bytes_override: int | None


class ExportSetOut(BaseModel):
    set_id: str
    created_at: str
    head_seq: int
    snapshots_stored: int
    packs_stored: int
    bytes_stored: int


class ExportNoticeOut(BaseModel):
    code: str
    date: str
    sent_at: str | None


class ExportOut(BaseModel):
    format: str
    version: int
    exported_at: str
    account: AccountOut
    billing: ExportBillingOut
    consents: dict[str, ConsentOut]
    devices: list[ExportDeviceOut]
    sign_ins: list[ExportSignInOut]
    backup_sets: list[ExportSetOut]
    notices_sent: list[ExportNoticeOut]
    recovery_kit_stored: str | None


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


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for the error statuses a route may answer, all in the `ErrorOut` shape."""
    return {status: {"model": ErrorOut} for status in statuses}


class RangeIn(BaseModel):
    pack_id: str
    start: int = Field(ge=0)
    length: int = Field(ge=1)


class ReadsIn(BaseModel):
    ranges: list[RangeIn]
