"""Text to speech over REST: ``POST /cognitiveservices/v1`` and ``GET /cognitiveservices/voices/list``.

As Azure's ``rest-text-to-speech``: the body is SSML (``Content-Type: application/ssml+xml``), the
audio format is ``X-Microsoft-OutputFormat`` (default ``riff-16khz-16bit-mono-pcm``). ``riff-*``
formats are written whole (the header holds the data size); the others stream as each sentence is
spoken. Errors are Azure's HTTP envelope: bad SSML, an unknown voice with no locale match, a body
over 64 KB and an unsupported format are 400, a body that is not SSML 415. Billed per character as
Azure bills (``ssml.billable_characters``), before the first byte of audio leaves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from starlette.requests import ClientDisconnect

from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, ServiceUnavailable, UnsupportedMediaType
from airgap.platform.responses import JSONResponse
from airgap.services.speech import formats, ssml
from airgap.services.speech.engines.tts_types import SynthesisError
from airgap.services.speech.meters import NEURAL_TEXT_TO_SPEECH_CHARACTERS
from airgap.services.speech.tts import MAX_SSML_BYTES
from airgap.services.speech.tts_synthesis import Event, Synthesis, plan
from airgap.services.speech.voices import UnknownVoice

if TYPE_CHECKING:
    from airgap.services.speech.service import SpeechService

SYNTHESIS_PATH = "/cognitiveservices/v1"
VOICES_PATH = "/cognitiveservices/voices/list"
SSML_TYPES = ("application/ssml+xml", "application/xml", "text/xml")


def build_router(service: SpeechService) -> APIRouter:
    router = APIRouter(tags=["Text to speech (REST)"])
    tts = service.tts

    @router.get(VOICES_PATH, summary="The voices this container speaks with, as Azure lists them")
    async def list_voices() -> JSONResponse:
        return JSONResponse(tts.catalogue.listing())

    @router.post(SYNTHESIS_PATH, summary="Synthesise speech from SSML", openapi_extra=_openapi())
    async def synthesize(request: Request, ctx: RequestContext = Depends(request_context)) -> Response:
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type not in SSML_TYPES:
            raise UnsupportedMediaType(f"Content-Type '{content_type or '(none)'}' is not SSML; send the SSML "
                                       "document with Content-Type: application/ssml+xml.",
                                       code="UnsupportedMediaType")
        try:
            fmt = formats.lookup(request.headers.get("x-microsoft-outputformat"))
        except formats.UnsupportedFormat as exc:
            raise BadRequest(str(exc), code="InvalidArgument", inner_code="UnsupportedOutputFormat") from None
        body = await _read(request)
        synthesis, characters = prepare(service, body, fmt)
        stream = synthesis.events()
        first = await _first_audio(stream)  # engine failures are an error status, not a cut file
        ctx.meter(NEURAL_TEXT_TO_SPEECH_CHARACTERS, characters)
        headers = {"X-Microsoft-OutputFormat": fmt.name}
        if fmt.container == "riff":
            try:
                data = b"".join(first) + b"".join([e.data async for e in stream if e.kind == "audio"])
            except SynthesisError as exc:
                raise ServiceUnavailable(f"Text to speech failed: {exc}", headers={"Retry-After": "2"}) from None
            return Response(fix_riff(data), media_type=fmt.content_type, headers=headers)

        async def audio() -> AsyncIterator[bytes]:
            for chunk in first:
                yield chunk
            try:
                async for event in stream:
                    if event.kind == "audio":
                        yield event.data
            finally:
                synthesis.cancel()

        return StreamingResponse(audio(), media_type=fmt.content_type, headers=headers)

    return router


async def _read(request: Request) -> bytes:
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_SSML_BYTES:
                raise BadRequest(f"The SSML is longer than {MAX_SSML_BYTES // 1024} KB, the most one request may "
                                 "send; split the text into several requests.", code="InvalidArgument",
                                 inner_code="TextTooLong")
            chunks.append(chunk)
    except ClientDisconnect:
        raise BadRequest("The client closed the connection before the SSML arrived.") from None
    return b"".join(chunks)


def prepare(service: SpeechService, body: bytes | str, fmt: formats.OutputFormat) -> tuple[Synthesis, int]:
    """SSML to a synthesis ready to run, and the characters it bills; ``BadRequest`` for bad input."""
    try:
        document = ssml.parse(body)
    except ssml.SsmlError as exc:
        raise BadRequest(str(exc), code="InvalidArgument", inner_code="InvalidSsml") from None
    try:
        units = plan(document, service.tts.catalogue)
    except UnknownVoice as exc:
        raise BadRequest(str(exc), code="InvalidArgument", inner_code="UnsupportedVoice") from None
    return Synthesis(units, fmt, service.runtime.pool.run), document.billable_characters


async def _first_audio(stream: AsyncIterator[Event]) -> list[bytes]:
    try:
        async for event in stream:
            if event.kind == "audio" and event.data:
                return [event.data]
    except SynthesisError as exc:
        raise ServiceUnavailable(f"Text to speech failed: {exc}", headers={"Retry-After": "2"}) from None
    return []


def fix_riff(data: bytes) -> bytes:
    """A RIFF file written while streaming, with its real sizes."""
    if len(data) < 44 or data[:4] != b"RIFF":
        return data
    size = len(data) - 44
    return data[:4] + (size + 36).to_bytes(4, "little") + data[8:40] + size.to_bytes(4, "little") + data[44:]


def _openapi() -> dict:
    return {
        "parameters": [{"name": "X-Microsoft-OutputFormat", "in": "header", "required": False,
                        "schema": {"type": "string", "enum": [f.name for f in formats.FORMATS.values()]},
                        "description": "The audio format (default riff-16khz-16bit-mono-pcm)."}],
        "requestBody": {"required": True, "content": {"application/ssml+xml": {"schema": {"type": "string"}}}},
        "responses": {"200": {"description": "The audio", "content": {
            f: {"schema": {"type": "string", "format": "binary"}}
            for f in ("audio/x-wav", "audio/mpeg", "audio/ogg", "audio/webm")}}},
    }
