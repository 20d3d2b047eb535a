"""The whole flow with real processes: authority -> DownloadLicense -> disconnected serve -> SDK."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest
from azure.ai.textanalytics import TextAnalyticsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from airgap.platform.usage import totals
from tests.support.authority import AuthorityProcess, airgap
from tests.support.server import ServerProcess, free_port

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
PATH = "/text/analytics/v3.1/languages"


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    auth = AuthorityProcess(tmp_path_factory.mktemp("authority")).init().start()
    yield auth
    auth.stop()


def download(authority, key, license_dir, *extra):
    return airgap("serve", "Eula=accept", "DownloadLicense=True", f"Billing={authority.url}", f"ApiKey={key}",
                  f"Mounts:License={license_dir}", f"Licensing:TrustedKeys={authority.public_key}",
                  "Services=language", *extra)


def offline(authority, license_dir, tmp_path, *extra) -> ServerProcess:
    return ServerProcess(settings=["Services=language", f"Mounts:License={license_dir}",
                                   f"Licensing:TrustedKeys={authority.public_key}", *extra],
                         log_path=tmp_path / "server.log")


def _wait_loaded(server: ServerProcess) -> httpx.Response:
    """/ready once every model is loaded, whatever it then says."""
    while True:
        assert server.process.poll() is None, server.log_text()
        try:
            ready = httpx.get(server.url + "/ready", timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        if ready.json().get("services") and all(v == "ready" for v in ready.json()["services"].values()):
            return ready
        time.sleep(0.2)


def _detect(url):
    return httpx.post(url + PATH, json={"documents": [{"id": "1", "text": "Guten Morgen"}]}, timeout=60)


@pytest.mark.sdk
def test_download_then_disconnected_sdk_call(authority, tmp_path):
    key = authority.create_resource()["apiKey"]
    license_dir = tmp_path / "license"
    license_dir.mkdir()
    done = download(authority, key, license_dir)
    assert done.returncode == 0, done.stderr
    assert "Run disconnected with:" in done.stdout and f"Mounts:License={license_dir}" in done.stdout
    assert len(list(license_dir.glob("*.jwt"))) == 1
    with offline(authority, license_dir, tmp_path) as server:
        client = TextAnalyticsClient(server.url, AzureKeyCredential("unused"))
        result = client.detect_language(["Bonjour tout le monde", "Hello world"])
        assert [d.primary_language.iso6391_name for d in result] == ["fr", "en"]
        report = httpx.get(server.url + "/records/usage-logs").json()
        assert {m["name"]: m["quantity"] for m in report["meters"]}[M] == 2
        status = httpx.get(server.url + "/status").json()
        assert status["apiStatus"] == "Valid" and "valid until" in status["apiStatusMessage"]


@pytest.mark.parametrize("case", ["wrong key", "revoked", "other service", "unreachable", "missing folder",
                                  "other authority", "out of quota"])
def test_download_failures_name_the_reason(authority, tmp_path, case):
    services = "translator" if case == "other service" else "language"
    resource = authority.create_resource(services, f"{M}=1:block")
    if case == "out of quota":  # what a connected container reported earlier uses the quota up
        store = Store(authority.state)
        store.add_usage(store.resource(resource["id"]), [{"id": "r1", "time": lic.iso(lic.utcnow()),
                                                          "meters": [{"name": M, "quantity": 1}]}], None)
    key = "agk_wrong" if case == "wrong key" else resource["apiKey"]
    if case == "revoked":
        assert airgap("authority", "resource", "revoke", "--state", str(authority.state), resource["id"]).returncode == 0
    license_dir = tmp_path / "license"
    if case != "missing folder":
        license_dir.mkdir()
    target = authority
    if case == "unreachable":
        target = AuthorityProcess(authority.state, port=free_port())
    extra = []
    if case == "other authority":
        other = Store.init(tmp_path / "other")
        extra = [f"Licensing:TrustedKeys={other.public_key_path}"]
    done = download(target, key, license_dir, *extra)
    expected = {"wrong key": "status 'Invalid'", "revoked": "status 'ContainerUseUnauthorized'",
                "other service": "status 'Mismatch'", "unreachable": "status 'CouldNotConnect'",
                "missing folder": "The provided license path was not found",
                "other authority": "issued by another authority", "out of quota": "status 'OutOfQuota'"}[case]
    assert done.returncode != 0 and expected in done.stderr, done.stderr
    if license_dir.exists():
        assert list(license_dir.iterdir()) == []


def _write(authority, license_dir, services=("language",), quotas=(), **times):
    store = Store(authority.state)
    now = lic.utcnow()
    token = lic.issue(store.signing_key, issuer=store.issuer, subject="direct", services=list(services),
                      quotas=list(quotas), not_before=times.get("nbf", now - timedelta(hours=1)),
                      expires=times.get("exp", now + timedelta(days=1)))
    license_dir.mkdir(exist_ok=True)
    lic.write_licence(license_dir, lic.verify(token, [store.signing_key.public_key()]))


@pytest.mark.parametrize("case", ["missing folder", "empty folder", "expired", "not yet valid", "other service",
                                  "no trusted key"])
def test_disconnected_refuses_to_start(authority, tmp_path, case):
    license_dir = tmp_path / "license"
    now = lic.utcnow()
    if case == "empty folder":
        license_dir.mkdir()
    elif case == "expired":
        _write(authority, license_dir, nbf=now - timedelta(days=30), exp=now - timedelta(days=1))
    elif case == "not yet valid":
        _write(authority, license_dir, nbf=now + timedelta(days=1), exp=now + timedelta(days=30))
    elif case in ("other service", "no trusted key"):
        _write(authority, license_dir, services=("translator",) if case == "other service" else ("language",))
    settings = ["Services=language", f"Mounts:License={license_dir}"]
    if case != "no trusted key":
        settings.append(f"Licensing:TrustedKeys={authority.public_key}")
    server = ServerProcess(settings=settings, log_path=tmp_path / "server.log")
    server.start(wait_ready=False)
    assert server.process.wait(60) != 0
    expected = {"missing folder": "The provided license path was not found",
                "empty folder": "No licence file (*.jwt)",
                "expired": "status 'Expired'", "not yet valid": "status 'NotYetValid'",
                "other service": "status 'Mismatch'", "no trusted key": "Licensing:TrustedKeys"}[case]
    assert expected in server.log_text()


def test_licence_expiring_while_running_then_renewed(authority, tmp_path):
    license_dir = tmp_path / "license"
    _write(authority, license_dir, exp=lic.utcnow() + timedelta(seconds=30))
    server = offline(authority, license_dir, tmp_path, "Licensing:ClockSkewSeconds=0")
    server.start(wait_ready=False)  # models may still be loading when the licence runs out
    try:
        # Poll until the licence runs out: the process keeps running, the answers change.
        for _ in range(3000):
            assert server.process.poll() is None, server.log_text()
            try:
                r = _detect(server.url)
            except httpx.TransportError:
                continue
            if r.status_code == 403:
                break
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "Expired" and "expired at" in r.json()["error"]["message"]
        ready = httpx.get(server.url + "/ready")
        assert ready.status_code == 503 and ready.json()["reason"].startswith("Expired:")
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "Expired"
        assert httpx.get(server.url + "/ContainerLiveness").status_code == 200
        # A renewed licence dropped into the folder takes over without a restart.
        _write(authority, license_dir)
        for _ in range(3000):
            if _detect(server.url).status_code == 200:
                break
            time.sleep(0.1)
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "Valid"
        assert httpx.get(server.url + "/ready").status_code == 200
    finally:
        server.stop()


def test_quota_block_survives_restart(authority, tmp_path):
    key = authority.create_resource("language", f"{M}=3:block")["apiKey"]
    license_dir, output = tmp_path / "license", tmp_path / "output"
    license_dir.mkdir()
    output.mkdir()
    assert download(authority, key, license_dir).returncode == 0
    settings = (f"Mounts:Output={output}",)
    with offline(authority, license_dir, tmp_path, *settings) as server:
        assert [_detect(server.url).status_code for _ in range(3)] == [200, 200, 200]
        r = _detect(server.url)
        assert r.status_code == 403 and r.json()["error"]["code"] == "OutOfQuota", r.text
        assert "allows 3 of meter" in r.json()["error"]["message"]
    assert totals(output)[M] == 3
    server = offline(authority, license_dir, tmp_path, *settings)
    server.start(wait_ready=False)
    try:
        ready = _wait_loaded(server)
        assert ready.status_code == 503 and ready.json()["reason"].startswith("OutOfQuota:")
        r = _detect(server.url)
        assert r.status_code == 403 and r.json()["error"]["code"] == "OutOfQuota"
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "OutOfQuota"
        with pytest.raises(HttpResponseError) as info:
            TextAnalyticsClient(server.url, AzureKeyCredential("x")).detect_language(["Hallo"])
        assert info.value.status_code == 403
    finally:
        server.stop()
    assert totals(output)[M] == 3


def test_quota_overage_serves_and_reports(authority, tmp_path):
    key = authority.create_resource("language", f"{M}=1:overage")["apiKey"]
    license_dir = tmp_path / "license"
    license_dir.mkdir()
    assert download(authority, key, license_dir).returncode == 0
    with offline(authority, license_dir, tmp_path) as server:
        assert [_detect(server.url).status_code for _ in range(3)] == [200, 200, 200]
        status = httpx.get(server.url + "/status").json()
        assert status["apiStatus"] == "Valid" and f"{M} overage 2" in status["apiStatusMessage"]
