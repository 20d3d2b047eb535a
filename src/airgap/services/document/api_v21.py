"""Form Recognizer v2.1 (``/formrecognizer/v2.1``), as ``azure-ai-formrecognizer`` 3.1.x speaks it.

* ``POST /formrecognizer/v2.1/layout/analyze`` (``pages``, ``language``, ``readingOrder``; the file
  as bytes, or ``{"source": url}``) -> 202 + ``Operation-Location``
  ``/formrecognizer/v2.1/layout/analyzeResults/{resultId}``. The job is the same ``prebuilt-layout``
  job as 2022-08-31 and later (``jobs.py``, the same engines, meter and job store); only the
  result's shape differs (``wire_v21.py``, chosen by the job's ``api``).
* ``prebuilt/{receipt,invoice,businessCard,idDocument}`` and ``custom/models``: a 404 that says
  these models are not available on this offline server (yet), and what is.
* Anything else under v2.1, and the versions no longer served (v2.0, the v2.1 previews): a 404
  naming the version asked for, the versions served and the SDK release that speaks each.

Errors here use the v2.x envelope (``wire_v21.DIALECT``, registered for ``/formrecognizer/v2.1``
and the retired v2 versions by ``DocumentService.dialects``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response

from airgap.ocr.pages import open_document
from airgap.ocr.settings import OCR_SETTINGS
from airgap.platform.api_versions import Served, retired_versions_router
from airgap.platform.errors import BadRequest, NotFound
from airgap.platform.jobs import JobFailure, render_job_error
from airgap.platform.lenient import choice, locale_tag
from airgap.platform.responses import JSONResponse
from airgap.platform.upload_jobs import OPERATION_STATUS
from airgap.services.document import jobs, wire_v21

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

BASE = "/formrecognizer/v2.1"
MODEL = "prebuilt-layout"
READING_ORDERS = ("basic", "natural")
PREBUILT = ("receipt", "invoice", "businessCard", "idDocument")

SERVED = (
    Served(f"{BASE}/layout/analyze", "azure-ai-formrecognizer 3.1.x"),
    Served("/formrecognizer/documentModels/{modelId}:analyze?api-version=2022-08-31", "azure-ai-formrecognizer 3.2.x"),
    Served("/formrecognizer/documentModels/{modelId}:analyze?api-version=2023-07-31", "azure-ai-formrecognizer 3.3.x"),
    Served("/documentintelligence/documentModels/{modelId}:analyze?api-version=2024-11-30",
           "azure-ai-documentintelligence 1.0.x"),
)
# Versions a pinned client may still send: azure-ai-formrecognizer 3.0.x (v2.0) and 3.1 betas (previews).
RETIRED = ("v2.0", "v2.1-preview.1", "v2.1-preview.2", "v2.1-preview.3")
# v2.x errors are {"error": {"code", "message"}}, on v2.1 and on the retired v2 versions alike.
DIALECTS = {f"/formrecognizer/{version}": wire_v21.DIALECT for version in ("v2.1", *RETIRED)}


_LAYOUT_OPENAPI = {
    "parameters": [
        {"name": "pages", "in": "query", "schema": {"type": "string"}, "description": "e.g. 1,3,5-7"},
        {"name": "language", "in": "query", "schema": {"type": "string"}},
        {"name": "readingOrder", "in": "query", "schema": {"type": "string", "enum": list(READING_ORDERS)}}],
    "requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": {"type": "object", "properties": {"source": {"type": "string"}}}}}},
}


def build_router(service: DocumentService) -> APIRouter:
    router = APIRouter(tags=["Form Recognizer v2.1"])
    upload_jobs = jobs.upload_jobs(service)

    @router.post(f"{BASE}/layout/analyze", status_code=202,
                 summary="Analyze a document's layout (Form Recognizer v2.1; azure-ai-formrecognizer 3.1.x)",
                 openapi_extra=_LAYOUT_OPENAPI,
                 name="formrecognizer-v2.1-layout-analyze")
    async def analyze_layout(request: Request) -> Response:
        query = request.query_params
        order = choice(query.get("readingOrder"), READING_ORDERS)
        if order not in (None, "", *READING_ORDERS):
            raise BadRequest(f"readingOrder '{order}' is not valid; use basic or natural.", code="InvalidParameter")
        language = locale_tag(query.get("language")) or None
        code = language.split("-")[0].lower() if language else None
        if code is not None and code not in service.ocr.languages():
            raise BadRequest(f"language '{language}' is not supported; installed OCR languages: "
                             f"{', '.join(service.ocr.languages())}.", code="InvalidParameter")
        pages = query.get("pages") or None
        results = f"{str(request.base_url).rstrip('/')}{BASE}/layout/analyzeResults"
        return await upload_jobs.submit(
            request, kind=MODEL,
            input={"api": wire_v21.API_VERSION, "model": MODEL, "pages": pages, "locale": code,
                   "stringIndexType": "textElements", "features": [], "markdown": False},
            check=partial(open_document, pages=pages,
                          page_memory_mb=service.runtime.settings.section(OCR_SETTINGS).page_memory_mb),
            location=lambda job_id: f"{results}/{job_id}")

    @router.get(f"{BASE}/layout/analyzeResults/{{result_id}}", name="formrecognizer-v2.1-layout-result",
                summary="Status and result of a layout operation (Form Recognizer v2.1)")
    async def layout_result(result_id: str) -> JSONResponse:
        state = await upload_jobs.find(result_id, kind=MODEL)
        if state is None or state.get("input", {}).get("api") != wire_v21.API_VERSION:
            raise NotFound(f"Analyze result '{result_id}' was not found; results are kept for 24 hours.",
                           code="NotFound")
        return _poll(state)

    for name in PREBUILT:
        for path in (f"{BASE}/prebuilt/{name}/analyze", f"{BASE}/prebuilt/{name}/analyzeResults/{{result_id}}"):
            router.add_api_route(path, _not_available(f"The prebuilt {name} model is"), methods=["GET", "POST"],
                                 include_in_schema=False, name=f"formrecognizer-v2.1-{name}")
    for path in (f"{BASE}/custom/models", f"{BASE}/custom/models/{{rest:path}}"):
        router.add_api_route(path, _not_available("Custom models are"), methods=["GET", "POST", "DELETE"],
                             include_in_schema=False, name="formrecognizer-v2.1-custom")

    # Anything else under v2.1 (after the routes above), then the versions no longer served.
    @router.api_route(f"{BASE}/{{rest:path}}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                      include_in_schema=False, name="formrecognizer-v2.1-other")
    async def other(request: Request) -> None:
        raise NotFound(f"{request.method} {request.url.path} is not a Form Recognizer v2.1 operation this "
                       f"server serves; v2.1 here is POST {BASE}/layout/analyze and GET "
                       f"{BASE}/layout/analyzeResults/{{resultId}}. " + _served_text(), code="NotFound")

    router.include_router(retired_versions_router("Form Recognizer", "/formrecognizer", RETIRED, SERVED))
    return router


def _served_text() -> str:
    return "Served: " + "; ".join(f"{s.api} ({s.clients})" for s in SERVED) + "."


def _not_available(what: str):
    async def not_available(request: Request) -> None:
        raise NotFound(f"{what} not available on this offline server yet ({request.method} "
                       f"{request.url.path}). Form Recognizer v2.1 here serves layout: POST {BASE}/layout/analyze "
                       f"(azure-ai-formrecognizer 3.1.x begin_recognize_content). Prebuilt read, layout and "
                       "general document models are served on 2022-08-31 and later. " + _served_text(),
                       code="ModelNotFound")
    return not_available


def _poll(state: dict[str, Any]) -> JSONResponse:
    status = OPERATION_STATUS.get(state["status"], "running")
    body: dict[str, Any] = {"status": status, "createdDateTime": state["createdDateTime"],
                            "lastUpdatedDateTime": state["lastUpdatedDateTime"]}
    if status == "succeeded":
        body["analyzeResult"] = state["tasks"][0]["results"]
    elif status == "failed":
        stored = (state.get("errors") or [JobFailure.internal().to_json()])[0]
        body["analyzeResult"] = wire_v21.failed_result(render_job_error(stored, wire_v21.DIALECT))
    headers = {} if status in ("succeeded", "failed") else {"Retry-After": "1"}
    return JSONResponse(body, headers=headers)

