"""The OpenAPI schema is the contract: schemathesis generates requests for every operation (valid
and invalid ones) against the live service process, signed in as a real account, and checks that
nothing answers 5xx and that every answer (status, content type, body) is the one the schema
declares. Bounded to a few examples per operation so it stays well under a minute."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.service import RunningService, running_service

PASSWORD = "contract test passphrase"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class Device:
    """A signed-in device of the test account; signs in again when a case signed it out."""

    def __init__(self, service: RunningService, email: str) -> None:
        self.service = service
        self.email = email
        self.token = self.sign_in()

    def sign_in(self) -> str:
        reply = requests.post(
            self.service.url + "/v1/sessions",
            json={"email": self.email, "password": PASSWORD, "device_name": "contract"},
            timeout=30,
        )
        assert reply.status_code == 201, reply.text
        return str(reply.json()["token"])

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def still_signed_in(self) -> None:
        """After a 401: sign in again only if a case really revoked this device (a case may
        also have sent a malformed token of its own)."""
        check = requests.get(self.service.url + "/v1/account", headers=self.headers(), timeout=30)
        if check.status_code == 401:
            self.token = self.sign_in()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningService, Device]]:
    data: Path = tmp_path_factory.mktemp("contract")
    with running_service(data, extra_args=["--no-scheduler"]) as service:
        email = f"contract-{secrets.token_hex(4)}@example.org"
        service.create_account(email, PASSWORD, plan="PRO")
        yield service, Device(service, email)


@pytest.fixture(scope="module")
def live_schema(live: tuple[RunningService, Device]) -> Any:
    service, _ = live
    return schemathesis.openapi.from_url(service.url + "/openapi.json")


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure here is reproducible
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


def test_every_operation_keeps_the_contract(
    live: tuple[RunningService, Device], live_schema: Any, subtests: pytest.Subtests
) -> None:
    """One subtest per operation and generation mode (valid data, then invalid data)."""
    service, device = live
    operations = [result.ok() for result in live_schema.get_all_operations()]
    assert len(operations) >= 20

    def run(case: schemathesis.Case) -> None:
        headers = device.headers()
        signs_out = case.method.upper() == "DELETE" and case.path == "/v1/sessions/current"
        if signs_out:  # this case revokes the token it is given: give it a device of its own
            headers = {"Authorization": f"Bearer {device.sign_in()}"}
        response = case.call(base_url=service.url, headers=headers, timeout=60)
        if signs_out:
            requests.delete(service.url + case.path, headers=headers, timeout=30)
        elif response.status_code == 401:
            device.still_signed_in()
        case.validate_response(response, checks=CHECKS)

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(msg=f"{operation.label} {mode.value}"):

                def one(case: schemathesis.Case) -> None:
                    run(case)

                try:
                    given(case=operation.as_strategy(generation_mode=mode))(SETTINGS(one))()
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE, "no valid request could be made"
