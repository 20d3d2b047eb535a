"""Speech to text over the Speech SDK's websocket (USP):
``/speech/recognition/{interactive,conversation,dictation}/cognitiveservices/v1``.

One connection carries turns. A turn starts with ``speech.context`` (or its first audio frame),
its audio comes as binary ``audio`` messages (the first holds the RIFF header, an empty one ends
the audio), and the service answers, always with the turn's ``X-RequestId``:
``turn.start``, ``speech.startDetected``, ``speech.hypothesis`` (partials), ``speech.phrase``
(one per utterance), ``speech.endDetected``, ``turn.end``.

- ``interactive`` (recognize_once): the turn ends after the first phrase, or with
  ``InitialSilenceTimeout`` when no speech comes in the first seconds.
- ``conversation`` / ``dictation`` (continuous): a phrase per utterance until the audio ends;
  ``speech.endDetected`` then gives the end of the audio, so the SDK does not replay any of it.

Two tasks per connection: one reads frames (with the idle timeout) into a bounded inbox, the
other recognizes; audio already waiting is decoded in one batch, and partial results are only
computed when the recognizer has caught up with the stream (a file sent faster than real time
gets its finals first). Each phrase is billed (audio seconds up to its end) through the
gateway's context before it is sent; the rest of the turn's audio when the turn ends.

``cid=`` in the URL (the SDK's ``SpeechConfig.endpoint_id``) names a Custom Speech model for the
whole connection (``custom_models.py``); it is loaded before the first turn, and a missing or
broken model closes the connection with the reason (1007), as an unsupported language does.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from airgap.platform.errors import ApiError
from airgap.platform.responses import JSONResponse
from airgap.services.speech import stt_languages, stt_wire, usp
from airgap.services.speech.audio import PCM_16K, SAMPLE_RATE, AudioError, AudioFormat, StreamDecoder
from airgap.services.speech.custom_models import CustomModel, CustomModelError
from airgap.services.speech.meters import SPEECH_TO_TEXT_SECONDS
from airgap.services.speech.recognition import Event, StreamRecognition, UnsupportedLanguage

if TYPE_CHECKING:
    from airgap.services.speech.service import SpeechService

log = logging.getLogger("airgap.speech")

MODES = ("interactive", "conversation", "dictation")
PATH = "/speech/recognition/{mode}/cognitiveservices/v1"
TICKS_PER_SAMPLE = 625

# Close codes (RFC 6455) and what they mean here.
NORMAL, GOING_AWAY, PROTOCOL_ERROR, BAD_DATA, POLICY, TOO_BIG, SERVER_ERROR, TRY_AGAIN = (
    1000, 1001, 1002, 1007, 1008, 1009, 1011, 1013)

INBOX_FRAMES = 256          # about 25 s of audio in 100 ms frames; then the client waits (TCP back-pressure)
BATCH_SAMPLES = 10 * SAMPLE_RATE  # audio decoded in one go when frames are waiting


class Closing(Exception):
    """End the connection with this close code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Options:
    """What the URL asks for; ``speech.context`` may add to it per turn."""

    locale: str | None
    format: str
    profanity: str
    words: bool
    candidates: tuple[str, ...]
    initial_silence_ms: int
    silence_ms: int
    model_id: str | None = None  # cid: a Custom Speech model

    @classmethod
    def from_query(cls, query: Any) -> Options:
        q = {k.lower(): v for k, v in query.items()}
        fmt = (q.get("format") or "simple").strip().lower()
        profanity = (q.get("profanity") or "masked").strip().lower()
        if fmt not in stt_wire.FORMATS:
            raise Closing(BAD_DATA, f"format '{fmt}' is not valid; use simple or detailed.")
        if profanity not in stt_wire.PROFANITY_OPTIONS:
            raise Closing(BAD_DATA, f"profanity '{profanity}' is not valid; use masked, removed or raw.")
        language = (q.get("language") or "").strip()
        candidates = tuple(stt_languages.normalize_locale(c) for c in (q.get("lidenabled") or "").split(",")
                           if c.strip() and c.strip().lower() not in ("true", "false"))
        return cls(
            locale=stt_languages.normalize_locale(language) if language else None,
            format=fmt, profanity=profanity,
            words=(q.get("wordleveltimestamps") or "").strip().lower() == "true",
            candidates=candidates,
            initial_silence_ms=_milliseconds(q.get("initialsilencetimeoutms"), 5000),
            silence_ms=_milliseconds(q.get("segmentationsilencetimeoutms") or q.get("endsilencetimeoutms"), 500,
                                     low=100, high=5000),
            model_id=(q.get("cid") or "").strip() or None,
        )


