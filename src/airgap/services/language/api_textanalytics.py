"""Text Analytics v3.0 and v3.1: ``POST /text/analytics/{version}/<operation>``.

Parameters travel in the query string (``model-version``, ``showStats``,
``loggingOptOut``, ``stringIndexType``, ...), documents in ``{"documents": [...]}``,
and the result set is the body itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request

from airgap.platform.body import read_json
from airgap.platform.context import context_of
from airgap.platform.errors import BadRequest
from airgap.platform.responses import JSONResponse
from airgap.platform.route_index import express
from airgap.services.language.documents import parse_documents
from airgap.services.language.features.base import V3_0, V3_1, Feature, Parameters, analyze, check_model_version
from airgap.services.language.params import query_bool, string_index_type

if TYPE_CHECKING:
    from airgap.services.language import LanguageService

PREFIX = "/text/analytics"

# operation path -> (feature kind, versions that serve it)
OPERATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "languages": ("LanguageDetection", (V3_0, V3_1)),
    "sentiment": ("SentimentAnalysis", (V3_0, V3_1)),
    "keyPhrases": ("KeyPhraseExtraction", (V3_0, V3_1)),
    "entities/recognition/general": ("EntityRecognition", (V3_0, V3_1)),
    "entities/recognition/pii": ("PiiEntityRecognition", (V3_1,)),
    "entities/linking": ("EntityLinking", (V3_0, V3_1)),
}

_BODY_SCHEMA = {
    "type": "object",
    "required": ["documents"],
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text"],
                "properties": {
                    "id": {"type": "string"},
                    "text": {"type": "string"},
                    "language": {"type": "string"},
                    "countryHint": {"type": "string"},
                },
            },
        }
    },
}


def build_router(service: LanguageService) -> APIRouter:
    router = APIRouter(tags=["Text Analytics v3.x"])
    for operation, (kind, versions) in OPERATIONS.items():
        feature = service.features.get(kind)
        if feature is None:
            continue
        for version in versions:
            router.add_api_route(
                f"{PREFIX}/{version}/{operation}",
                _endpoint(service, feature, version),
                methods=["POST"],
                name=f"{version}-{operation}",
                summary=f"{kind} (Text Analytics {version})",
                openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _BODY_SCHEMA}}}},
            )
    return router


def _endpoint(service: LanguageService, feature: Feature, version: str):
    @express  # called by the gateway directly (platform/route_index.py)
    async def endpoint(request: Request) -> JSONResponse:
        ctx = context_of(request)  # not a Depends: dependency solving costs more than the lookup
        query = request.query_params
        payload = await read_json(request, service.runtime.settings.max_request_bytes)
        if not isinstance(payload, dict):
            raise BadRequest("Request body must be a JSON object: {\"documents\": [...]}.",
                             inner_code="InvalidRequestBodyFormat")
        options: dict[str, Any] = {k: v for k, v in query.items()}
        params = Parameters(
            api=version,
            model_version=check_model_version(feature, query.get("model-version") or query.get("modelVersion")),
            string_index_type=string_index_type(query.get("stringIndexType"), "TextElements_v8"),
            logging_opt_out=query_bool(query, "loggingOptOut"),
            show_stats=query_bool(query, "showStats"),
            options=feature.parse_options(options, version),
        )
        docs = parse_documents(payload.get("documents"), missing_code="MissingInputRecords",
                               max_documents=feature.max_documents, where="documents")
        result = await analyze(feature, service.name, docs, params, ctx, service.runtime.pool)
        return JSONResponse(result)

    return endpoint
