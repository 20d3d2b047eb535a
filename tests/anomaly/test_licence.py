"""The gate in front of the Anomaly Detector, as for every service: it serves under a licence that
names it, refuses to start under one that does not, and answers a wrong key with 401 in the
service's own error shape (what the SDK reads)."""

from __future__ import annotations

import httpx
import pytest
from azure.ai.anomalydetector import AnomalyDetectorClient
from azure.ai.anomalydetector.models import TimeGranularity, TimeSeriesPoint, UnivariateDetectionOptions
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError

from airgap.authority import dev
from airgap.platform.usage import totals
from tests.anomaly.series_data import hourly
from tests.support.server import ServerProcess

ENTIRE = "/anomalydetector/v1.1/timeseries/entire/detect"
TRANSACTIONS = "CognitiveServices.AnomalyDetector.Container.Transactions"


def _licensed(state, services: list[str]) -> list[str]:
    return [s for s in dev.bootstrap(state, services) if not s.startswith("Eula=")]


@pytest.mark.sdk
def test_licensed_with_keys(tmp_path) -> None:
    settings = [*_licensed(tmp_path / "state", ["anomaly"]), "Services=anomaly", "Auth:SubscriptionKeys=k1"]
    with ServerProcess(settings=settings, log_path=tmp_path / "server.log") as server:
        options = UnivariateDetectionOptions(series=[TimeSeriesPoint(timestamp=p["timestamp"], value=p["value"])
                                                     for p in hourly([10.0 + i % 4 for i in range(24)])],
                                             granularity=TimeGranularity.HOURLY)
        result = AnomalyDetectorClient(server.url, AzureKeyCredential("k1")).detect_univariate_entire_series(options)
        assert len(result.is_anomaly) == 24
        with pytest.raises(ClientAuthenticationError) as refused:
            AnomalyDetectorClient(server.url, AzureKeyCredential("k2")).detect_univariate_entire_series(options)
        assert refused.value.status_code == 401
        # The service's own shape, top-level code and message, also for the platform's refusals.
        bare = httpx.post(server.url + ENTIRE, json={"series": []})
        assert bare.status_code == 401 and bare.headers["x-ms-error-code"] == bare.json()["code"]
        assert "Auth:SubscriptionKeys" in bare.json()["message"]
        status = httpx.get(server.url + "/status").json()
        assert status["apiStatus"] == "Valid", status
        # Only the answered call is billed: 24 points, one started thousand.
        assert totals(tmp_path / "state" / "output") == {TRANSACTIONS: 1}


def test_a_licence_without_anomaly_stops_the_start(tmp_path) -> None:
    server = ServerProcess(settings=[*_licensed(tmp_path / "state", ["language"]), "Services=anomaly"],
                           log_path=tmp_path / "server.log")
    server.start(wait_ready=False)
    try:
        assert server.process.wait(60) != 0
    finally:
        server.stop()
    assert "licence check failed" in server.log_text() and "anomaly" in server.log_text()
