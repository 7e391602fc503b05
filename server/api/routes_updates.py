"""`GET /v1/updates`: the client release that is current, for the app's "Check for updates".

Public, because an updater may ask before anyone signs in, and the same answer for everyone: it
reads no token and no account, so it reveals nothing but what the operator published. The
optional `platform` only picks the release; it is not logged (the request log keeps the route
template, never the query).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from server.clock import iso
from server.domain import releases

from . import schemas
from .auth import ContextDep

router = APIRouter()
NOTHING_PUBLISHED = {"version": None, "url": None, "notes": None, "published_at": None}


@router.head("/v1/updates", include_in_schema=False)
@router.get("/v1/updates", response_model=schemas.UpdateOut)
def get_updates(
    context: ContextDep,
    platform: Annotated[
        str | None,
        Query(
            max_length=64,
            description="the client's platform (windows, macos, linux...); an unknown one gets "
            "the release for every platform",
        ),
    ] = None,
) -> dict[str, Any]:
    """The newest published release (`version: null` when the operator published none)."""
    wanted = None if platform is None else platform.strip().lower()
    if wanted is not None and not releases.is_platform(wanted):
        wanted = None
    with context.db.read() as session:
        release = releases.current(session, wanted)
        if release is None:
            return dict(NOTHING_PUBLISHED)
        return {
            "version": release.version,
            "url": release.url,
            "notes": release.notes,
            "published_at": iso(release.published_at),
        }
