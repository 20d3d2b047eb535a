"""The authority in-process: keys, resources, refusals, rate limiting, concurrent writers."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from airgap.authority.app import FailureLimiter, create_authority_app
from airgap.authority.store import Store, StoreError
from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import Quota

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"


@pytest.fixture()
def store(tmp_path):
    return Store.init(tmp_path / "authority")


@pytest.fixture()
def client(store):
    return TestClient(create_authority_app(store, FailureLimiter(limit=3, window=60)))


def _post(client, path, key, body=None):
    return client.post(f"/airgap/v1/{path}", json=body or {"services": ["language"]},
                       headers={"Ocp-Apim-Subscription-Key": key})


def test_init_key_file_is_private_and_idempotent(store):
    key_file = store.state / "authority.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    before = key_file.read_bytes()
    Store.init(store.state)
    assert key_file.read_bytes() == before


def test_keys_are_stored_hashed(store):
    _, key = store.create_resource("r", ["language"])
    assert key.encode() not in store.db.read_bytes()


def test_licence_download(store, client):
    resource, key = store.create_resource("r", ["language"], [Quota(M, 100, "block")], period_days=30)
    r = _post(client, "licence", key)
    assert r.status_code == 200, r.text
    got = lic.verify(r.json()["licence"], [store.signing_key.public_key()])
    assert got.subject == resource.id and got.services == ("language",)
    assert got.quotas == (Quota(M, 100.0, "block"),)
    assert (got.expires - got.not_before).days == 30 and got.time_problem(skew=0) is None


def test_wrong_api_key(store, client):
    store.create_resource("r", ["language"])
    r = _post(client, "licence", "agk_wrong")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "Invalid" and "API key is not valid" in r.json()["error"]["message"]


def test_revoked_key_and_resource(store, client):
    resource, key = store.create_resource("r", ["language"])
    second = store.create_key(resource.id)
    assert store.revoke_key(key) == 1
    r = _post(client, "licence", key)
    assert r.status_code == 403 and r.json()["error"]["code"] == "ContainerUseUnauthorized"
    assert "API key was revoked" in r.json()["error"]["message"]
    assert _post(client, "validate", second).json()["status"] == "Valid"
    store.revoke_resource(resource.id)
    r = _post(client, "validate", second)
    assert r.status_code == 403 and "resource was revoked" in r.json()["error"]["message"]


def test_other_service_is_mismatch(store, client):
    _, key = store.create_resource("r", ["translator"])
    r = _post(client, "licence", key)
    assert r.status_code == 403 and r.json()["error"]["code"] == "Mismatch"
    assert "does not include the service(s) language" in r.json()["error"]["message"]


def test_failed_attempts_are_rate_limited(store, client):
    _, key = store.create_resource("r", ["language"])
    for _ in range(3):
        assert _post(client, "validate", "agk_guess").status_code == 401
    r = _post(client, "validate", key)
    assert r.status_code == 429 and r.json()["error"]["code"] == "BillingEndpointBusy"
    assert int(r.headers["Retry-After"]) >= 1


def test_usage_upload_dedups_and_reports_quota(store, client):
    _, key = store.create_resource("r", ["language"], [Quota(M, 3, "block")])
    now = lic.iso(lic.utcnow())
    records = [{"id": f"req-{i}", "time": now, "serviceName": "language", "meters": [{"name": M, "quantity": 1}]}
               for i in range(2)]
    r = _post(client, "usage", key, {"records": records})
    assert r.json() == {"status": "Valid", "accepted": 2, "duplicates": 0}
    r = _post(client, "usage", key, {"records": records})  # a retried upload
    assert r.json() == {"status": "Valid", "accepted": 0, "duplicates": 2}
    more = [{**records[0], "id": "req-9"}]
    assert _post(client, "usage", key, {"records": more}).json()["status"] == "OutOfQuota"
    r = _post(client, "licence", key)
    assert r.status_code == 403 and r.json()["error"]["code"] == "OutOfQuota"


def test_malformed_upload_is_400(store, client):
    _, key = store.create_resource("r", ["language"])
    now = lic.iso(lic.utcnow())
    for bad in ({"id": 1}, {"id": "a", "time": "yesterday", "meters": []},
                {"id": "a", "time": now, "meters": [{"name": "M"}]},
                {"id": "a", "time": now, "meters": [{"name": "M", "quantity": -1}]}):
        r = _post(client, "usage", key, {"records": [bad]})
        assert r.status_code == 400 and r.json()["error"]["code"] == "InvalidRequest", bad


def test_concurrent_writers(store):
    resource, _ = store.create_resource("r", ["language"])
    now = lic.iso(lic.utcnow())

    def upload(batch: int) -> int:
        recs = [{"id": f"{batch}-{i}", "time": now, "meters": [{"name": M, "quantity": 1}]} for i in range(50)]
        return store.add_usage(resource, recs, None)

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(upload, range(16))) == 800
    start, end = resource.period(lic.utcnow())
    assert store.used(resource, start, end)[M] == 800


def test_unknown_resource(store):
    with pytest.raises(StoreError, match="no resource"):
        store.create_key("nope")


def test_cli_issues_a_licence_file_for_an_offline_site(store, tmp_path, capsys):
    from airgap.cli import main

    resource, _ = store.create_resource("r", ["language"])
    (tmp_path / "carry").mkdir()
    assert main(["authority", "licence", "issue", "--state", str(store.state), resource.id,
                 "--to", str(tmp_path / "carry")]) == 0
    reading = lic.read_folder(tmp_path / "carry", lic.load_trusted_keys([str(store.public_key_path)]))
    assert reading.for_service("language", tmp_path / "carry").subject == resource.id
    assert main(["authority", "licence", "issue", "--state", str(store.state), resource.id,
                 "--services", "translator", "--to", str(tmp_path / "carry")]) == 2
    assert "does not include the service(s) translator" in capsys.readouterr().err
