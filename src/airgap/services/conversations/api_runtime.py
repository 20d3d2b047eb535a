"""CLU runtime: ``POST /language/:analyze-conversations`` (kind ``Conversation``, 2022-05-01 and
2023-04-01), as ``ConversationAnalysisClient.analyze_conversation`` calls it."""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from airgap.platform.body import read_json
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest
from airgap.platform.responses import JSONResponse
from airgap.services.conversations.engines.offsets import CODE_POINT, TEXT_ELEMENT, UTF16
from airgap.services.conversations.wire import V2022_05_01, V2023_04_01, conversation_result

if TYPE_CHECKING:
    from airgap.services.conversations.service import ConversationsService

PATH = "/language/:analyze-conversations"
API_VERSIONS = (V2022_05_01, V2023_04_01)
MAX_CHARACTERS = 5120  # per conversation item (the CLU container's documented limit)
# Accepted spellings, case-insensitively: the spec's examples send "TextElement_V8".
INDEX_TYPES = {"textelements_v8": TEXT_ELEMENT, "textelement_v8": TEXT_ELEMENT,
               "unicodecodepoint": CODE_POINT, "utf16codeunit": UTF16}


def api_version(request: Request) -> str:
    raw = request.query_params.get("api-version")
    if raw not in API_VERSIONS:
        said = "is required" if raw is None else f"'{raw}' is not supported"
        raise BadRequest(f"The api-version query parameter {said}; supported versions: {', '.join(API_VERSIONS)}.",
                         inner_code="InvalidParameterValue")
    return raw


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{where} is required and must be a non-empty string.", inner_code="InvalidParameterValue")
    return value


def build_router(service: ConversationsService) -> APIRouter:
    router = APIRouter(tags=["Conversational language understanding"])

    @router.post(PATH, summary="Analyze a conversation item with a deployed CLU project")
    async def analyze(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        api = api_version(request)
        body = await read_json(request, service.runtime.settings.max_request_bytes)
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object with kind, analysisInput and parameters.",
                             inner_code="InvalidRequestBodyFormat")
        if body.get("kind") != "Conversation":
            raise BadRequest(f"kind {body.get('kind')!r} is not supported; the synchronous kind is Conversation.",
                             inner_code="InvalidParameterValue")
        analysis_input = body.get("analysisInput")
        item = analysis_input.get("conversationItem") if isinstance(analysis_input, dict) else None
        if not isinstance(item, dict):
            raise BadRequest("analysisInput.conversationItem is required: {\"id\", \"participantId\", \"text\"}.",
                             inner_code="InvalidParameterValue")
        _string(item.get("id"), "analysisInput.conversationItem.id")
        _string(item.get("participantId"), "analysisInput.conversationItem.participantId")
        text = _string(item.get("text"), "analysisInput.conversationItem.text")
        if len(text) > MAX_CHARACTERS:
            raise BadRequest(f"analysisInput.conversationItem.text has {len(text)} characters; the limit is "
                             f"{MAX_CHARACTERS}.", inner_code="InvalidDocument")
        parameters = body.get("parameters")
        if not isinstance(parameters, dict):
            raise BadRequest("parameters is required: {\"projectName\", \"deploymentName\"}.",
                             inner_code="InvalidParameterValue")
        project = _string(parameters.get("projectName"), "parameters.projectName")
        deployment = _string(parameters.get("deploymentName"), "parameters.deploymentName")
        raw_index = parameters.get("stringIndexType", TEXT_ELEMENT)
        index_type = INDEX_TYPES.get(str(raw_index).lower())
        if index_type is None:
            raise BadRequest(f"parameters.stringIndexType {raw_index!r} is not one of {TEXT_ELEMENT}, {CODE_POINT}, "
                             f"{UTF16}.", inner_code="InvalidParameterValue")
        model = await asyncio.to_thread(service.model, project, deployment)
        prediction = await service.runtime.pool.run("clu", model.predict, text)
        ctx.meter(service.meters[0].name, max(1, math.ceil(len(text) / 1000)))
        return JSONResponse(conversation_result(text, prediction, index_type, api))

    return router
