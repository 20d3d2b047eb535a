"""Language API 2022-05-01 and 2023-04-01: ``POST /language/:analyze-text?api-version=...``.

One route for every kind: the body's ``kind`` picks the feature,
``analysisInput.documents`` holds the documents and ``parameters`` the task
parameters; the result set is wrapped as ``{"kind": "<Kind>Results", "results": ...}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request

from airgap.platform.body import read_json
from airgap.platform.context import context_of
from airgap.platform.errors import BadRequest
from airgap.platform.lenient import choice
from airgap.platform.responses import JSONResponse
from airgap.platform.route_index import express
from airgap.services.language.documents import parse_documents
from airgap.services.language.features.base import V2022_05_01, V2023_04_01, Parameters, analyze, check_model_version
from airgap.services.language.params import param_bool, param_str, query_bool, string_index_type

if TYPE_CHECKING:
    from airgap.services.language import LanguageService

PREFIX = "/language"
API_VERSIONS = (V2022_05_01, V2023_04_01)


def api_version(request: Request) -> str:
    raw = request.query_params.get("api-version")
    if raw is None:
        raise BadRequest(
            f"The api-version query parameter is required; supported versions: {', '.join(API_VERSIONS)}.",
            inner_code="InvalidParameterValue",
        )
    if raw not in API_VERSIONS:
        raise BadRequest(
            f"api-version '{raw}' is not supported; supported versions: {', '.join(API_VERSIONS)}.",
            inner_code="InvalidParameterValue",
        )
    return raw


def build_router(service: LanguageService) -> APIRouter:
    router = APIRouter(tags=["Language"])
    kinds = sorted(service.features)

    @router.post(
        f"{PREFIX}/:analyze-text",
        summary="Analyze text synchronously (kind: " + ", ".join(kinds) + ")",
        openapi_extra={
            "parameters": [{"name": "api-version", "in": "query", "required": True,
                            "schema": {"type": "string", "enum": list(API_VERSIONS)}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["kind", "analysisInput"],
                "properties": {"kind": {"type": "string", "enum": kinds},
                               "analysisInput": {"type": "object"}, "parameters": {"type": "object"}}}}}},
        },
    )
    @express  # called by the gateway directly (platform/route_index.py)
    async def analyze_text(request: Request) -> JSONResponse:
        ctx = context_of(request)  # not a Depends: dependency solving costs more than the lookup
        version = api_version(request)
        payload = await read_json(request, service.runtime.settings.max_request_bytes)
        if not isinstance(payload, dict):
            raise BadRequest("Request body must be a JSON object with 'kind' and 'analysisInput'.",
                             inner_code="InvalidRequestBodyFormat")
        kind = payload.get("kind")
        feature = service.features.get(choice(kind, service.features)) if isinstance(kind, str) else None
        if feature is None:
            if kind is None:
                message = "Missing 'kind'"
            else:
                message = f"kind '{kind}' is not supported"
            raise BadRequest(f"{message}; supported kinds: {', '.join(kinds)}.", inner_code="InvalidParameterValue")
        analysis_input = payload.get("analysisInput")
        if analysis_input is None:
            analysis_input = {}
        if not isinstance(analysis_input, dict):
            raise BadRequest("analysisInput must be an object: {\"documents\": [...]}.", inner_code="InvalidParameterValue")
        raw_params = payload.get("parameters")
        if raw_params is None:  # not `or {}`: an empty list or string is a wrong type, not "absent"
            raw_params = {}
        if not isinstance(raw_params, dict):
            raise BadRequest("parameters must be an object, e.g. {\"modelVersion\": \"latest\"}.",
                             inner_code="InvalidParameterValue")
        params = Parameters(
            api=version,
            model_version=check_model_version(feature, param_str(raw_params, "modelVersion")),
            string_index_type=string_index_type(param_str(raw_params, "stringIndexType"), "TextElements_v8"),
            logging_opt_out=param_bool(raw_params, "loggingOptOut"),
            show_stats=query_bool(request.query_params, "showStats"),
            options=feature.parse_options(raw_params, version),
        )
        docs = parse_documents(analysis_input.get("documents"), missing_code="MissingInputDocuments",
                               max_documents=feature.max_documents, where="analysisInput.documents")
        result = await analyze(feature, service.name, docs, params, ctx, service.runtime.pool)
        return JSONResponse({"kind": f"{feature.kind}Results", "results": result})

    return router
