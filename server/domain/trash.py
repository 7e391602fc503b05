"""Objects whose rows are gone wait here until GC deletes their bytes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.models import Trash


def discard_object(session: Session, object_key: str, now: datetime) -> None:
    """Queue bytes for deletion; the rows that pointed at them are already gone or repointed."""
    if session.scalars(select(Trash.pk).where(Trash.object_key == object_key)).first() is None:
        session.add(Trash(object_key=object_key, queued_at=now, delete_after=now))
