"""Consent flags: what the person agreed to, each off until they turn it on, with the time of
their last change. The service records them so they are part of the person's export and can
be proven; it acts on none by itself (it sends no news and collects no telemetry today)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import iso
from server.db.models import Consent
from server.errors import BadRequest

KNOWN = {
    "telemetry": "the app may send anonymous usage and crash reports",
    "product_news_email": "news about Keepsake may be sent by e-mail",
}


def consents_of(session: Session, account_id: str) -> dict[str, dict[str, Any]]:
    """Every known flag: `{name: {granted, changed_at|None, meaning}}` (never set: not granted)."""
    stored = {
        c.name: c for c in session.scalars(select(Consent).where(Consent.account_id == account_id))
    }
    result: dict[str, dict[str, Any]] = {}
    for name, meaning in KNOWN.items():
        row = stored.get(name)
        result[name] = {
            "granted": bool(row and row.granted),
            "changed_at": None if row is None else iso(row.changed_at),
            "meaning": meaning,
        }
    return result


def set_consents(
    session: Session, account_id: str, changes: Mapping[str, bool], now: datetime
) -> None:
    unknown = sorted(set(changes) - set(KNOWN))
    if unknown:
        raise BadRequest(f"unknown consent flag(s): {', '.join(unknown)}")
    for name, granted in changes.items():
        row = session.get(Consent, (account_id, name))
        if row is None:
            session.add(Consent(account_id=account_id, name=name, granted=granted, changed_at=now))
        elif row.granted != granted:
            row.granted, row.changed_at = granted, now
