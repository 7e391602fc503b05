"""ServiceClient against the REAL service on loopback: accounts, packs, commits, and errors."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import blake3
import pytest
import requests

from app.core.errors import (
    AuthenticationFailed,
    CommitRejected,
    MissingPacks,
    NotFound,
    ObjectMissing,
    Permanent,
    QuotaExceeded,
    SubscriptionLocked,
)
from app.core.ports import CommitRequest
from app.storage.service import ServiceClient
from app.storage.setstore import SetStore
from tests.support.service import RunningService


def _id() -> str:
    return secrets.token_hex(16)


def _commit(
    added: list[str] | None = None,
    removed: list[str] | None = None,
    kind: str = "delta",
    supersedes: list[str] | None = None,
) -> CommitRequest:
    return CommitRequest(
        snapshot_id=_id(),
        snapshot=secrets.token_bytes(64),
        index_id=_id(),
        index=secrets.token_bytes(48),
        index_kind=kind,
        added_packs=added or [],
        removed_packs=removed or [],
        supersedes=supersedes or [],
    )


@pytest.fixture
def signed_in(service: RunningService, make_account: Callable[..., Any]) -> ServiceClient:
    account = make_account()
    client = ServiceClient(service.url, None)
    client.login(account.email, account.password, "test laptop")
    return client


@pytest.fixture(scope="module")
def shared_client(service: RunningService) -> ServiceClient:
    """One account for the tests that each work in a set of their own (accounts cost ~1 s)."""
    email, password = f"shared-{_id()[:8]}@example.org", secrets.token_urlsafe(12)
    service.create_account(email, password, plan="PRO")
    client = ServiceClient(service.url, None)
    client.login(email, password, "shared test PC")
    return client


@pytest.fixture
def store(shared_client: ServiceClient) -> SetStore:
    set_id = _id()
    shared_client.create_set(set_id)
    return shared_client.set_store(set_id)


def test_health_needs_no_login(service: RunningService) -> None:
    assert ServiceClient(service.url, None).healthz()["status"] == "ok"


def test_signup_then_login_registers_this_device(service: RunningService) -> None:
    email, password = f"new-{_id()[:8]}@example.org", secrets.token_urlsafe(12)
    client = ServiceClient(service.url, None)
    account_id = client.signup(email, password)
    result = client.login(email, password, "desk PC")
    assert result.account_id == account_id and client.token == result.token
    status = client.account_status()
    assert status["email"] == email and status["plan"] == "FREE"
    devices = client.devices()
    assert [(d["device_id"], d["name"], d["current"]) for d in devices] == [
        (result.device_id, "desk PC", True)
    ]


def test_a_wrong_password_or_token_is_an_authentication_failure(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    with pytest.raises(AuthenticationFailed):
        ServiceClient(service.url, None).login(account.email, "not the password", "pc")
    with pytest.raises(AuthenticationFailed):
        ServiceClient(service.url, secrets.token_urlsafe(32)).account_status()


def test_sets_are_created_once_and_listed(signed_in: ServiceClient) -> None:
    set_id = _id()
    assert signed_in.create_set(set_id) is True
    assert signed_in.create_set(set_id) is False
    assert [s["set_id"] for s in signed_in.list_sets()] == [set_id]


def test_packs_round_trip_with_ranges_and_sizes(store: SetStore) -> None:
    pack = _id()
    data = secrets.token_bytes(3 * 1024 * 1024 + 17)
    store.put_pack(pack, data)
    store.put_pack(pack, data)  # the same bytes again: accepted, nothing changes
    assert store.get_pack(pack) == data
    assert store.get_pack(pack, 1000, 5000) == data[1000:6000]
    assert store.get_pack(pack, len(data) - 10) == data[-10:]
    assert store.get_pack(pack, len(data)) == b""
    with pytest.raises(Permanent):
        store.get_pack(pack, len(data) + 1)
    assert store.pack_size(pack) == len(data)
    assert store.pack_size(_id()) is None
    assert store.list_packs() == {pack: len(data)}
    with pytest.raises(ObjectMissing):
        store.get_pack(_id())


def test_ranges_of_several_packs_come_in_one_request(store: SetStore) -> None:
    first, second = _id(), _id()
    one, two = secrets.token_bytes(100_000), secrets.token_bytes(50_000)
    store.put_pack(first, one)
    store.put_pack(second, two)
    wanted = [(second, 10, 20), (first, 0, 5), (second, 10, 20), (first, 99_990, 10)]
    assert store.get_pack_ranges(wanted) == two[10:30] + one[:5] + two[10:30] + one[-10:]
    assert store.get_pack_ranges([]) == b""
    with pytest.raises(ObjectMissing):
        store.get_pack_ranges([(first, 0, 5), (_id(), 0, 5)])
    with pytest.raises(Permanent):  # a range past the end is refused, never cut short
        store.get_pack_ranges([(first, 99_990, 11)])
    with pytest.raises(Permanent):
        store.get_pack_ranges([(first, 0, 5), ("../etc", 0, 5)])


def test_the_upload_checksum_is_sent_and_checked(
    service: RunningService, shared_client: ServiceClient, store: SetStore
) -> None:
    sent: list[str] = []
    session = requests.Session()
    session.hooks["response"].append(
        lambda r, *a, **k: sent.append(r.request.headers.get("X-Content-BLAKE3", ""))
    )
    client = ServiceClient(service.url, shared_client.token, session=session)
    pack, data = _id(), secrets.token_bytes(100_000)
    client.set_store(store.set_id).put_pack(pack, data)
    assert sent == [blake3.blake3(data).hexdigest()]
    # The service does check it: a wrong checksum is refused and nothing is stored.
    answer = requests.put(
        f"{service.url}/v1/sets/{store.set_id}/packs/{_id()}",
        data=data,
        headers={
            "Authorization": f"Bearer {shared_client.token}",
            "X-Content-BLAKE3": blake3.blake3(b"other").hexdigest(),
        },
        timeout=10,
    )
    assert answer.status_code == 400
    assert set(store.list_packs()) == {pack}


def test_commits_are_numbered_and_their_objects_served(store: SetStore) -> None:
    pack = _id()
    store.put_pack(pack, b"pack bytes")
    first = _commit(added=[pack])
    result = store.commit(first)
    assert result.seq == 1 and result.time.endswith("Z")
    assert store.commit(first) == result  # resent after a lost answer: applied once
    second = _commit()
    assert store.commit(second).seq == 2
    listing = store.list_snapshots()
    assert [(e.snapshot_id, e.seq) for e in listing] == [
        (first.snapshot_id, 1),
        (second.snapshot_id, 2),
    ]
    assert listing[0].size == len(first.snapshot)
    assert store.get_snapshot(first.snapshot_id) == first.snapshot
    assert [(i.index_id, i.kind) for i in store.list_indexes()] == [
        (first.index_id, "delta"),
        (second.index_id, "delta"),
    ]
    assert store.get_index(second.index_id) == second.index
    assert [(p.pack_id, p.size, p.expires_at) for p in store.pack_states()] == [(pack, 10, None)]


def test_a_full_index_supersedes_and_removed_packs_start_ageing(store: SetStore) -> None:
    pack = _id()
    store.put_pack(pack, b"data")
    first = _commit(added=[pack])
    store.commit(first)
    full = _commit(removed=[pack], kind="full", supersedes=[first.index_id])
    store.commit(full)
    assert [i.index_id for i in store.list_indexes()] == [full.index_id]
    (state,) = store.pack_states()
    assert state.pack_id == pack and state.expires_at is not None


def test_a_commit_naming_a_missing_pack_is_refused(store: SetStore) -> None:
    present, absent = _id(), _id()
    store.put_pack(present, b"here")
    (leased,) = store.pack_states()
    assert leased.pack_id == present and leased.expires_at is not None  # until the lease ends
    with pytest.raises(MissingPacks) as caught:
        store.commit(_commit(added=[present, absent]))
    assert caught.value.packs == [absent]
    assert store.list_snapshots() == []


def test_a_different_commit_reusing_a_snapshot_id_is_rejected(store: SetStore) -> None:
    first = _commit()
    store.commit(first)
    clash = CommitRequest(first.snapshot_id, b"other", _id(), b"i", "delta", [], [])
    with pytest.raises(CommitRejected):
        store.commit(clash)


def test_another_account_sees_nothing_of_a_set(
    service: RunningService, store: SetStore, make_account: Callable[..., Any]
) -> None:
    pack = _id()
    store.put_pack(pack, b"private")
    request = _commit(added=[pack])
    store.commit(request)
    other = make_account()
    intruder = ServiceClient(service.url, None)
    intruder.login(other.email, other.password, "other pc")
    theirs = intruder.set_store(store.set_id)
    with pytest.raises(ObjectMissing):
        theirs.get_pack(pack)
    with pytest.raises(ObjectMissing):
        theirs.get_pack_ranges([(pack, 0, 3)])
    assert theirs.pack_size(pack) is None
    with pytest.raises(ObjectMissing):
        theirs.get_snapshot(request.snapshot_id)
    with pytest.raises(NotFound):
        theirs.list_snapshots()
    with pytest.raises((NotFound, ObjectMissing)):
        theirs.put_pack(_id(), b"planted")
    assert store.list_packs() == {pack: 7}


def test_recovery_kit_is_stored_and_fetched(signed_in: ServiceClient) -> None:
    assert signed_in.get_recovery_kit() is None
    kit = b'{"format": "keepsake-recovery-kit"}' + secrets.token_bytes(32)
    signed_in.put_recovery_kit(kit)
    assert signed_in.get_recovery_kit() == kit


def test_revoked_and_logged_out_tokens_stop_working(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    laptop, desktop = ServiceClient(service.url, None), ServiceClient(service.url, None)
    laptop.login(account.email, account.password, "laptop")
    desk = desktop.login(account.email, account.password, "desktop")
    laptop.revoke_device(desk.device_id)
    with pytest.raises(AuthenticationFailed):
        desktop.account_status()
    with pytest.raises(NotFound):
        laptop.revoke_device(_id())
    stale_token = laptop.token
    laptop.logout()
    with pytest.raises(AuthenticationFailed):
        ServiceClient(service.url, stale_token).account_status()


def test_quota_and_payment_locks_arrive_as_their_errors(
    service: RunningService, make_account: Callable[..., Any]
) -> None:
    account = make_account()
    client = ServiceClient(service.url, None)
    client.login(account.email, account.password, "pc")
    set_id = _id()
    client.create_set(set_id)
    store = client.set_store(set_id)
    done = service.admin("set-plan", account.email, "PRO", "--quota-bytes", "1000")
    assert done.returncode == 0, done.stderr
    with pytest.raises(QuotaExceeded) as quota:
        store.put_pack(_id(), b"x" * 5000)
    assert quota.value.allowed == 1000
    done = service.admin("set-payment", account.email, "--state", "overdue")
    assert done.returncode == 0, done.stderr
    with pytest.raises(SubscriptionLocked) as locked:
        store.list_snapshots()
    assert locked.value.reason and str(locked.value)
