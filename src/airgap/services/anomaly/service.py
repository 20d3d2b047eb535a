"""The Anomaly Detector service (univariate): entire-series, last-point and change-point
detection under ``/anomalydetector`` (v1.1 and v1.0), with the service's own error shape."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from airgap.platform.runtime import Runtime
from airgap.services.anomaly import api, wire
from airgap.services.anomaly.engines.detector import SpectralResidualEngine
from airgap.services.base import Engine, Meter, Service

TRANSACTIONS = "CognitiveServices.AnomalyDetector.Container.Transactions"


class AnomalyService(Service):
    name = "anomaly"
    api_type = "anomalydetector"
    title = "Anomaly Detector (univariate v1.1 and v1.0: entire, last point, change points)"
    routes = (api.PREFIX,)
    dialect = wire.DIALECT
    meters = (Meter(TRANSACTIONS, "transaction",
                    "Entire-series and change-point detection: one per started 1,000 points of the request's "
                    "series; last-point detection: one per request."),)
    meter = TRANSACTIONS

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.engine = SpectralResidualEngine()

    def routers(self) -> Sequence[APIRouter]:
        return [api.build_router(self)]

    def engines(self) -> Sequence[Engine]:
        return [self.engine]
