"""Prometheus metrics: what every process counts, and the ``/metrics`` exposition.

With ``Workers>1`` the CLI points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
folder before the workers start, and ``/metrics`` aggregates every worker.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter("airgap_requests_total", "HTTP requests answered", ["method", "route", "status"])
REQUEST_SECONDS = Histogram(
    "airgap_request_seconds", "Time from request to last response byte", ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
INFERENCE_SECONDS = Histogram(
    "airgap_inference_seconds", "Time spent inside an engine call", ["engine"], buckets=_LATENCY_BUCKETS,
)
DOCUMENTS = Counter("airgap_documents_total", "Documents processed", ["service", "feature", "outcome"])
USAGE_FSYNCS = Counter("airgap_usage_fsyncs_total", "fsyncs of the usage journal (one per group commit)")
USAGE_RECORDS = Counter("airgap_usage_records_total", "usage records made durable")
MODEL_LOADED = Gauge(
    "airgap_model_loaded", "1 when the engine's model is loaded in this process", ["service", "engine"],
    multiprocess_mode="livemax",
)


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts every HTTP request by route template (not raw path: bounded label values)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            template = _route_template(scope)
            method = scope.get("method", "")
            REQUESTS.labels(method, template, str(status)).inc()
            REQUEST_SECONDS.labels(method, template).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    if route is None and "endpoint" in scope:
        # Starlette's own routes (FastAPI's /swagger pages) do not put themselves in the scope,
        # only their endpoint: find the route by it so that they are not counted as unmatched.
        routes = getattr(getattr(scope.get("app"), "router", None), "routes", ())
        route = next((r for r in routes if getattr(r, "endpoint", None) is scope["endpoint"]), None)
    return getattr(route, "path", None) or "unmatched"
