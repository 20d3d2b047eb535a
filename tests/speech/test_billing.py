"""A stream's billing through the websocket's request context (``ctx.bill(meter, seconds)``),
checked in process with a stand-in context: each phrase's audio is billed before the phrase is
sent, the rest when the turn ends, and a refused bill ends the stream with 1008 and the reason.
(The real gateway's context is checked against a server in test_streams.py once it has ``bill``.)"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from airgap.platform.errors import Forbidden
from airgap.platform.executor import InferencePool
from airgap.platform.runtime import Runtime
from airgap.platform.settings import Settings
from airgap.services.speech import api_stt, usp
from airgap.services.speech.meters import SPEECH_TO_TEXT_SECONDS
from airgap.services.speech.service import SpeechService
from tests.speech.clips import SENTENCES, utterances, wav


class Context:
    def __init__(self, refuse_after: int | None = None) -> None:
        self.bills: list[tuple[str, float]] = []
        self.refuse_after = refuse_after

    async def bill(self, meter: str, quantity: float) -> None:
        if self.refuse_after is not None and len(self.bills) >= self.refuse_after:
            raise Forbidden("The licence's quota for speech to text is used up.")
        self.bills.append((meter, quantity))


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[SpeechService]:
    settings = Settings.load(["Eula=accept", f"Mounts:Output={tmp_path_factory.mktemp('out')}"])
    speech = SpeechService(Runtime(settings=settings, pool=InferencePool(2)))
    speech.load()
    yield speech
    speech.close()


def _client(service: SpeechService, context: Context) -> TestClient:
    inner = FastAPI()
    inner.include_router(api_stt.build_router(service))

    async def app(scope, receive, send):  # what the gateway does: a context on every request
        scope.setdefault("state", {})["airgap.context"] = context
        await inner(scope, receive, send)

    return TestClient(app)


def _turn(client: TestClient, audio: bytes) -> tuple[list[tuple[str, dict]], int | None, str]:
    rid = usp.new_request_id()
    frames, code, reason = [], None, ""
    url = "/speech/recognition/conversation/cognitiveservices/v1?language=en-US"
    with client.websocket_connect(url, subprotocols=["USP"]) as ws:
        ws.send_text(usp.text_frame("speech.context", rid, {"phraseDetection": {"language": "en-US"}}))
        ws.send_bytes(usp.binary_frame("audio", rid, audio[:44]))
        for start in range(44, len(audio), 3200):
            ws.send_bytes(usp.binary_frame("audio", rid, audio[start:start + 3200]))
        ws.send_bytes(usp.binary_frame("audio", rid, b""))
        while True:
            message = ws.receive()
            if message["type"] == "websocket.close":
                code, reason = message.get("code"), message.get("reason", "")
                break
            parsed = usp.parse_text(message["text"])
            frames.append((parsed.path, parsed.json()))
            if parsed.path == "turn.end":
                break
    return frames, code, reason


def test_each_phrase_is_billed_before_it_is_sent_and_the_rest_at_the_end(service):
    audio = utterances(SENTENCES[20:22], gap=1.0)
    context = Context()
    frames, _code, _reason = _turn(_client(service, context), wav(audio))
    phrases = [body for path, body in frames if path == "speech.phrase" and body["RecognitionStatus"] == "Success"]
    assert len(phrases) == 2
    assert {meter for meter, _q in context.bills} == {SPEECH_TO_TEXT_SECONDS}
    assert len(context.bills) == 3  # two phrases, then the audio after the last one
    first_end = (phrases[0]["Offset"] + phrases[0]["Duration"]) / 1e7
    assert context.bills[0][1] == pytest.approx(first_end, abs=0.002)
    assert sum(q for _m, q in context.bills) == pytest.approx(len(audio) / 16_000, abs=0.005)


def test_a_refused_bill_ends_the_stream_with_the_reason_and_sends_nothing_unbilled(service):
    context = Context(refuse_after=0)
    frames, code, reason = _turn(_client(service, context), wav(utterances(SENTENCES[22:23])))
    assert code == 1008 and "quota" in reason
    assert not any(path == "speech.phrase" for path, _body in frames)
    assert context.bills == []


def test_silence_is_billed_too(service):
    context = Context()
    frames, _code, _reason = _turn(_client(service, context), wav(np.zeros(32_000, np.int16)))
    assert [body["RecognitionStatus"] for path, body in frames if path == "speech.phrase"] == ["InitialSilenceTimeout"]
    assert sum(q for _m, q in context.bills) == pytest.approx(2.0, abs=0.005)
