"""Authorization, for every operation in the live service's OpenAPI schema (so a new endpoint
cannot escape the table): another account's token and a revoked token are refused, whatever
the path encoding (percent-encoded ids, upper-case ids and segments, dot segments, doubled or
trailing slashes). Requests go out byte for byte as written (http.client), never normalized."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.support.service import RunningService

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/v1/updates"),
    ("POST", "/v1/accounts"),
    ("POST", "/v1/sessions"),
}
OWN_NAMESPACE = {("PUT", "/v1/sets/{set_id}")}  # creates the caller's own set: checked last
PASSWORD = "victim's own passphrase"
INTRUDER_PASSWORD = "the intruder's passphrase"
PACK = b"VICTIM-PACK-" + secrets.token_hex(8).encode()
SNAPSHOT = b"VICTIM-SNAPSHOT-" + secrets.token_hex(8).encode()
KIT = b"VICTIM-KIT-" + secrets.token_hex(8).encode()


@dataclass
class World:
    service: RunningService
    email: str
    ids: dict[str, str]  # path parameter -> the victim's value
    owner: str  # the victim's live token
    revoked: str  # a victim token revoked before the test
    intruder_email: str
    intruder: str

    def secrets(self) -> list[str]:
        """What no answer to anyone else may contain."""
        values = [PACK.decode(), SNAPSHOT.decode(), KIT.decode(), self.email]
        values += [base64.b64encode(SNAPSHOT).decode(), *self.ids.values()]
        return values


def call(
    service: RunningService, method: str, path: str, token: str, body: bytes = b"", **headers: str
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request(
            method, path, body=body or None, headers={"Authorization": f"Bearer {token}", **headers}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sign_in(
    service: RunningService, email: str, device: str, password: str = PASSWORD
) -> dict[str, Any]:
    reply = requests.post(
        service.url + "/v1/sessions",
        json={"email": email, "password": password, "device_name": device},
        timeout=30,
    )
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


@pytest.fixture(scope="module")
def world(service: RunningService) -> World:
    email = f"victim-{secrets.token_hex(4)}@example.org"
    service.create_account(email, PASSWORD, plan="PRO")
    owner = sign_in(service, email, "victim pc")
    spare = sign_in(service, email, "victim laptop")
    auth = {"Authorization": f"Bearer {owner['token']}"}
    gone = requests.delete(f"{service.url}/v1/devices/{spare['device_id']}", headers=auth)
    assert gone.status_code == 204
    set_id, pack_id = secrets.token_hex(16), secrets.token_hex(16)
    snapshot_id, index_id = secrets.token_hex(16), secrets.token_hex(16)
    base = f"{service.url}/v1/sets/{set_id}"
    assert requests.put(base, json={}, headers=auth).status_code == 201
    put = requests.put(
        f"{base}/packs/{pack_id}",
        data=PACK,
        headers={**auth, "X-Content-SHA256": hashlib.sha256(PACK).hexdigest()},
    )
    assert put.status_code == 201
    commit = {
        "snapshot_id": snapshot_id,
        "snapshot": base64.b64encode(SNAPSHOT).decode(),
        "index_id": index_id,
        "index": base64.b64encode(SNAPSHOT).decode(),
        "index_kind": "delta",
        "added_packs": [pack_id],
    }
    assert requests.post(f"{base}/commits", json=commit, headers=auth).status_code == 201
    assert requests.put(f"{service.url}/v1/recovery-kit", data=KIT, headers=auth).ok
    intruder_email = f"intruder-{secrets.token_hex(4)}@example.org"
    signup = {"email": intruder_email, "password": INTRUDER_PASSWORD}
    assert requests.post(service.url + "/v1/accounts", json=signup).status_code == 201
    return World(
        service=service,
        email=email,
        ids={
            "set_id": set_id,
            "pack_id": pack_id,
            "snapshot_id": snapshot_id,
            "index_id": index_id,
            "device_id": owner["device_id"],
        },
        owner=owner["token"],
        revoked=spare["token"],
        intruder_email=intruder_email,
        intruder=sign_in(service, intruder_email, "intruder pc", INTRUDER_PASSWORD)["token"],
    )


def example(schema: dict[str, Any], components: dict[str, Any], ids: dict[str, str]) -> Any:
    """A small valid instance of a JSON schema, using the victim's ids and password."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[-1]], components, ids)
    if "anyOf" in schema:
        return example(schema["anyOf"][0], components, ids)
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example({**prop, "name": name}, components, ids)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "boolean":
        return True
    if kind == "integer":
        return 0
    name = str(schema.get("name", ""))
    if "password" in name:
        return PASSWORD
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("pattern") == "^[0-9a-f]{32}$":
        return ids.get("pack_id")
    if name in ("snapshot", "index"):
        return base64.b64encode(b"x").decode()
    return "name"


