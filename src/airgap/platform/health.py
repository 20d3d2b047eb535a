"""Housekeeping routes every airgap container serves, as Azure's containers do."""

from __future__ import annotations

import asyncio
import html

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from airgap import __version__
from airgap.platform import job_metrics, metrics
from airgap.platform.responses import JSONResponse
from airgap.platform.runtime import Runtime


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _readiness(runtime: Runtime) -> JSONResponse:
    services = {s.name: ("ready" if s.ready else "loading") for s in runtime.services}
    body: dict = {"status": "ready" if runtime.ready else "notReady", "services": services}
    if runtime.load_error:
        body["error"] = runtime.load_error
    reasons = []
    if runtime.processes:  # engine processes (platform/processes.py): which one is down, and why
        states = runtime.processes.states()
        body["processes"] = {p.name: p.state for p in states}
        down = [p for p in states if p.required and not p.healthy]
        for p in down:
            if services.get(p.service) == "ready":
                services[p.service] = "waitingForProcess"
        if down:
            body["status"] = "notReady"
            text = "; ".join(p.describe() for p in down)
            reasons.append(text[:1].upper() + text[1:] + ".")
    reason = runtime.not_serving_reason()
    if reason:
        body["status"] = "notReady"
        reasons.insert(0, reason)
    if reasons:
        body["reason"] = " ".join(reasons)
    return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)


router = APIRouter(include_in_schema=False)

# Liveness means the process answers; a loading or expired server is alive. The gateway answers
# GET on these paths itself, without routing (probes come often); the routes below stay for the rest.
LIVENESS_PATHS = ("/health", "/ContainerLiveness")
LIVENESS = {"status": "alive"}


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    runtime = _runtime(request)
    rows = "".join(
        f"<li><b>{html.escape(s.title)}</b> ({html.escape(s.name)}): "
        f"{'ready' if s.ready else 'loading'}; paths {html.escape(', '.join(s.routes))}</li>"
        for s in runtime.services
    )
    api_status, message = runtime.api_status()
    links = "".join(
        f'<li><a href="{p}">{p}</a></li>'
        for p in ("/studio", "/ready", "/status", "/swagger", "/metrics", "/records/usage-logs", "/ContainerLiveness")
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>airgap</title></head>
<body><h1>airgap {html.escape(__version__)}</h1>
<p>The container is running. Status: <b>{html.escape(api_status)}</b>: {html.escape(message)}</p>
<h2>Services</h2><ul>{rows}</ul>
<h2>Links</h2><ul>{links}</ul>
</body></html>"""
    return HTMLResponse(page)


@router.get("/ready")
@router.get("/ContainerReadiness")
async def ready(request: Request) -> JSONResponse:
    return _readiness(_runtime(request))


@router.get("/health")
@router.get("/ContainerLiveness")
async def liveness() -> JSONResponse:
    return JSONResponse(LIVENESS)


@router.get("/status")
async def status(request: Request) -> JSONResponse:
    runtime = _runtime(request)
    api_status, message = runtime.api_status()
    body = {
        "service": ",".join(s.api_type for s in runtime.services),
        "apiStatus": api_status,
        "apiStatusMessage": message,
    }
    if runtime.processes:
        body["processes"] = [p.to_status() for p in runtime.processes.states()]
    return JSONResponse(body)


@router.get("/metrics")
async def prometheus_metrics(request: Request) -> Response:
    payload, content_type = metrics.exposition()
    runner = _runtime(request).jobs
    if runner is not None:  # jobs in flight, read from the job folder now (files: off the loop)
        payload += await asyncio.to_thread(job_metrics.exposition, runner.store)
    return Response(payload, media_type=content_type)
