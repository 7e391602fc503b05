"""The account's devices: list, rename, revoke. Another account's device is a 404, like one that
does not exist."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.clock import iso
from server.db.models import Device
from server.domain import accounts

from . import schemas
from .auth import ContextDep, CurrentPrincipal
from .schemas import errors

router = APIRouter()


class Rename(BaseModel):
    name: str = Field(min_length=1, max_length=accounts.MAX_DEVICE_NAME)


def _device(device: Device, current_id: str) -> dict[str, Any]:
    return {
        "device_id": device.id,
        "name": device.name,
        "created_at": iso(device.created_at),
        "last_seen_at": iso(device.last_seen_at),
        "current": device.id == current_id,
    }


@router.head("/v1/devices", include_in_schema=False)
@router.get("/v1/devices", response_model=list[schemas.DeviceOut], responses=errors(401))
def list_devices(principal: CurrentPrincipal, context: ContextDep) -> list[dict[str, Any]]:
    with context.db.read() as session:
        return [
            _device(d, principal.device_id)
            for d in accounts.active_devices(session, principal.account_id)
        ]


@router.patch(
    "/v1/devices/{device_id}", response_model=schemas.DeviceOut, responses=errors(401, 404)
)
def rename_device(
    device_id: str, body: Rename, principal: CurrentPrincipal, context: ContextDep
) -> dict[str, Any]:
    """Rename a device (names are for people; they need not be unique)."""
    with context.db.write() as session:
        device = accounts.rename_device(session, principal.account_id, device_id, body.name)
        return _device(device, principal.device_id)


@router.delete("/v1/devices/{device_id}", status_code=204, responses=errors(401, 404))
def revoke_device(device_id: str, principal: CurrentPrincipal, context: ContextDep) -> Response:
    """Revoke a device: its token is refused from the next request on."""
    with context.db.write() as session:
        accounts.revoke_device(session, principal.account_id, device_id, context.clock.now())
    return Response(status_code=204)
