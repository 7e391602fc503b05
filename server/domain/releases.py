"""Client releases the operator publishes (`keepsake-server admin set-release`): the newest one
is what the app's "Check for updates" is told about. Release information is operator data in the
`releases` table, never code, so every service process answers the same without a deploy.

A release is for every platform, or for one (`windows`, `macos`, `linux`...); a client that says
its platform gets the newest release for it or for every platform, whichever is newer.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Release
from server.errors import BadRequest

EVERY_PLATFORM = ""
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")
MAX_URL, MAX_NOTES = 2000, 4000


def publish(
    session: Session,
    version: str,
    url: str,
    notes: str | None,
    platform: str | None,
    now: datetime,
) -> Release:
    """Record a release as current from `now` on (the caller commits). Earlier ones stay as
    history; only the newest is served."""
    if not _VERSION.fullmatch(version):
        raise BadRequest("a version is 1 to 64 letters, digits, dots, pluses or hyphens")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > MAX_URL or _unsafe(url):
        raise BadRequest(
            f"the download URL must be an https:// URL of at most {MAX_URL} characters"
        )
    if notes is not None and len(notes) > MAX_NOTES:
        raise BadRequest(f"release notes may be at most {MAX_NOTES} characters")
    if platform is not None and not is_platform(platform):
        raise BadRequest("a platform is a short lower-case name such as windows, macos or linux")
    release = Release(
        platform=platform or EVERY_PLATFORM,
        version=version,
        url=url,
        notes=notes or None,
        published_at=now,
    )
    session.add(release)
    session.flush()
    return release


def current(session: Session, platform: str | None) -> Release | None:
    """The release a client on `platform` (None: it did not say) should run, or None."""
    platforms = [EVERY_PLATFORM] if platform is None else [EVERY_PLATFORM, platform]
    return session.scalars(
        select(Release)
        .where(Release.platform.in_(platforms))
        .order_by(Release.published_at.desc(), Release.pk.desc())
        .limit(1)
    ).first()


def is_platform(name: str) -> bool:
    return _PLATFORM.fullmatch(name) is not None


def _unsafe(text: str) -> bool:
    return any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text)
