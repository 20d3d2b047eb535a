"""Form Recognizer (``/formrecognizer``, 2022-08-31 and 2023-07-31) and Document
Intelligence (``/documentintelligence``, 2024-11-30): analyze, poll, models, info.

Analyze is a long-running operation on the platform job store: the file is
checked at submit (a corrupt file is a 400 now, not a failed job later), then
202 + ``Operation-Location``; any replica answers the poll.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response

from airgap.ocr.pages import open_document
from airgap.ocr.settings import OCR_SETTINGS
from airgap.platform.errors import BadRequest, NotFound
from airgap.platform.lenient import choice, locale_tag
from airgap.platform.responses import JSONResponse
from airgap.services.document import jobs
from airgap.services.document.models import (
    CREATED,
    DI_2024,
    DOCUMENT_INTELLIGENCE_VERSIONS,
    FORM_RECOGNIZER_VERSIONS,
    MODELS,
    PrebuiltModel,
)
from airgap.services.document.wire import INDEX_TYPES

if TYPE_CHECKING:
    from airgap.services.document import DocumentService

BASES = {"/formrecognizer": FORM_RECOGNIZER_VERSIONS, "/documentintelligence": DOCUMENT_INTELLIGENCE_VERSIONS}
FEATURES = ("keyValuePairs", "barcodes")
NOT_BUNDLED_FEATURES = ("ocrHighResolution", "languages", "formulas", "styleFont", "queryFields")
SINCE = {"barcodes": "2023-07-31"}  # features newer than the first api-version


def build_router(service: DocumentService) -> APIRouter:
    router = APIRouter(tags=["Document Intelligence"])
    for base, versions in BASES.items():
        _routes(router, service, base, versions)
    return router


def _routes(router: APIRouter, service: DocumentService, base: str, versions: tuple[str, ...]) -> None:
    upload_jobs = jobs.upload_jobs(service)
    version_param = {"name": "api-version", "in": "query", "required": True,
                     "schema": {"type": "string", "enum": list(versions)}}

    @router.post(f"{base}/documentModels/{{model_id}}:analyze", status_code=202,
                 summary=f"Analyze a document ({base}; prebuilt-read, prebuilt-layout"
                         + (", prebuilt-document" if base == "/formrecognizer" else "")
                         + ", prebuilt-invoice, prebuilt-receipt)",
                 openapi_extra={"parameters": [version_param], "requestBody": {"required": True, "content": {
                     "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                     "application/json": {"schema": {"type": "object", "properties": {
                         "base64Source": {"type": "string"}, "urlSource": {"type": "string"}}}}}}},
                 name=f"{base}-analyze")
    async def analyze(model_id: str, request: Request) -> Response:
        version = _version(request, versions)
        custom = await service.custom.model(model_id) if model_id not in MODELS else None
        if custom is None:
            _model(model_id, version)
        query = request.query_params
        index_type = choice(query.get("stringIndexType"), INDEX_TYPES) or "textElements"
        if index_type not in INDEX_TYPES:
            raise _invalid(f"stringIndexType '{index_type}' is not valid; use textElements, unicodeCodePoint or "
                           "utf16CodeUnit.", "InvalidParameter")
        features = [choice(f.strip(), FEATURES + NOT_BUNDLED_FEATURES) for f in (query.get("features") or "").split(",")
                    if f.strip()]
        refused = [f for f in features if f not in FEATURES]
        if refused:
            raise _invalid(f"features {', '.join(refused)} are not available on this offline server; available: "
                           f"{', '.join(FEATURES)}.", "InvalidParameter")
        too_new = [f for f in features if version < SINCE.get(f, version)]
        if too_new:
            raise _invalid(f"features {', '.join(too_new)} need api-version {SINCE[too_new[0]]} or later.",
                           "InvalidParameter")
        output_format = choice(query.get("outputContentFormat"), ("text", "markdown")) or "text"
        if output_format not in ("text", "markdown") or (output_format == "markdown" and version != DI_2024):
            raise _invalid(f"outputContentFormat '{output_format}' is not valid for api-version {version}; use text"
                           + (" or markdown." if version == DI_2024 else "."), "InvalidParameter")
        locale = locale_tag(query.get("locale")) or None
        language = locale.split("-")[0] if locale else None
        if language is not None and language not in service.ocr.languages():
            raise _invalid(f"locale '{locale}' is not supported; installed OCR languages: "
                           f"{', '.join(service.ocr.languages())}.", "InvalidParameter")
        results = f"{str(request.base_url).rstrip('/')}{base}/documentModels/{model_id}/analyzeResults"
        return await upload_jobs.submit(
            request, kind=model_id,
            input={"api": version, "model": model_id, "pages": query.get("pages"), "locale": language,
                   "stringIndexType": index_type, "features": features, "markdown": output_format == "markdown",
                   **({"template": custom["template"]} if custom is not None else {})},
            check=partial(open_document, pages=query.get("pages"),
                          page_memory_mb=service.runtime.settings.section(OCR_SETTINGS).page_memory_mb),
            location=lambda job_id: f"{results}/{job_id}?api-version={version}", headers={"Retry-After": "1"})

    @router.get(f"{base}/documentModels/{{model_id}}/analyzeResults/{{result_id}}",
                summary="Status and result of an analyze operation", openapi_extra={"parameters": [version_param]},
                name=f"{base}-result")
    async def result(model_id: str, result_id: str, request: Request) -> JSONResponse:
        _version(request, versions)
        state = await upload_jobs.find(result_id, kind=model_id)
        if state is None:
            raise NotFound(f"Analyze result '{result_id}' of model '{model_id}' was not found; results are kept "
                           "for 24 hours.", inner_code="OperationNotFound")
        return upload_jobs.poll(state, error_dialect=service.dialect)

    @router.get(f"{base}/documentModels", summary="List the models", openapi_extra={"parameters": [version_param]},
                name=f"{base}-models")
    async def list_models(request: Request) -> JSONResponse:
        version = _version(request, versions)
        return JSONResponse({"value": [_summary(m, version) for m in MODELS.values() if version in m.api_versions]
                             + await service.custom.summaries(version)})

    @router.get(f"{base}/documentModels/{{model_id}}", summary="Details of a model",
                openapi_extra={"parameters": [version_param]}, name=f"{base}-model")
    async def model_details(model_id: str, request: Request) -> JSONResponse:
        version = _version(request, versions)
        custom = await service.custom.details(model_id, version) if model_id not in MODELS else None
        return JSONResponse(custom if custom is not None else _summary(_model(model_id, version), version))

    @router.get(f"{base}/info", summary="Resource details", openapi_extra={"parameters": [version_param]},
                name=f"{base}-info")
    async def info(request: Request) -> JSONResponse:
        version = _version(request, versions)
        count, limit = await service.custom.count()
        body: dict[str, Any] = {"customDocumentModels": {"count": count, "limit": limit}}
        if version == "2023-07-31":
            body["customNeuralDocumentModelBuilds"] = {"used": 0, "quota": 0, "quotaResetDateTime": CREATED}
        return JSONResponse(body)


def _version(request: Request, versions: tuple[str, ...]) -> str:
    version = request.query_params.get("api-version")
    if version not in versions:
        given = f"api-version '{version}' is not supported here" if version else "The api-version query parameter is required"
        raise _invalid(f"{given}; use one of {', '.join(versions)}.", "UnsupportedApiVersion" if version else
                       "MissingApiVersion")
    return version


def _model(model_id: str, version: str) -> PrebuiltModel:
    model = MODELS.get(model_id)
    if model is None or version not in model.api_versions:
        offered = [m.model_id for m in MODELS.values() if version in m.api_versions]
        raise NotFound(f"Model '{model_id}' is not available on this server for api-version {version}; models: "
                       f"{', '.join(offered)}, and the custom models built here (documentModels:build; list them with "
                       "GET documentModels). prebuilt-idDocument and prebuilt-businessCard are not bundled offline yet.",
                       inner_code="ModelNotFound")
    return model


def _summary(model: PrebuiltModel, version: str) -> dict[str, Any]:
    return {"modelId": model.model_id, "description": model.description, "createdDateTime": CREATED,
            "apiVersion": version}


def _invalid(message: str, inner: str) -> BadRequest:
    return BadRequest(message, code="InvalidRequest", inner_code=inner)