def _milliseconds(raw: str | None, default: int, low: int = 0, high: int = 60_000) -> int:
    if raw is None or not raw.strip().isdigit():
        return default
    return min(max(int(raw), low), high)


@dataclass
class Turn:
    request_id: str
    options: Options
    identified: bool = False      # language identification on: phrases carry PrimaryLanguage
    decoder: StreamDecoder = field(default_factory=StreamDecoder)
    recognition: StreamRecognition | None = None
    started: bool = False         # turn.start sent
    ended: bool = False           # turn.end sent
    billed_samples: int = 0
    prompt: str | None = None
    last_phrase_end: int = 0      # ticks


class Inbox:
    """Frames read but not yet handled: bounded (the reader waits when it is full), peekable."""

    def __init__(self, size: int = INBOX_FRAMES) -> None:
        self._items: collections.deque[Any] = collections.deque()
        self._size = size
        self._changed = asyncio.Condition()

    async def put(self, item: Any) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._items) < self._size)
            self._items.append(item)
            self._changed.notify_all()

    async def get(self) -> Any:
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self._items))
            item = self._items.popleft()
            self._changed.notify_all()
            return item

    def peek(self) -> Any:
        return self._items[0] if self._items else None

    def take(self) -> Any:
        """The first item, known to be there (after ``peek``); wakes a waiting reader later."""
        item = self._items.popleft()
        return item

    async def wake(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def __len__(self) -> int:
        return len(self._items)


_END = object()  # the client closed the connection


def build_router(service: SpeechService) -> APIRouter:
    router = APIRouter()

    @router.websocket(PATH)
    async def recognize(websocket: WebSocket, mode: str) -> None:
        await Connection(service, websocket, mode).serve()

    return router


class Connection:
    def __init__(self, service: SpeechService, websocket: WebSocket, mode: str) -> None:
        self.service = service
        self.ws = websocket
        self.mode = mode
        self.settings = service.options
        self.turn: Turn | None = None
        self.inbox = Inbox()
        self.config: dict[str, Any] = {}
        self.options = Options(None, "simple", "masked", False, (), 5000, 500)  # from the URL, in serve()
        self.stream_samples = 0  # audio samples of the whole connection, for Speech:MaxStreamSeconds
        self.custom: CustomModel | None = None  # cid= or ModelId, for the whole connection
        self._send_lock = asyncio.Lock()
        self._closed = False
        self._billing_missing_logged = False

    # -- connection ---------------------------------------------------------------------------

    async def serve(self) -> None:
        offered = self.ws.scope.get("subprotocols") or []
        subprotocol = usp.SUBPROTOCOL if usp.SUBPROTOCOL in offered else None
        if self.mode not in MODES:
            await self.ws.accept(subprotocol=subprotocol)
            await self._close(POLICY, f"Unknown recognition mode '{self.mode}'; use interactive, conversation or "
                                      "dictation.")
            return
        if not self.service.ready:  # the gateway's readiness gate normally answers this first
            await self._refuse(subprotocol, 503, "ServiceUnavailable",
                               "The speech models are still loading; retry when GET /ready returns 200.", "2")
            return
        if not self.service.streams.acquire():
            await self._refuse(subprotocol, 429, "TooManyRequests",
                               f"Too many concurrent recognition streams: this server serves "
                               f"{self.service.streams.limit} at once (setting Speech:MaxStreams); retry when one "
                               "has ended.", "1")
            return
        try:
            await self.ws.accept(subprotocol=subprotocol)
            try:
                self.options = Options.from_query(self.ws.query_params)
                self.custom = await self._custom_model()
                self._choose(self.options, None)  # an unsupported language is refused before any audio
            except Closing as closing:
                await self._close(closing.code, closing.reason)
                return
            reader = asyncio.create_task(self._read(), name="usp-reader")
            try:
                await self._process()
            except Closing as closing:
                await self._close(closing.code, closing.reason)
            except (WebSocketDisconnect, RuntimeError) as exc:  # the client went away while we answered
                log.debug("Speech stream ended by the client: %s", exc)
            except Exception:
                log.exception("Speech stream failed")
                await self._close(SERVER_ERROR, "The recognizer failed; the server log has the details.")
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await reader
        finally:
            self.service.streams.release()

    async def _refuse(self, subprotocol: str | None, status: int, code: str, reason: str, retry: str) -> None:
        """Refuse the stream: an HTTP error on the upgrade (429 makes the SDK cancel with
        TooManyRequests), or, where the server cannot answer an upgrade with a response, close
        code 1013 (try again later) with the reason."""
        log.info("Refusing a speech stream: %s", reason)
        if "websocket.http.response" in self.ws.scope.get("extensions", {}):
            error = {"error": {"code": code, "message": reason}}
            await self.ws.send_denial_response(JSONResponse(error, status_code=status, headers={"Retry-After": retry}))
            return
        await self.ws.accept(subprotocol=subprotocol)
        await self._close(TRY_AGAIN, reason)

    async def _read(self) -> None:
        """Frames → inbox; the idle timeout and a client's disconnect end the connection."""
        idle = self.settings.idle_timeout
        while True:
            try:
                message = await asyncio.wait_for(self.ws.receive(), idle)
            except TimeoutError:
                await self.inbox.put(Closing(NORMAL, f"No audio or message for {idle:g} s (setting "
                                                     "Speech:IdleTimeoutSeconds); the stream is closed."))
                return
            except (WebSocketDisconnect, RuntimeError):
                await self.inbox.put(_END)
                return
            if message["type"] == "websocket.disconnect":
                await self.inbox.put(_END)
                return
            try:
                if message.get("bytes") is not None:
                    item = usp.parse_binary(message["bytes"])
                else:
                    item = usp.parse_text(message.get("text") or "")
            except usp.UspError as exc:
                item = Closing(BAD_DATA, str(exc))
            await self.inbox.put(item)
            if isinstance(item, Closing):
                return

    async def _process(self) -> None:
        while True:
            item = await self.inbox.get()
            if item is _END:
                return
            if isinstance(item, Closing):
                await self._end_turn_on_close()
                raise item
            message: usp.Message = item
            try:
                if message.kind == "speech.config":
                    self.config = message.json()
                elif message.kind == "speech.context":
                    log.debug("speech.context %s: %s", message.request_id, message.body[:2000])
                    self._new_turn(message.request_id or usp.new_request_id(), message.json())
                elif message.kind == "audio":
                    await self._audio(message)
                # telemetry and anything else: nothing to answer
            except usp.UspError as exc:  # a body that is not JSON
                raise Closing(BAD_DATA, str(exc)) from None

    async def _send(self, path: str, body: Any) -> None:
        assert self.turn is not None
        frame = usp.text_frame(path, self.turn.request_id, body)
        async with self._send_lock:
            await self.ws.send_text(frame)

    async def _close(self, code: int, reason: str) -> None:
        if self._closed or self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        self._closed = True
        log.info("Closing a speech stream (%s): %s", code, reason)
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, reason=reason[:120])

    # -- turns --------------------------------------------------------------------------------

    async def _custom_model(self) -> CustomModel | None:
        try:
            return await self.service.custom_models.resolve(self.options.model_id, self.service.runtime.pool.run)
        except CustomModelError as exc:
            raise Closing(BAD_DATA, str(exc)) from None

    def _choose(self, options: Options, context: dict[str, Any] | None):
        candidates, continuous = options.candidates, False
        language_id = (context or {}).get("languageId") or {}
        if isinstance(language_id, dict) and language_id.get("languages"):
            candidates = tuple(stt_languages.normalize_locale(str(c)) for c in language_id["languages"])
            continuous = str(language_id.get("mode", "")).lower() == "detectcontinuous"
        try:
            return self.service.recognizers.choose(None if candidates else options.locale, candidates, continuous,
                                                   custom=self.custom.recognizer if self.custom else None)
        except UnsupportedLanguage as exc:
            raise Closing(BAD_DATA, str(exc)) from None

    def _new_turn(self, request_id: str, context: dict[str, Any]) -> None:
        options = self.options
        output = context.get("phraseOutput") if isinstance(context, dict) else None
        if isinstance(output, dict):
            if str(output.get("format", "")).lower() == "detailed":
                options = _replace(options, format="detailed")
            detailed = output.get("detailed") or {}
            if isinstance(detailed, dict) and "WordTimings" in (detailed.get("options") or []):
                options = _replace(options, words=True)
        detection = context.get("phraseDetection") if isinstance(context, dict) else None
        if isinstance(detection, dict) and isinstance(detection.get("language"), str) and detection["language"]:
            options = _replace(options, locale=stt_languages.normalize_locale(detection["language"]))
        choice = self._choose(options, context if isinstance(context, dict) else None)
        fallback = _source_format(self.config)
        turn = Turn(request_id, options, identified=choice.identifying, decoder=StreamDecoder(fallback),
                    prompt=_phrase_list(context))
        turn.recognition = StreamRecognition(
            choice, self.service.runtime.pool.run, self.service.recognizers, silence_ms=options.silence_ms,
            single=self.mode == "interactive", initial_silence_ms=options.initial_silence_ms,
            hypothesis_ms=self.settings.hypothesis_interval_ms, prompt=turn.prompt)
        self.turn = turn

    async def _audio(self, message: usp.Message) -> None:
        request_id = message.request_id
        turn = self.turn
        if turn is None or (request_id and request_id != turn.request_id):
            if turn is not None and not turn.ended and turn.started:
                return  # audio of another turn while this one runs: not ours to answer
            self._new_turn(request_id or usp.new_request_id(), {})
            turn = self.turn
        assert turn is not None and turn.recognition is not None
        if turn.ended:
            return  # e.g. recognize_once: the SDK keeps sending until it reads turn.end
        if not turn.started:
            turn.started = True
            await self._send("turn.start", {"context": {"serviceTag": turn.request_id}})
        if not message.body:
            await self._finish_turn()
            return
        payload = [message.body]
        size = len(message.body)
        # Frames already waiting are decoded together (a file arrives faster than real time).
        while size < BATCH_SAMPLES * 2:
            waiting = self.inbox.peek()
            if not (isinstance(waiting, usp.Message) and waiting.kind == "audio" and waiting.body
                    and (waiting.request_id or turn.request_id) == turn.request_id):
                break
            self.inbox.take()
            payload.append(waiting.body)
            size += len(waiting.body)
        await self.inbox.wake()
        try:
            samples = turn.decoder.feed(b"".join(payload))
        except AudioError as exc:
            raise Closing(BAD_DATA, str(exc)) from None
        await self._feed(turn, samples)

    async def _feed(self, turn: Turn, samples: np.ndarray) -> None:
        assert turn.recognition is not None
        self.stream_samples += len(samples)
        caught_up = not isinstance(self.inbox.peek(), usp.Message)
        events = await turn.recognition.feed(samples, caught_up=caught_up)
        await self._emit(turn, events)
        if turn.recognition.done:
            await self._finish_turn()
        elif self.stream_samples > self.settings.max_stream_seconds * SAMPLE_RATE:
            await self._finish_turn()
            raise Closing(NORMAL, f"The stream reached {self.settings.max_stream_seconds:g} s of audio (setting "
                                  "Speech:MaxStreamSeconds); open a new connection to go on.")

    async def _emit(self, turn: Turn, events: list[Event]) -> None:
        options = turn.options
        for event in events:
            if event.kind == "started":
                await self._send("speech.startDetected", {"Offset": event.offset})
            elif event.kind == "hypothesis":
                await self._send("speech.hypothesis", stt_wire.hypothesis(
                    event.text, event.offset, event.duration, profanity=options.profanity, locale=event.locale,
                    identified=turn.identified))
            elif event.kind == "phrase" and event.utterance is not None:
                turn.last_phrase_end = event.utterance.offset + event.utterance.duration
                await self._bill(turn, turn.last_phrase_end // TICKS_PER_SAMPLE)
                await self._send("speech.phrase", stt_wire.phrase(
                    event.utterance, options.format, profanity=options.profanity, words=options.words,
                    locale=event.locale, identified=turn.identified))
            elif event.kind == "silence":
                await self._send("speech.phrase", stt_wire.no_match("InitialSilenceTimeout", event.offset,
                                                                    event.duration))

    async def _finish_turn(self) -> None:
        turn = self.turn
        if turn is None or turn.ended:
            return
        recognition = turn.recognition
        assert recognition is not None
        if not turn.started:
            turn.started = True
            await self._send("turn.start", {"context": {"serviceTag": turn.request_id}})
        timed_out = recognition.done and recognition.phrases == 0  # interactive: InitialSilenceTimeout sent
        try:
            tail = turn.decoder.flush()
        except AudioError as exc:
            raise Closing(BAD_DATA, str(exc)) from None
        if len(tail) and not recognition.done:
            await self._emit(turn, await recognition.feed(tail, caught_up=False))
        await self._emit(turn, await recognition.finish())
        interactive = self.mode == "interactive"
        if recognition.phrases == 0 and not timed_out and (recognition.samples or interactive):
            status = "NoMatch" if recognition.speech_heard else "InitialSilenceTimeout"
            await self._send("speech.phrase", stt_wire.no_match(status, 0, recognition.ticks))
        elif not interactive and not timed_out:
            # The end of the audio: the SDK takes everything up to Offset + Duration as answered,
            # and does not replay it in a new turn.
            end = turn.last_phrase_end
            await self._send("speech.phrase", stt_wire.no_match("EndOfDictation", end, recognition.ticks - end))
        await self._bill(turn, recognition.samples)
        if self.custom is not None:  # logged before turn.end: a client that has its result finds it there
            self.service.custom_models.served_by(self.custom, turn.request_id, "turn")
        await self._send("speech.endDetected", {"Offset": recognition.ticks})
        await self._send("turn.end", {})
        turn.ended = True

    async def _end_turn_on_close(self) -> None:
        """Idle timeout: end the open turn with what was heard before closing (the client is told why)."""
        turn = self.turn
        if turn is not None and turn.started and not turn.ended:
            with contextlib.suppress(Closing, WebSocketDisconnect, RuntimeError):
                await self._finish_turn()

    async def _bill(self, turn: Turn, until_sample: int) -> None:
        """Bill the turn's audio up to ``until_sample`` (audio seconds), before the result leaves."""
        samples = until_sample - turn.billed_samples
        if samples <= 0:
            return
        turn.billed_samples = until_sample
        seconds = round(samples / SAMPLE_RATE, 3)
        ctx = self.ws.scope.get("state", {}).get("airgap.context")
        bill = getattr(ctx, "bill", None)
        if bill is None:
            if not self._billing_missing_logged:
                self._billing_missing_logged = True
                log.warning("No billing context on this websocket (gateway without websocket support): "
                            "%.3f s of speech were not recorded", seconds)
            return
        try:
            await bill(SPEECH_TO_TEXT_SECONDS, seconds)
        except ApiError as error:
            raise Closing(POLICY, error.message) from None


def _replace(options: Options, **changes: Any) -> Options:
    from dataclasses import replace

    return replace(options, **changes)


def _source_format(config: dict[str, Any]) -> AudioFormat:
    """The audio format ``speech.config`` announces; used when the first audio frame has no RIFF header."""
    try:
        source = config["context"]["audio"]["source"]
        return AudioFormat(int(source["samplerate"]), int(source["bitspersample"]), int(source["channelcount"]))
    except (KeyError, TypeError, ValueError):
        return PCM_16K


def _phrase_list(context: Any) -> str | None:
    """Phrase list items (``dgi``), handed to Whisper as a prompt so that those words are preferred."""
    if not isinstance(context, dict):
        return None
    texts = []
    groups = (context.get("dgi") or {}).get("Groups") if isinstance(context.get("dgi"), dict) else None
    for group in groups or []:
        for item in (group.get("Items") or []) if isinstance(group, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("Text"), str):
                texts.append(item["Text"].strip())
    texts = [t for t in texts if t][:50]
    return ", ".join(texts) + "." if texts else None
