"""The OpenAPI schema (the authoritative contract) covers every documented route."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from tests.server.apiharness import Harness

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_documented_route_is_in_the_schema(harness: Harness) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. duplicate operation ids
        schema = harness.client.get("/openapi.json").json()
    served = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    documented = set(
        re.findall(
            r"`(GET|PUT|POST|PATCH|DELETE|HEAD) (/[^\s`]*)", API_DOC.read_text(encoding="utf-8")
        )
    )
    assert documented, "docs/api.md lists routes as `METHOD /path`"
    assert documented - served == {("GET", "/openapi.json")}
    assert served - documented == set(), "every served operation is documented in docs/api.md"
    listing = schema["paths"]["/v1/sets/{set_id}/snapshots"]["get"]["responses"]["200"]
    assert "SnapshotOut" in str(listing)
