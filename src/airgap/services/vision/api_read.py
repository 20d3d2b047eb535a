"""Read 3.2: ``/vision/v3.2/read/...``.

``syncAnalyze`` (container-only) answers with the finished result; ``analyze``
accepts a job on the platform job store (202 + ``Operation-Location``) whose
result any replica answers at ``analyzeResults/{id}`` or ``operations/{id}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response

from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.ocr.settings import OCR_SETTINGS
from airgap.ocr.types import Line, Page
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, NotFound
from airgap.platform.lenient import choice, locale_tag
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
    jobs = read_jobs.upload_jobs(service)
    page_memory_mb = service.runtime.settings.section(OCR_SETTINGS).page_memory_mb

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
        base = str(request.base_url).rstrip("/")
        # A broken file is refused now, with its reason, rather than as a failed operation later.
        return await jobs.submit(request, kind="Read", input={"api": "read-3.2", "pages": pages_spec,
                                                              "language": language},
                                 check=partial(open_document, pages=pages_spec, page_memory_mb=page_memory_mb),
                                 location=lambda job_id: f"{base}{BASE}/analyzeResults/{job_id}")

    async def result(operation_id: str) -> JSONResponse:
        state = await jobs.find(operation_id)
        if state is None:
            raise NotFound(f"Read operation '{operation_id}' was not found; results are kept for 24 hours.",
                           code="NotFound")
        # Read 3.2's ReadOperationResult has no error member: a failed read is status "failed",
        # and why is in the server log.
        return jobs.poll(state, error_dialect=None)

    # The cloud answers at analyzeResults/{id}; the container documents operations/{id}: serve both.
    for path in ("analyzeResults", "operations"):
        router.add_api_route(f"{BASE}/{path}/{{operation_id}}", result, methods=["GET"],
                             summary="Status and result of a read operation", name=f"read-{path}")

    return router


async def run_read(service: VisionService, data: bytes, pages_spec: str | None, language: str | None,
                   ctx: RequestContext) -> list[Page]:
    pool = service.runtime.pool
    # Checked from headers here; each page is decoded, read and dropped in turn by read_pages.
    page_memory_mb = service.runtime.settings.section(OCR_SETTINGS).page_memory_mb
    sources = await pool.run("document-decoder", open_document, data, pages_spec, page_memory_mb)
    pages = await pool.run(service.ocr.name, read_pages, service.ocr, sources, language)
    ctx.meter(READ_PAGES, len(pages))
    return pages


def _options(request: Request, service: VisionService) -> tuple[str | None, str | None]:
    query = request.query_params
    language = locale_tag(query.get("language"))
    if language is not None:
        language = language.strip() or None
    if language is not None and language not in service.ocr.languages():
        raise BadRequest(f"language '{language}' is not supported by this server; installed: "
                         f"{', '.join(service.ocr.languages())}.", code="NotSupportedLanguage")
    order = choice(query.get("readingOrder"), READING_ORDERS)
    if order is not None and order not in READING_ORDERS:
        raise BadRequest(f"readingOrder '{order}' is not valid; use basic or natural.", code="InvalidReadingOrder")
    version = choice(query.get("modelVersion") or query.get("model-version"), ("latest", MODEL_VERSION))
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
