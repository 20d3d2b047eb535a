"""Speech to text, REST for short audio: ``POST /speech/recognition/{mode}/cognitiveservices/v1``.

As Azure's ``rest-speech-to-text-short``: ``language=``, ``format=simple|detailed``,
``profanity=masked|removed|raw``, ``wordLevelTimestamps=``; the body is WAV (PCM) or Ogg/Opus,
chunked or not, at most ``Speech:MaxAudioSeconds`` of audio. The answer is the final result
only: ``interactive`` and ``dictation`` give the first phrase, ``conversation`` every phrase of the
clip joined into one result. No speech gives ``InitialSilenceTimeout``, speech without words
``NoMatch`` (200, as Azure). ``cid=`` names a Custom Speech model (``custom_models.py``). Billed
per second of audio, whichever model serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from starlette.requests import ClientDisconnect

from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, NotFound, PayloadTooLarge
from airgap.platform.responses import JSONResponse
from airgap.services.speech import stt_languages, stt_wire
from airgap.services.speech.audio import SAMPLE_RATE, AudioError, AudioTooLong, decode_file, ticks
from airgap.services.speech.custom_models import CustomModelError
from airgap.services.speech.meters import SPEECH_TO_TEXT_SECONDS
from airgap.services.speech.recognition import UnsupportedLanguage, recognize_clip

if TYPE_CHECKING:
    from airgap.services.speech.service import SpeechService

MODES = ("interactive", "conversation", "dictation")
PATH = "/speech/recognition/{mode}/cognitiveservices/v1"
TRUE = ("true", "1", "yes")


def build_router(service: SpeechService) -> APIRouter:
    router = APIRouter(tags=["Speech to text (REST for short audio)"])

    @router.post(PATH, summary="Recognize speech in a short audio file (at most 60 s)", openapi_extra=_openapi())
    async def recognize(mode: str, request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        if mode not in MODES:
            raise NotFound(f"Unknown recognition mode '{mode}'; use interactive, conversation or dictation.")
        options = parse_options(request.query_params)
        pool = service.runtime.pool
        try:
            custom = await service.custom_models.resolve(options["cid"], pool.run)
        except CustomModelError as exc:
            raise BadRequest(str(exc), code="InvalidArgument", inner_code="InvalidModel") from None
        try:
            choice = service.recognizers.choose(options["language"],
                                                custom=custom.recognizer if custom is not None else None)
        except UnsupportedLanguage as exc:
            raise BadRequest(str(exc), code="InvalidArgument", inner_code="UnsupportedLanguage") from None
        data = await _read_audio(request, service.runtime.settings.max_file_bytes)
        limit = service.options.max_rest_seconds
        try:
            samples = await pool.run("speech-decoder", decode_file, data, request.headers.get("content-type"), limit)
        except AudioTooLong as exc:
            raise BadRequest(f"The audio lasts {exc.seconds:.1f} s or more; REST for short audio takes at most "
                             f"{limit:g} s (setting Speech:MaxAudioSeconds). Use the Speech SDK (websocket) for "
                             "longer audio.", code="InvalidArgument", inner_code="AudioTooLong") from None
        except AudioError as exc:
            raise BadRequest(str(exc), code="InvalidArgument", inner_code="InvalidAudioFormat") from None
        seconds = len(samples) / SAMPLE_RATE
        if not len(samples):
            raise BadRequest("The audio has no samples (a WAV header without data); send the recorded audio.",
                             code="InvalidArgument", inner_code="InvalidAudioFormat")
        events, stream = await recognize_clip(samples, choice, pool.run, service.recognizers,
                                              single=mode != "conversation")
        utterances = [e.utterance for e in events if e.kind == "phrase" and e.utterance is not None]
        ctx.meter(SPEECH_TO_TEXT_SECONDS, round(seconds, 3))
        if custom is not None:
            service.custom_models.served_by(custom, ctx.request_id, "request")
        if not utterances:
            status = "NoMatch" if stream.speech_heard else "InitialSilenceTimeout"
            return JSONResponse(stt_wire.no_match(status, 0, ticks(seconds)))
        utterance = stt_wire.join(utterances) if len(utterances) > 1 else utterances[0]
        return JSONResponse(stt_wire.phrase(utterance, options["format"], profanity=options["profanity"],
                                            words=options["words"]))

    return router


def parse_options(query: Any) -> dict[str, Any]:
    """``language``, ``format``, ``profanity``, ``wordLevelTimestamps``, ``cid`` (names and values
    case-insensitive, but the model id's)."""
    lowered = {k.lower(): v for k, v in query.items()}
    language = (lowered.get("language") or "").strip()
    if language and not all(part.isalnum() for part in language.replace("_", "-").split("-")):
        raise BadRequest(f"Language '{language}' is not a locale such as en-US.", code="InvalidArgument",
                         inner_code="UnsupportedLanguage")
    fmt = (lowered.get("format") or "simple").strip().lower()
    if fmt not in stt_wire.FORMATS:
        raise BadRequest(f"format '{fmt}' is not valid; use simple or detailed.", code="InvalidArgument")
    profanity = (lowered.get("profanity") or "masked").strip().lower()
    if profanity not in stt_wire.PROFANITY_OPTIONS:
        raise BadRequest(f"profanity '{profanity}' is not valid; use masked, removed or raw.", code="InvalidArgument")
    words = (lowered.get("wordleveltimestamps") or "").strip().lower() in TRUE
    return {"language": stt_languages.normalize_locale(language) if language else None, "format": fmt,
            "profanity": profanity, "words": words, "cid": (lowered.get("cid") or "").strip() or None}


async def _read_audio(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks: list[bytes] = []
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise _too_large(received, limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise BadRequest(f"The connection closed after {received:,} bytes, before the audio was complete.",
                         code="InvalidArgument") from None
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The audio upload is {size:,} bytes or more; the limit is {limit:,} bytes "
                           "(setting Http:MaxFileBytes).", code="InvalidArgument")


def _openapi() -> dict[str, Any]:
    return {
        "parameters": [
            {"name": "language", "in": "query", "schema": {"type": "string"}, "description": "e.g. en-US"},
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": list(stt_wire.FORMATS)}},
            {"name": "profanity", "in": "query",
             "schema": {"type": "string", "enum": list(stt_wire.PROFANITY_OPTIONS)}},
            {"name": "wordLevelTimestamps", "in": "query", "schema": {"type": "boolean"}},
            {"name": "cid", "in": "query", "schema": {"type": "string"},
             "description": "Custom Speech endpoint id: a model folder in Mounts:Models"},
        ],
        "requestBody": {"required": True, "content": {
            "audio/wav": {"schema": {"type": "string", "format": "binary"}},
            "audio/ogg": {"schema": {"type": "string", "format": "binary"}},
        }},
    }
