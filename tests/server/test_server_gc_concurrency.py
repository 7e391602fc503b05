"""GC running (from another process's point of view) while backups upload and commit."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from server.db.engine import Database, sqlite_url
from server.domain.gc import collect
from server.store.folder import FolderStore
from tests.support.service import running_service


def test_gc_racing_backups_never_loses_a_committed_pack(tmp_path: Path) -> None:
    """GC acts at a moment when every lease has run out, so it collects each uncommitted pack it
    sees; whatever a successful commit made live must survive, and a commit that lost the race
    must be refused with `missing_packs`, never half-applied."""
    with running_service(tmp_path / "svc") as service:
        service.create_account("gc-race@example.org", "race password", plan="PRO")
        token = requests.post(
            service.url + "/v1/sessions",
            json={"email": "gc-race@example.org", "password": "race password", "device_name": "pc"},
            timeout=30,
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        set_id = secrets.token_hex(16)
        requests.put(f"{service.url}/v1/sets/{set_id}", json={}, headers=auth, timeout=10)
        db = Database(sqlite_url(service.data_dir / "keepsake.db"))
        store = FolderStore(service.data_dir / "packs")
        gc_time = datetime.now(UTC) + timedelta(hours=96) + timedelta(days=2)
        stop = threading.Event()
        runs = 0

        def collector() -> None:
            nonlocal runs
            while not stop.is_set():
                collect(db, store, gc_time)
                runs += 1

        gc_thread = threading.Thread(target=collector)
        gc_thread.start()
        committed: dict[str, bytes] = {}
        refused = 0
        try:
            for _ in range(15):
                data = os.urandom(50_000)
                pack_id = secrets.token_hex(16)
                put = requests.put(
                    f"{service.url}/v1/sets/{set_id}/packs/{pack_id}",
                    data=data,
                    headers={**auth, "X-Content-SHA256": hashlib.sha256(data).hexdigest()},
                    timeout=30,
                )
                assert put.status_code == 201, put.text
                reply = requests.post(
                    f"{service.url}/v1/sets/{set_id}/commits",
                    json={
                        "snapshot_id": secrets.token_hex(16),
                        "snapshot": base64.b64encode(b"s").decode(),
                        "index_id": secrets.token_hex(16),
                        "index": base64.b64encode(b"i").decode(),
                        "index_kind": "delta",
                        "added_packs": [pack_id],
                        "removed_packs": [],
                    },
                    headers=auth,
                    timeout=30,
                )
                if reply.status_code == 201:
                    committed[pack_id] = data
                else:
                    assert reply.status_code == 409 and reply.json()["packs"] == [pack_id]
                    refused += 1
        finally:
            stop.set()
            gc_thread.join()
        collect(db, store, gc_time)
        assert runs > 0 and len(committed) + refused == 15
        snapshots = requests.get(
            f"{service.url}/v1/sets/{set_id}/snapshots", headers=auth, timeout=10
        ).json()
        assert len(snapshots) == len(committed), "refused commits left no trace"
        for pack_id, data in committed.items():
            got = requests.get(
                f"{service.url}/v1/sets/{set_id}/packs/{pack_id}", headers=auth, timeout=10
            )
            assert got.content == data
        db.dispose()
