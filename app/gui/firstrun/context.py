"""What the first-run pages learn and hand on to each other (one object shared by the pages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.controller import Controller, KitSaved, Setup, SignedIn
from app.gui.bridge import Bridge

SIGN_IN, KIT, IMPORT, RESTORE_OFFER, FOLDERS, SUMMARY = range(6)


@dataclass
class FirstRun:
    controller: Controller
    bridge: Bridge
    setup: Setup
    signed_in: SignedIn | None = None
    start_fresh: bool = False  # an account with backups, but the person wants a new backup set
    snapshots_found: int = 0
    restore_everything: bool = False
    kit: KitSaved | None = None
    folders: list[str] = field(default_factory=list)

    @property
    def new_pc(self) -> bool:
        return bool(self.signed_in and self.signed_in.existing_sets and not self.start_fresh)
