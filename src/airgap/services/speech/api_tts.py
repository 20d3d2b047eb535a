"""Text to speech over the Speech SDK's websocket (USP): ``/cognitiveservices/websocket/v1``.

The SDK synthesises here whatever its host's scheme (``http://`` too). A turn: the client sends
``speech.config`` (once), ``synthesis.context`` (output format, which metadata it wants) and
``ssml``, all with the turn's ``X-RequestId``; the service answers, echoing that id on every
frame: ``turn.start``, binary ``audio`` frames as each sentence is spoken (the SDK asks for raw PCM
and writes the RIFF header itself; more than 3 s between two frames makes it cancel, and a sentence
is far quicker than that), ``audio.metadata`` (``WordBoundary``, ``SentenceBoundary``,
``Bookmark``, ``Viseme``, ``SessionEnd`` as the context asked), then ``turn.end``.

Bad SSML, an unknown voice or an unsupported format close the connection with code 1007 and the
reason, before any audio (the SDK reports it as the cancellation's error details). The characters
are billed through the gateway's request context before the first audio frame leaves. A client
that goes away stops the synthesis at the next sentence and frees its stream slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from airgap.platform.context import context_of
from airgap.platform.errors import ApiError
from airgap.platform.responses import JSONResponse
from airgap.services.speech import formats, usp
from airgap.services.speech.api_tts_rest import prepare
from airgap.services.speech.engines.tts_types import SynthesisError
from airgap.services.speech.meters import NEURAL_TEXT_TO_SPEECH_CHARACTERS
from airgap.services.speech.tts import MAX_SSML_BYTES
from airgap.services.speech.tts_synthesis import Synthesis

if TYPE_CHECKING:
    from airgap.services.speech.service import SpeechService

log = logging.getLogger("airgap.speech.tts")

PATH = "/cognitiveservices/websocket/v1"
NORMAL, BAD_DATA, POLICY, SERVER_ERROR, TRY_AGAIN = 1000, 1007, 1008, 1011, 1013
FRAME_BYTES = 32 * 1024
DEFAULT_FORMAT = "raw-16khz-16bit-mono-pcm"  # what the SDK asks for by default


class Closing(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Turn:
    request_id: str
    ssml: str
    context: dict[str, Any]


def build_router(service: SpeechService) -> APIRouter:
    router = APIRouter()

    @router.websocket(PATH)
    async def synthesize(websocket: WebSocket) -> None:
        await Connection(service, websocket).serve()

    # Native SDKs given SpeechConfig(endpoint="http://host/cognitiveservices/v1") upgrade this path.
    @router.websocket("/cognitiveservices/v1")
    async def synthesize_v1(websocket: WebSocket) -> None:
        await Connection(service, websocket).serve()

    return router


class Connection:
    def __init__(self, service: SpeechService, websocket: WebSocket) -> None:
        self.service = service
        self.ws = websocket
        self.config: dict[str, Any] = {}
        self.contexts: dict[str, dict[str, Any]] = {}
        self.turns: asyncio.Queue[Turn] = asyncio.Queue()
        self.synthesis: Synthesis | None = None
        self._closed = False

    async def serve(self) -> None:
        offered = self.ws.scope.get("subprotocols") or []
        subprotocol = usp.SUBPROTOCOL if usp.SUBPROTOCOL in offered else None
        tts = self.service.tts
        if not tts.ready:
            await self._refuse(subprotocol, 503, "ServiceUnavailable",
                               "The voices are still loading; retry when GET /ready returns 200.", "2")
            return
        if not tts.streams.acquire():
            await self._refuse(subprotocol, 429, "TooManyRequests",
                               f"Too many concurrent synthesis streams: this server serves {tts.streams.limit} at "
                               "once (setting TextToSpeech:MaxStreams); retry when one has ended.", "1")
            return
        worker: asyncio.Task[None] | None = None
        try:
            await self.ws.accept(subprotocol=subprotocol)
            worker = asyncio.create_task(self._work(), name="tts-turns")
            reason = await self._read(worker)
            if reason is not None:
                await self._close(reason.code, reason.reason)
        finally:
            if self.synthesis is not None:
                self.synthesis.cancel()
            if worker is not None and not worker.done():
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await worker
            tts.streams.release()

    async def _refuse(self, subprotocol: str | None, status: int, code: str, reason: str, retry: str) -> None:
        log.info("Refusing a synthesis stream: %s", reason)
        if "websocket.http.response" in self.ws.scope.get("extensions", {}):
            error = {"error": {"code": code, "message": reason}}
            await self.ws.send_denial_response(JSONResponse(error, status_code=status, headers={"Retry-After": retry}))
            return
        await self.ws.accept(subprotocol=subprotocol)
        await self._close(TRY_AGAIN, reason)

    async def _read(self, worker: asyncio.Task[None]) -> Closing | None:
        """Messages in; returns why to close (None: the client went away or the worker ended)."""
        idle = self.service.options.idle_timeout
        receive: asyncio.Task[Any] | None = None
        try:
            while True:
                receive = asyncio.ensure_future(self.ws.receive())
                done, _ = await asyncio.wait({receive, worker}, timeout=idle, return_when=asyncio.FIRST_COMPLETED)
                if worker in done:
                    exc = worker.exception()
                    return exc if isinstance(exc, Closing) else None
                if receive not in done:
                    return Closing(NORMAL, f"No message for {idle:g} s (setting Speech:IdleTimeoutSeconds); the "
                                           "connection is closed.")
                message = receive.result()
                receive = None
                if message["type"] == "websocket.disconnect":
                    if self.synthesis is not None and not self.synthesis.cancelled and self._busy:
                        log.info("Synthesis stopped: the client went away")
                    return None
                try:
                    if message.get("bytes") is not None:
                        continue  # the synthesis protocol has no binary messages from the client
                    item = usp.parse_text(message.get("text") or "")
                except usp.UspError as exc:
                    return Closing(BAD_DATA, str(exc))
                closing = self._handle(item)
                if closing is not None:
                    return closing
        except (WebSocketDisconnect, RuntimeError):
            return None
        finally:
            if receive is not None and not receive.done():
                receive.cancel()

    @property
    def _busy(self) -> bool:
        return self.synthesis is not None and not self.synthesis.cancelled

    def _handle(self, message: usp.Message) -> Closing | None:
        kind = message.kind
        if kind == "speech.config":
            self.config = message.json()
        elif kind == "synthesis.context":
            body = message.json()
            self.contexts[message.request_id or ""] = body if isinstance(body, dict) else {}
        elif kind == "ssml":
            request_id = message.request_id or usp.new_request_id()
            if len(message.body) > MAX_SSML_BYTES:
                return Closing(BAD_DATA, f"The SSML is longer than {MAX_SSML_BYTES // 1024} KB, the most one turn "
                                         "may send.")
            context = self.contexts.pop(request_id, None) or self.contexts.pop("", None) or {}
            self.turns.put_nowait(Turn(request_id, message.body.decode("utf-8", "replace"), context))
        return None

    async def _work(self) -> None:
        while True:
            turn = await self.turns.get()
            await self._turn(turn)

    async def _turn(self, turn: Turn) -> None:
        synthesis_options = (turn.context.get("synthesis") or {}) if isinstance(turn.context, dict) else {}
        audio_options = synthesis_options.get("audio") or {}
        metadata = {k: bool(v) for k, v in (audio_options.get("metadataOptions") or {}).items()}
        try:
            fmt = formats.lookup(audio_options.get("outputFormat") or DEFAULT_FORMAT)
            synthesis, characters = prepare(self.service, turn.ssml, fmt)
        except formats.UnsupportedFormat as exc:
            raise Closing(BAD_DATA, str(exc)) from None
        except ApiError as exc:
            raise Closing(BAD_DATA, exc.message) from None
        self.synthesis = synthesis
        rid = turn.request_id
        stream_id = usp.new_request_id()
        await self._send_text("turn.start", rid, {"context": {"serviceTag": rid},
                                                  "audio": {"type": "inline", "streamId": stream_id}})
        billed = False
        try:
            async for event in synthesis.events():
                if event.kind == "audio":
                    if not billed:
                        billed = True
                        await self._bill(characters)
                    for start in range(0, len(event.data), FRAME_BYTES):
                        await self._send_audio(rid, stream_id, event.data[start:start + FRAME_BYTES], fmt)
                elif event.kind == "word" and metadata.get("wordBoundaryEnabled", True):
                    await self._metadata(rid, "WordBoundary", event, "WordBoundary")
                elif event.kind == "sentence" and metadata.get("sentenceBoundaryEnabled"):
                    await self._metadata(rid, "SentenceBoundary", event, "SentenceBoundary")
                elif event.kind == "viseme" and metadata.get("visemeEnabled"):
                    # IsLastAnimation: the JS SDK raises viseme_received only on the last piece of an
                    # animation, and a plain viseme is its own last piece.
                    await self._send_text("audio.metadata", rid, {"Metadata": [{"Type": "Viseme", "Data": {
                        "Offset": event.offset, "VisemeId": event.viseme, "IsLastAnimation": True}}]})
                elif event.kind == "bookmark" and metadata.get("bookmarkEnabled", True):
                    await self._send_text("audio.metadata", rid, {"Metadata": [
                        {"Type": "Bookmark", "Data": {"Offset": event.offset, "Bookmark": event.text}}]})
        except SynthesisError as exc:
            log.warning("Synthesis failed: %s", exc)
            raise Closing(SERVER_ERROR, f"Text to speech failed: {exc}") from None
        if not billed:
            await self._bill(characters)
        if metadata.get("sessionEndEnabled"):
            await self._send_text("audio.metadata", rid, {"Metadata": [
                {"Type": "SessionEnd", "Data": {"Offset": synthesis.ticks(synthesis.samples)}}]})
        await self._send_text("turn.end", rid, {})
        self.synthesis = None

    async def _metadata(self, rid: str, kind: str, event: Any, boundary: str) -> None:
        await self._send_text("audio.metadata", rid, {"Metadata": [{"Type": kind, "Data": {
            "Offset": event.offset, "Duration": event.duration,
            "text": {"Text": event.text, "Length": len(event.text), "BoundaryType": boundary}}}]})

    async def _send_text(self, path: str, request_id: str, body: Any) -> None:
        await self.ws.send_text(usp.text_frame(path, request_id, body))

    async def _send_audio(self, request_id: str, stream_id: str, data: bytes, fmt: formats.OutputFormat) -> None:
        content_type = "audio/raw" if fmt.container == "raw" else fmt.content_type
        await self.ws.send_bytes(usp.binary_frame("audio", request_id, data, content_type=content_type,
                                                  headers={"X-StreamId": stream_id}))

    async def _close(self, code: int, reason: str) -> None:
        if self._closed or self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        self._closed = True
        log.info("Closing a synthesis stream (%s): %s", code, reason)
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, reason=reason[:120])

    async def _bill(self, characters: int) -> None:
        """Bill the turn's characters before its first audio leaves (the gateway makes it durable)."""
        if characters <= 0:
            return
        try:
            await context_of(self.ws).bill(NEURAL_TEXT_TO_SPEECH_CHARACTERS, characters)
        except ApiError as error:
            raise Closing(POLICY, error.message) from None
