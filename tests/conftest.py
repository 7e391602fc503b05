"""Shared fixtures: one real service process per test session, and a fresh account per test."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

# The suite imports `tests.*` helpers: make the repository root importable however pytest was
# started (`pytest`, `python -m pytest`, with or without PYTHONPATH).
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.support.service import RunningService, start_service  # noqa: E402


@dataclass(frozen=True)
class TestAccount:
    email: str
    password: str
    plan: str


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    """The real service on a free loopback port, shared by the whole session."""
    running = start_service(tmp_path_factory.mktemp("service"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def make_account(service: RunningService) -> Callable[..., TestAccount]:
    """Factory: `make_account(plan="PRO")` creates a new account with a unique email."""

    def make(plan: str = "PRO") -> TestAccount:
        email = f"user-{secrets.token_hex(6)}@example.org"
        password = secrets.token_urlsafe(12)
        service.create_account(email, password, plan=plan)
        return TestAccount(email=email, password=password, plan=plan)

    return make


@pytest.fixture
def fresh_account(make_account: Callable[..., TestAccount]) -> TestAccount:
    """A new PRO account on the session service (unique per test)."""
    return make_account()


def native_module() -> ModuleType:
    """The native module, for tests of it: skipped where it was not built (a machine without
    Rust), but a failure where the build was required (`KEEPSAKE_NATIVE=1`, as in CI)."""
    from app.core import native

    if native.module is None:
        if os.environ.get("KEEPSAKE_NATIVE") == "1":
            pytest.fail("KEEPSAKE_NATIVE=1 but the native module is not importable")
        pytest.skip("the native module is not built here (no Rust toolchain)")
    return native.module


@pytest.fixture
def python_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the engine's pure-Python path: the fallback, and the one tests can reach inside."""
    from app.core import native

    monkeypatch.setattr(native, "module", None)


@pytest.fixture(params=["native", "python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once on each engine path; both write the same format."""
    from app.core import native

    if request.param == "native":
        native_module()
    else:
        monkeypatch.setattr(native, "module", None)
    return str(request.param)
