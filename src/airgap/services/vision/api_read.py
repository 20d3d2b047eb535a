"""Read 3.2: ``/vision/v3.2/read/...``.

``syncAnalyze`` (container-only) answers with the finished result; ``analyze``
accepts a job on the platform job store (202 + ``Operation-Location``) whose
result any replica answers at ``analyzeResults/{id}`` or ``operations/{id}``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.ocr.types import Line, Page
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, NotFound
from airgap.platform.responses import JSONResponse
from airgap.platform.uploads import read_input
from airgap.services.vision import read_jobs
from airgap.services.vision.read_results import MODEL_VERSION, analyze_result
from airgap.services.vision.meters import READ_PAGES

if TYPE_CHECKING:
    from airgap.services.vision import VisionService

PREFIX = "/vision/"
BASE = "/vision/v3.2/read"
READING_ORDERS = ("basic", "natural")


def build_router(service: VisionService) -> APIRouter:
    router = APIRouter(tags=["Vision Read 3.2"])

    @router.post(f"{BASE}/syncAnalyze", summary="Read an image or PDF and answer with the result (container API)",
                 openapi_extra=_binary_body())
    async def sync_analyze(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        language, pages_spec = _options(request, service)
        data = await read_input(request, service.runtime.settings)
        pages = await run_read(service, data, pages_spec, language, ctx)
        now = _now()
        return JSONResponse({"status": "succeeded", "createdDateTime": now, "lastUpdatedDateTime": now,
                             "analyzeResult": analyze_result(pages, language)})

    @router.post(f"{BASE}/analyze", status_code=202, summary="Start reading an image or PDF (202 + Operation-Location)",
                 openapi_extra=_binary_body())
    async def analyze(request: Request) -> Response:
        language, pages_spec = _options(request, service)
        data = await read_input(request, service.runtime.settings)
        # A broken file is refused now, with its reason, rather than as a failed operation later.
        await service.runtime.pool.run("document-decoder", open_document, data, pages_spec)
        state = await read_jobs.submit(service, data, pages_spec, language)
        location = f"{str(request.base_url).rstrip('/')}{BASE}/analyzeResults/{state['jobId']}"
        return Response(status_code=202, headers={"Operation-Location": location})

    async def result(operation_id: str) -> JSONResponse:
        state = await asyncio.to_thread(service.runtime.jobs.store.get, operation_id)
        if state is None or state.get("handler") != read_jobs.HANDLER:
            raise NotFound(f"Read operation '{operation_id}' was not found; results are kept for 24 hours.",
                           code="NotFound")
        status = _STATUS.get(state["status"], "running")
        body: dict[str, Any] = {"status": status, "createdDateTime": state["createdDateTime"],
                                "lastUpdatedDateTime": state["lastUpdatedDateTime"]}
        if status == "succeeded":
            body["analyzeResult"] = state["tasks"][0]["results"]
        headers = {} if status in ("succeeded", "failed") else {"Retry-After": "1"}
        return JSONResponse(body, headers=headers)

    # The cloud answers at analyzeResults/{id}; the container documents operations/{id}: serve both.
    for path in ("analyzeResults", "operations"):
        router.add_api_route(f"{BASE}/{path}/{{operation_id}}", result, methods=["GET"],
                             summary="Status and result of a read operation", name=f"read-{path}")

    return router


_STATUS = {"notStarted": "notStarted", "running": "running", "cancelling": "running", "succeeded": "succeeded",
           "partiallyCompleted": "failed", "failed": "failed", "cancelled": "failed"}


async def run_read(service: VisionService, data: bytes, pages_spec: str | None, language: str | None,
                   ctx: RequestContext) -> list[Page]:
    pool = service.runtime.pool
    sources = await pool.run("document-decoder", open_document, data, pages_spec)
    pages = await pool.run(service.ocr.name, read_pages, service.ocr, sources, language)
    ctx.meter(READ_PAGES, len(pages))
    return pages


def _options(request: Request, service: VisionService) -> tuple[str | None, str | None]:
    query = request.query_params
    language = query.get("language")
    if language is not None:
        language = language.strip() or None
    if language is not None and language not in service.ocr.languages():
        raise BadRequest(f"language '{language}' is not supported by this server; installed: "
                         f"{', '.join(service.ocr.languages())}.", code="NotSupportedLanguage")
    order = query.get("readingOrder")
    if order is not None and order not in READING_ORDERS:
        raise BadRequest(f"readingOrder '{order}' is not valid; use basic or natural.", code="InvalidReadingOrder")
    version = query.get("modelVersion") or query.get("model-version")
    if version is not None and version not in ("latest", MODEL_VERSION):
        raise BadRequest(f"Model version '{version}' is not available; use latest or {MODEL_VERSION}.",
                         code="InvalidModel")
    return language, query.get("pages")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _binary_body() -> dict[str, Any]:
    return {
        "parameters": [
            {"name": "language", "in": "query", "schema": {"type": "string"}},
            {"name": "pages", "in": "query", "schema": {"type": "string"}, "description": "e.g. 1,3,5-7"},
            {"name": "readingOrder", "in": "query", "schema": {"type": "string", "enum": list(READING_ORDERS)}},
        ],
        "requestBody": {"required": True, "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "object", "properties": {"url": {"type": "string"}}}},
        }},
    }
