"""Image Analysis 4.0: ``POST /computervision/imageanalysis:analyze?features=read``.

Only the ``read`` feature is served: captions, tags, objects and people need
models that are not bundled, and asking for them is a clear 400.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, NestedCodeDialect
from airgap.platform.lenient import choice, locale_tag
from airgap.platform.responses import JSONResponse
from airgap.platform.uploads import read_input
from airgap.services.vision.api_read import run_read

if TYPE_CHECKING:
    from airgap.services.vision import VisionService

PREFIX = "/computervision/"
# Image Analysis writes the specific code (InvalidImageFormat, ...) as the innererror of InvalidRequest.
DIALECT = NestedCodeDialect()
API_VERSIONS = ("2023-10-01", "2024-02-01")
FEATURES = ("read",)
NOT_BUNDLED = ("caption", "denseCaptions", "tags", "objects", "people", "smartCrops")


def build_router(service: VisionService) -> APIRouter:
    router = APIRouter(tags=["Image Analysis 4.0"])

    @router.post(f"{PREFIX}imageanalysis:analyze", summary="Analyze an image (features=read)",
                 openapi_extra={"parameters": [
                     {"name": "api-version", "in": "query", "required": True,
                      "schema": {"type": "string", "enum": list(API_VERSIONS)}},
                     {"name": "features", "in": "query", "required": True, "schema": {"type": "string"}},
                     {"name": "language", "in": "query", "schema": {"type": "string"}}],
                     "requestBody": {"required": True, "content": {
                         "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def analyze(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        query = request.query_params
        version = query.get("api-version")
        if version not in API_VERSIONS:
            raise BadRequest(f"api-version '{version}' is not supported; use one of {', '.join(API_VERSIONS)}.",
                             inner_code="InvalidApiVersion" if version else "MissingApiVersion")
        features = [choice(f.strip(), FEATURES + NOT_BUNDLED) for f in (query.get("features") or "").split(",")
                    if f.strip()]
        if not features:
            raise BadRequest("The features query parameter is required; this server offers features=read.",
                             inner_code="InvalidParameter")
        unknown = [f for f in features if f not in FEATURES]
        if unknown:
            offline = [f for f in unknown if f in NOT_BUNDLED]
            reason = (f"{', '.join(offline)} need models that are not bundled with this offline server"
                      if offline else f"unknown feature(s) {', '.join(unknown)}")
            raise BadRequest(f"features: {reason}; available: {', '.join(FEATURES)}.",
                             inner_code="NotSupportedVisualFeature")
        language = locale_tag(query.get("language")) or None
        if language is not None and language not in service.ocr.languages():
            raise BadRequest(f"language '{language}' is not supported; installed: {', '.join(service.ocr.languages())}.",
                             inner_code="NotSupportedLanguage")
        # Errors raised with a specific code are nested under InvalidRequest by this API's dialect.
        data = await read_input(request, service.runtime.settings)
        if data.startswith(b"%PDF-"):
            raise BadRequest("Image Analysis reads images only (JPEG, PNG, BMP, TIFF); send PDFs to Read 3.2 "
                             "or Document Intelligence.", code="InvalidImageFormat")
        pages = await run_read(service, data, "1", language, ctx)
        page = pages[0]
        return JSONResponse({
            "modelVersion": "2023-10-01",
            "metadata": {"width": int(page.width), "height": int(page.height)},
            "readResult": {"blocks": [{"lines": [_line(line) for line in page.lines]}] if page.lines else []},
        })

    return router


def _polygon(polygon) -> list[dict[str, int]]:
    return [{"x": round(x), "y": round(y)} for x, y in polygon]


def _line(line) -> dict[str, Any]:
    return {
        "text": line.text,
        "boundingPolygon": _polygon(line.polygon),
        "words": [{"text": w.text, "boundingPolygon": _polygon(w.polygon), "confidence": w.confidence}
                  for w in line.words],
    }
