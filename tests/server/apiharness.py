"""In-process service for tests: the real app on a temp database and folder, with a hand-set
clock, plus a small client for one signed-in device."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import blake3
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.clock import FixedClock
from server.db.engine import Database
from server.db.models import Account, Base
from server.store import PackStore

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PASSWORD = "correct horse"


@dataclass
class Harness:
    client: TestClient
    clock: FixedClock
    db: Database
    store: PackStore
    data_dir: Path

    def location(self) -> list[str]:
        """The admin CLI's options that point at this harness's database and packs."""
        return [
            "--data-dir",
            str(self.data_dir),
            "--database-url",
            self.db.url,
            "--storage-url",
            str(self.data_dir / "packs"),
        ]

    def dump(self) -> str:
        """Every row of every table as text, whichever the database (what an operator sees)."""
        lines = []
        with self.db.read() as session:
            for table in Base.metadata.sorted_tables:
                for row in session.execute(select(table)):
                    lines.append(f"{table.name}: {tuple(row)!r}")
        return "\n".join(lines)

    def signup(self, email: str | None = None, password: str = PASSWORD) -> str:
        email = email or f"u-{secrets.token_hex(5)}@example.org"
        reply = self.client.post("/v1/accounts", json={"email": email, "password": password})
        assert reply.status_code == 201, reply.text
        return email

    def login(self, email: str, password: str = PASSWORD, device: str = "pc") -> Api:
        reply = self.client.post(
            "/v1/sessions", json={"email": email, "password": password, "device_name": device}
        )
        assert reply.status_code == 201, reply.text
        return Api(self.client, reply.json()["token"], reply.json()["device_id"])

    def set_account(self, email: str, **values: Any) -> None:
        """Change account columns directly (what the admin commands do)."""
        with self.db.write() as session:
            session.execute(
                update(Account).where(Account.email_norm == email.lower()).values(**values)
            )

    def user(self, plan: str | None = None) -> Api:
        email = self.signup()
        if plan is not None:
            with self.db.write() as session:
                session.execute(
                    update(Account).where(Account.email_norm == email).values(plan_code=plan)
                )
        api = self.login(email)
        api.email = email
        return api


@dataclass
class Api:
    """One signed-in device talking to the service."""

    client: TestClient
    token: str
    device_id: str
    email: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def new_set(self) -> str:
        set_id = secrets.token_hex(16)
        assert self.call("PUT", f"/v1/sets/{set_id}", json={}).status_code == 201
        return set_id

    def put_pack(
        self, set_id: str, data: bytes, pack_id: str | None = None, *, older_client: bool = False
    ) -> tuple[str, Any]:
        """Upload as the current client does (BLAKE3), or as a client from before BLAKE3 did
        (`older_client`: SHA-256)."""
        pack_id = pack_id or secrets.token_hex(16)
        if older_client:
            checksum = {"X-Content-SHA256": hashlib.sha256(data).hexdigest()}
        else:
            checksum = {"X-Content-BLAKE3": blake3.blake3(data).hexdigest()}
        reply = self.call(
            "PUT", f"/v1/sets/{set_id}/packs/{pack_id}", content=data, headers=checksum
        )
        return pack_id, reply

    def commit(
        self,
        set_id: str,
        added: list[str] = [],  # noqa: B006 - never mutated
        removed: list[str] = [],  # noqa: B006
        kind: str = "delta",
        supersedes: list[str] = [],  # noqa: B006
        snapshot: bytes | None = None,
        snapshot_id: str | None = None,
        index_id: str | None = None,
    ) -> Any:
        body = {
            "snapshot_id": snapshot_id or secrets.token_hex(16),
            "snapshot": base64.b64encode(snapshot or secrets.token_bytes(40)).decode(),
            "index_id": index_id or secrets.token_hex(16),
            "index": base64.b64encode(b"index-" + secrets.token_bytes(8)).decode(),
            "index_kind": kind,
            "added_packs": added,
            "removed_packs": removed,
            "supersedes": supersedes,
        }
        reply = self.call("POST", f"/v1/sets/{set_id}/commits", json=body)
        reply.request_body = body
        return reply