def request_for(
    operation: dict[str, Any], components: dict[str, Any], ids: dict[str, str]
) -> tuple[bytes, dict[str, str]]:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = json.dumps(example(content["application/json"]["schema"], components, ids))
        return body.encode(), {"Content-Type": "application/json"}
    if content:
        return b"intruder bytes", {"Content-Type": "application/octet-stream"}
    return b"", {}


def pct(text: str, upper: bool = False) -> str:
    return "".join(f"%{ord(c):02X}" if upper else f"%{ord(c):02x}" for c in text)


def variants(template: str, ids: dict[str, str]) -> list[tuple[str, str]]:
    """(name, raw path): the canonical path and every encoding trick, for one template."""

    def fill(transform: Callable[[str], str]) -> str:
        path = template
        for name, value in ids.items():
            path = path.replace("{" + name + "}", transform(value))
        return path

    canonical = fill(str)
    return [
        ("canonical", canonical),
        ("upper-case ids", fill(str.upper)),
        ("percent-encoded ids", fill(pct)),
        ("upper-case percent-encoding", fill(lambda v: pct(v, upper=True))),
        ("upper-case segments", canonical.replace("/v1/", "/V1/").upper()),
        ("mixed-case segments", canonical.replace("/v1/", "/v1/".title())),
        ("encoded segment", canonical.replace("/v1/", "/%76%31/")),
        ("dot segment", canonical.replace("/v1/", "/v1/x/../")),
        ("encoded dots", canonical.replace("/v1/", "/v1/%2e%2e/v1/")),
        ("double slash", canonical.replace("/v1/", "/v1//")),
        ("trailing slash", canonical + "/"),
        ("encoded slash", canonical.replace("/", "%2f").replace("%2f", "/", 2)),
    ]


def operations(world: World) -> tuple[list[tuple[str, str, dict[str, Any]]], dict[str, Any]]:
    schema = requests.get(world.service.url + "/openapi.json", timeout=30).json()
    found = [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return found, schema["components"]["schemas"]


def test_every_operation_is_public_on_purpose_or_needs_a_token(world: World) -> None:
    found, _ = operations(world)
    assert len(found) >= 25
    public = {(method, path) for method, path, operation in found if not operation.get("security")}
    assert public == PUBLIC


def test_a_revoked_token_is_refused_everywhere(world: World) -> None:
    found, components = operations(world)
    problems = []
    for method, template, operation in found:
        if (method, template) in PUBLIC:
            continue
        body, headers = request_for(operation, components, world.ids)
        for name, path in variants(template, world.ids):
            status, answer = call(world.service, method, path, world.revoked, body, **headers)
            allowed = {401} if name == "canonical" else {401, 404, 405}
            if status not in allowed or any(s.encode() in answer for s in world.secrets()[:4]):
                problems.append(f"{method} {path} ({name}): {status}")
    assert problems == []


def test_another_accounts_token_reaches_nothing_of_the_victims(world: World) -> None:
    found, components = operations(world)
    found.sort(key=lambda item: (item[0], item[1]) in OWN_NAMESPACE)
    problems = []
    for method, template, operation in found:
        if (method, template) in PUBLIC:
            continue
        body, headers = request_for(operation, components, world.ids)
        if "X-Content-SHA256" in {p["name"] for p in operation.get("parameters", [])}:
            headers["X-Content-SHA256"] = hashlib.sha256(body).hexdigest()
        for name, path in variants(template, world.ids):
            status, answer = call(world.service, method, path, world.intruder, body, **headers)
            leaked = [s for s in world.secrets() if s.encode() in answer]
            own = "{" not in template or (method, template) in OWN_NAMESPACE
            if leaked or status >= 500 or (200 <= status < 300 and not own):
                problems.append(f"{method} {path} ({name}): {status} {leaked}")
            if status == 204 and (method, template) == ("DELETE", "/v1/sessions/current"):
                again = sign_in(world.service, world.intruder_email, "pc", INTRUDER_PASSWORD)
                world.intruder = again["token"]
    assert problems == []
    # The victim lost nothing: still signed in, same password, every object readable.
    auth = {"Authorization": f"Bearer {world.owner}"}
    url, ids = world.service.url, world.ids
    assert requests.get(f"{url}/v1/account", headers=auth).json()["locked"] is False
    pack = requests.get(f"{url}/v1/sets/{ids['set_id']}/packs/{ids['pack_id']}", headers=auth)
    assert pack.content == PACK
    snapshot = f"{url}/v1/sets/{ids['set_id']}/snapshots/{ids['snapshot_id']}"
    assert requests.get(snapshot, headers=auth).content == SNAPSHOT
    assert requests.get(f"{url}/v1/recovery-kit", headers=auth).content == KIT
    devices = requests.get(f"{url}/v1/devices", headers=auth).json()
    assert [(d["device_id"], d["name"]) for d in devices] == [(ids["device_id"], "victim pc")]
    assert sign_in(world.service, world.email, "victim check")["token"]
