"""One real server hosting the anomaly service per test module, and the official SDK's client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azure.ai.anomalydetector import AnomalyDetectorClient
from azure.core.credentials import AzureKeyCredential

from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def anomaly_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("anomaly-server")
    with ServerProcess(settings=["Services=anomaly"], log_path=folder / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def client(anomaly_server: ServerProcess) -> AnomalyDetectorClient:
    return AnomalyDetectorClient(anomaly_server.url, AzureKeyCredential("unused"))
