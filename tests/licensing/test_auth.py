"""Optional inbound auth: the SDK's key must match Auth:SubscriptionKeys; probes stay open."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from azure.ai.textanalytics import TextAnalyticsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError

from airgap.platform.auth import SubscriptionKeyGate
from airgap.platform.context import RequestContext
from airgap.platform.errors import Unauthorized
from tests.support.server import ServerProcess


def _check(gate, headers):
    scope = {"headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(gate.check(RequestContext(request_id="t", service="language"), scope))


def test_gate_accepts_any_configured_key():
    gate = SubscriptionKeyGate(["k1", "k2"])
    _check(gate, {"ocp-apim-subscription-key": "k2"})
    for headers in ({}, {"ocp-apim-subscription-key": "k3"}, {"ocp-apim-subscription-key": "k1x"}):
        with pytest.raises(Unauthorized, match="Auth:SubscriptionKeys"):
            _check(gate, headers)


@pytest.mark.sdk
def test_server_requires_the_key(tmp_path):
    with ServerProcess(settings=["Services=language", "Auth:SubscriptionKeys=s3cret"],
                       log_path=tmp_path / "server.log") as server:
        assert TextAnalyticsClient(server.url, AzureKeyCredential("s3cret")).detect_language(["Hola"])[0]\
            .primary_language.iso6391_name == "es"
        with pytest.raises(ClientAuthenticationError):
            TextAnalyticsClient(server.url, AzureKeyCredential("wrong")).detect_language(["Hola"])
        r = httpx.post(server.url + "/language/:analyze-text?api-version=2023-04-01",
                       json={"kind": "LanguageDetection", "analysisInput": {"documents": [{"id": "1", "text": "x"}]}})
        assert r.status_code == 401 and r.json()["error"]["code"] == "Unauthorized"
        for path in ("/ready", "/status", "/ContainerLiveness", "/records/usage-logs"):
            assert httpx.get(server.url + path).status_code == 200, path
        # Neither licence nor billing: development mode, said at start and on /status.
        assert "running UNLICENSED" in (tmp_path / "server.log").read_text()
        assert "UNLICENSED" in httpx.get(server.url + "/status").json()["apiStatusMessage"]
