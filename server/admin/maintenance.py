"""Admin commands that keep storage honest: gc, scrub and stats."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any, clock: argparse.ArgumentParser) -> None:
    """Registered in Phase 2."""
