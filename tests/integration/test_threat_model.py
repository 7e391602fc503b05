"""DESIGN.md §6 against the real service: what a curious operator, a damaged disk or another
account can learn or do."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
import requests

from tests.integration.cli import Cli
from tests.integration.corpus import snapshot_of, text_blob, write

PASSWORD = "another long password"


def _service_dump(data_dir: Path) -> bytes:
    """Everything the service stores: every file of its data folder (database, packs, logs)."""
    parts = []
    for path in sorted(Path(data_dir).rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes())
            parts.append(str(path.relative_to(data_dir)).encode())
    return b"\n".join(parts)


def _login_token(url: str, email: str) -> str:
    reply = requests.post(
        f"{url}/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_name": "probe"},
        timeout=10,
    )
    reply.raise_for_status()
    return str(reply.json()["token"])


def test_curious_operator_learns_no_names_contents_or_hashes(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    email = "zero-knowledge@example.com"
    service.create_account(email, PASSWORD, plan="PRO")
    cli = Cli(tmp_path / "profile")
    cli.setup(service.url, email, PASSWORD)
    source = tmp_path / "HemmeligeSager"
    rng = random.Random(99)
    write(source / "Lægejournal-Jensen.txt", text_blob(rng, 60_000))
    write(source / "Skilsmisse" / "brev-til-advokat.txt", text_blob(rng, 3_000))
    write(source / "Skilsmisse" / "aftale.bin", rng.randbytes(200_000))
    write(source / "kort.txt", b"PIN 4921 for the blue card, do not share\n")
    cli.run("folders", "add", str(source))
    cli.json("backup")

    dump = _service_dump(Path(service.data_dir))
    names = {p.name for p in source.rglob("*")} | {source.name}
    for name in names:
        assert name.encode() not in dump, f"the name {name!r} is visible to the service"

    windows: set[bytes] = set()
    for path in (p for p in source.rglob("*") if p.is_file()):
        data = path.read_bytes()
        digest = hashlib.sha256(data)
        assert digest.digest() not in dump and digest.hexdigest().encode() not in dump
        if len(data) < 32:
            assert data not in dump
        windows.update(data[i : i + 32] for i in range(0, len(data) - 31, 32))
    leaked = [i for i in range(len(dump) - 31) if dump[i : i + 32] in windows]
    assert leaked == [], f"{len(leaked)} plaintext windows found in the service's storage"


def _pack_files(data_dir: Path, pack_ids: list[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in Path(data_dir).rglob("*"):
        for pack_id in pack_ids:
            if path.is_file() and pack_id in path.name:
                found[pack_id] = path
    return found


def _set_packs(url: str, token: str, set_id: str) -> dict[str, int]:
    reply = requests.get(
        f"{url}/v1/sets/{set_id}/packs", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    reply.raise_for_status()
    return {p["pack_id"]: p["size"] for p in reply.json()}


def test_flipped_byte_is_reported_with_file_name_and_others_restore(
    service, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    email = "tamper@example.com"
    service.create_account(email, PASSWORD, plan="PRO")
    cli = Cli(tmp_path / "profile")
    cli.setup(service.url, email, PASSWORD)
    source = tmp_path / "Photos"
    rng = random.Random(5)
    for i in range(10):
        write(source / f"img-{i:02d}.raw", rng.randbytes(150_000))
    cli.run("folders", "add", str(source))
    cli.json("backup")

    settings = (cli.home / "settings.json").read_text()
    set_id = json.loads(settings)["set_id"]
    packs = _set_packs(service.url, _login_token(service.url, email), set_id)
    data_pack = max(packs, key=lambda p: packs[p])
    path = _pack_files(Path(service.data_dir), [data_pack])[data_pack]
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 3] ^= 0x01
    path.write_bytes(bytes(raw))

    out = tmp_path / "out"
    done = cli.run("restore", "--to", str(out), "--json", check=False)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    failed = [p for p, _reason in result["failures"]]
    assert len(failed) == 1 and "img-" in failed[0]
    assert "integrity" in result["failures"][0][1].lower()
    original = snapshot_of(source)
    restored = snapshot_of(out / "Photos")
    bad_name = Path(failed[0]).name
    assert bad_name not in restored, "a file that failed verification must not be written"
    assert {k: v for k, v in original.items() if k != bad_name} == restored

    verify = cli.run("verify", "--read-data", check=False)
    assert verify.returncode == 1
    assert data_pack in verify.stdout or data_pack[:8] in verify.stdout


@pytest.fixture(scope="module")
def two_accounts(service, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("accounts")
    owner, intruder = "owner@example.com", "intruder@example.com"
    service.create_account(owner, PASSWORD, plan="PRO")
    service.create_account(intruder, PASSWORD, plan="PRO")
    cli = Cli(base / "owner")
    cli.setup(service.url, owner, PASSWORD)
    write(base / "src" / "a.txt", b"mine and only mine\n")
    cli.run("folders", "add", str(base / "src"))
    snap = cli.json("backup")["snapshot_id"]
    set_id = json.loads((cli.home / "settings.json").read_text())["set_id"]
    owner_token = _login_token(service.url, owner)
    pack = next(iter(_set_packs(service.url, owner_token, set_id)))
    return {
        "set": set_id,
        "pack": pack,
        "snap": snap,
        "owner_token": owner_token,
        "intruder_token": _login_token(service.url, intruder),
    }


@pytest.mark.parametrize(
    "path_template",
    [
        "/v1/sets/{set}/packs/{pack}",
        "/v1/sets/{set}/packs",
        "/v1/sets/{set}/snapshots",
        "/v1/sets/{set}/snapshots/{snap}",
        "/v1/sets/{set}/indexes",
        "/v1/sets/{SET}/packs/{pack}",
        "/v1/sets/{set}/packs/{PACK}",
        "/v1/sets/%7Bset%7D/../{set}/packs/{pack}",
        "/v1/sets/{set_pct}/packs/{pack}",
        "/v1/sets/{set}/packs/{pack_pct}",
    ],
)
def test_another_account_gets_404_on_my_data(service, two_accounts, path_template: str) -> None:  # type: ignore[no-untyped-def]
    a = two_accounts
    path = path_template.format(
        set=a["set"],
        SET=a["set"].upper(),
        pack=a["pack"],
        PACK=a["pack"].upper(),
        snap=a["snap"],
        set_pct="".join(f"%{ord(c):02x}" for c in a["set"]),
        pack_pct="".join(f"%{ord(c):02X}" for c in a["pack"]),
    )
    headers = {"Authorization": f"Bearer {a['intruder_token']}"}
    for method in ("GET", "HEAD"):
        reply = requests.request(method, service.url + path, headers=headers, timeout=10)
        assert reply.status_code == 404, (method, path, reply.status_code)


def test_another_account_cannot_write_or_commit_into_my_set(service, two_accounts) -> None:  # type: ignore[no-untyped-def]
    a = two_accounts
    headers = {"Authorization": f"Bearer {a['intruder_token']}"}
    reply = requests.put(
        service.url + f"/v1/sets/{a['set']}/packs/{'0' * 32}",
        data=b"x",
        headers={**headers, "X-Content-SHA256": hashlib.sha256(b"x").hexdigest()},
        timeout=10,
    )
    assert reply.status_code == 404
    reply = requests.post(
        service.url + f"/v1/sets/{a['set']}/commits",
        headers=headers,
        timeout=10,
        json={
            "snapshot_id": "1" * 32,
            "snapshot": "",
            "index_id": "2" * 32,
            "index": "",
            "index_kind": "delta",
            "added_packs": [],
            "removed_packs": [],
            "supersedes": [],
        },
    )
    assert reply.status_code == 404
    # Claiming the same set id gives the intruder, at most, an empty set of its own: never mine.
    reply = requests.put(service.url + f"/v1/sets/{a['set']}", json={}, headers=headers, timeout=10)
    assert reply.status_code in (200, 201, 404, 409)
    snaps = requests.get(
        service.url + f"/v1/sets/{a['set']}/snapshots", headers=headers, timeout=10
    )
    assert snaps.status_code == 404 or snaps.json() == []
    pack = requests.get(
        service.url + f"/v1/sets/{a['set']}/packs/{a['pack']}", headers=headers, timeout=10
    )
    assert pack.status_code == 404
    owner = requests.get(
        service.url + f"/v1/sets/{a['set']}/snapshots",
        timeout=10,
        headers={"Authorization": f"Bearer {a['owner_token']}"},
    )
    assert [s["snapshot_id"] for s in owner.json()] == [a["snap"]]
