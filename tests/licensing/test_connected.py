"""Connected mode against a real authority process: validate, report, stop and resume."""

from __future__ import annotations

import time

import httpx
import pytest

from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from airgap.platform.usage import totals
from tests.support.authority import AuthorityProcess
from tests.support.server import ServerProcess, free_port

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
PATH = "/text/analytics/v3.1/languages"


@pytest.fixture()
def authority(tmp_path):
    auth = AuthorityProcess(tmp_path / "authority").init().start()
    yield auth
    auth.stop()


def _detect(url):
    return httpx.post(url + PATH, json={"documents": [{"id": "1", "text": "Buenos días"}]}, timeout=60)


def _until(condition, what: str, tries: int = 1200):
    """Poll ``condition`` until it returns something truthy (checked state, not elapsed time)."""
    for _ in range(tries):
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"never happened: {what}")


def _used(authority, resource_id):
    store = Store(authority.state)
    resource = store.resource(resource_id)
    return store.used(resource, *resource.period(lic.utcnow())).get(M, 0)


@pytest.mark.parametrize("case", ["wrong key", "unreachable", "no key"])
def test_bad_billing_does_not_start(authority, tmp_path, case):
    url = f"http://127.0.0.1:{free_port()}" if case == "unreachable" else authority.url
    key = [] if case == "no key" else ["ApiKey=agk_wrong" if case == "wrong key" else
                                       f"ApiKey={authority.create_resource()['apiKey']}"]
    server = ServerProcess(settings=["Services=language", f"Billing={url}", *key], log_path=tmp_path / "server.log")
    server.start(wait_ready=False)
    assert server.process.wait(60) != 0
    expected = {"wrong key": "status 'Invalid'", "unreachable": "status 'CouldNotConnect'",
                "no key": "Billing is set but ApiKey is not"}[case]
    assert expected in server.log_text()


def test_quota_used_up_at_the_authority(authority, tmp_path):
    resource = authority.create_resource("language", f"{M}=1:block")
    settings = ["Services=language", f"Billing={authority.url}", f"ApiKey={resource['apiKey']}",
                "Licensing:ReportIntervalSeconds=1"]
    with ServerProcess(settings=settings, log_path=tmp_path / "server.log") as server:
        assert _detect(server.url).status_code == 200
        refused = _until(lambda: (r := _detect(server.url)).status_code == 403 and r, "quota enforced")
        assert refused.json()["error"]["code"] == "OutOfQuota"
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "OutOfQuota"


def test_reports_usage_stops_after_failures_and_resumes(authority, tmp_path):
    resource = authority.create_resource()
    settings = ["Services=language", f"Billing={authority.url}", f"ApiKey={resource['apiKey']}",
                "Licensing:ReportIntervalSeconds=1", "Licensing:MaxFailedReports=2"]
    with ServerProcess(settings=settings, log_path=tmp_path / "server.log") as server:
        assert _detect(server.url).status_code == 200
        _until(lambda: _used(authority, resource["id"]) == 1, "the authority received the usage record")
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "Valid"

        authority.stop()
        refused = _until(lambda: (r := _detect(server.url)).status_code == 403 and r, "requests refused")
        error = refused.json()["error"]
        assert error["code"] == "CouldNotConnect" and "consecutive usage reports failed" in error["message"]
        status = httpx.get(server.url + "/status").json()
        assert status["apiStatus"] == "CouldNotConnect"
        ready = httpx.get(server.url + "/ready")
        assert ready.status_code == 503 and ready.json()["reason"].startswith("CouldNotConnect:")
        assert httpx.get(server.url + "/ContainerLiveness").status_code == 200

        authority.start()
        _until(lambda: _detect(server.url).status_code == 200, "requests served again")
        assert httpx.get(server.url + "/status").json()["apiStatus"] == "Valid"
        # Everything billed locally, including what was served while reports were failing.
        _until(lambda: _used(authority, resource["id"]) == totals(server.output_dir)[M],
               "every local record reached the authority")
        assert totals(server.output_dir)[M] >= 2
