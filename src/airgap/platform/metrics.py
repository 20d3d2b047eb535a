"""Prometheus metrics: what every process counts, and the ``/metrics`` exposition.

With ``Workers>1`` the CLI points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
folder before the workers start, and ``/metrics`` aggregates every worker.
"""

from __future__ import annotations

import os
import time
from typing import Any

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
WEBSOCKETS_OPEN = Gauge("airgap_websockets_open", "Websocket connections open now", multiprocess_mode="livesum")
WEBSOCKETS = Counter(
    "airgap_websockets_total", "Websocket connections by route template and outcome (accepted, refused, failed)",
    ["route", "outcome"],
)
WEBSOCKET_MESSAGES = Counter(
    "airgap_websocket_messages_total", "Websocket messages by route template and direction (received, sent)",
    ["route", "direction"],
)
WEBSOCKET_SECONDS = Histogram(
    "airgap_websocket_seconds", "Websocket connection duration, from upgrade request to close", ["route"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)

_CHILD_CACHE_LIMIT = 2048
_children: dict[tuple, object] = {}


def child(metric: Any, *labels: str) -> Any:
    """``metric.labels(*labels)``, cached: ``labels()`` validates and locks on every call, which
    costs more than the increment itself on a hot path."""
    key = (id(metric), *labels)
    found = _children.get(key)
    if found is None:
        if len(_children) >= _CHILD_CACHE_LIMIT:
            _children.clear()
        found = _children[key] = metric.labels(*labels)
    return found


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts every HTTP request and websocket message by route template (not raw path: bounded
    label values)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "websocket":
            await self._websocket(scope, receive, send)
            return
        if kind != "http":
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
            method = scope["method"]
            child(REQUESTS, method, template, str(status)).inc()
            child(REQUEST_SECONDS, method, template).observe(time.perf_counter() - started)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        outcome = "failed"  # neither accepted nor refused: the handler failed before either
        counters: dict[str, Counter] = {}

        def count(direction: str) -> None:
            counter = counters.get(direction)
            if counter is None:  # the route is known once the router has matched, before any message
                counter = counters[direction] = child(WEBSOCKET_MESSAGES, _route_template(scope), direction)
            counter.inc()

        async def receive_wrapper() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive":
                count("received")
            return message

        async def send_wrapper(message: Message) -> None:
            nonlocal outcome
            kind = message["type"]
            if kind == "websocket.send":
                count("sent")
            elif kind == "websocket.accept":
                outcome = "accepted"
            elif kind == "websocket.http.response.start" or (kind == "websocket.close" and outcome == "failed"):
                outcome = "refused"
            await send(message)

        WEBSOCKETS_OPEN.inc()
        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            WEBSOCKETS_OPEN.dec()
            if scope.get("airgap.refused"):  # the gateway's gates refused it (accepted only to say why)
                outcome = "refused"
            template = _route_template(scope)
            child(WEBSOCKETS, template, outcome).inc()
            child(WEBSOCKET_SECONDS, template).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    fixed = scope.get("airgap.route")  # answered by the gateway itself (liveness probes)
    if fixed is not None:
        return fixed
    route = scope.get("route")
    if route is None and "endpoint" in scope:
        # Starlette's own routes (FastAPI's /swagger pages) do not put themselves in the scope,
        # only their endpoint: find the route by it so that they are not counted as unmatched.
        routes = getattr(getattr(scope.get("app"), "router", None), "routes", ())
        route = next((r for r in routes if getattr(r, "endpoint", None) is scope["endpoint"]), None)
    return getattr(route, "path", None) or "unmatched"
