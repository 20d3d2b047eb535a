"""``airgap studio`` relays websockets to its upstream (issue 18): the Speech SDK code the Studio
shows names the host that served the page, which behind the Studio image is the Studio itself.

The official Speech SDK, pointed at a real ``airgap studio`` process in front of the real speech
server: continuous recognition with word timings, and synthesis, come through as they do direct.
Refusals: a path nothing upstream serves gets the upstream's own answer; an upstream that does
not answer is a 503 envelope on the upgrade.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.platform.test_studio_standalone import StudioProcess
from tests.speech import sdk
from tests.speech.clips import SENTENCES, silence, speak, wav, word_errors
from tests.speech.sdk import speechsdk
from tests.support.server import free_port

TICKS = 10_000_000


@pytest.fixture(scope="module")
def studio(speech_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio-relay")
    with StudioProcess(settings=[f"Studio:Upstream={speech_server.url}"], log_path=folder / "studio.log") as running:
        yield running


def _clip(tmp_path: Path, texts: list[str]) -> Path:
    parts = [silence(0.5)]
    for text in texts:
        parts += [speak(text), silence(1.3)]
    path = tmp_path / "clip.wav"
    path.write_bytes(wav(np.concatenate(parts)))
    return path


def test_speech_sdk_recognises_through_the_studio(studio, tmp_path):
    texts = SENTENCES[8:10]
    through = sdk.continuous(studio, _clip(tmp_path, texts), detailed=True, words=True)
    heard = [r for r in through.recognized if r.reason == speechsdk.ResultReason.RecognizedSpeech]
    assert len(heard) == 2, [(r.reason, r.text) for r in through.recognized]  # (the trailing silence: NoMatch)
    for result, text in zip(heard, texts, strict=True):
        edits, total = word_errors(text, result.text)
        assert edits / total <= 0.5, result.text
        # Word timings came through the relay: in order, inside the phrase.
        body = json.loads(result.json)
        words = body["NBest"][0]["Words"]
        assert [w["Word"] for w in words] == body["NBest"][0]["Lexical"].split()
        assert [w["Offset"] for w in words] == sorted(w["Offset"] for w in words)
        assert body["Offset"] - TICKS // 2 <= words[0]["Offset"] <= body["Offset"] + body["Duration"]
    assert [c.reason for c in through.canceled] in ([], [speechsdk.CancellationReason.EndOfStream])


def test_speech_sdk_synthesises_through_the_studio(studio):
    config = speechsdk.SpeechConfig(host=f"ws://127.0.0.1:{studio.port}", subscription="any-key")
    config.set_speech_synthesis_output_format(speechsdk.SpeechSynthesisOutputFormat.Riff16Khz16BitMonoPcm)
    synthesizer = speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)
    result = synthesizer.speak_text_async("The Studio passes the stream on.").get()
    assert result.reason == speechsdk.ResultReason.SynthesizingAudioCompleted, result.cancellation_details
    assert result.audio_data[:4] == b"RIFF" and len(result.audio_data) > 16_000  # over half a second


def _upgrade(url: str) -> InvalidStatus:
    async def attempt() -> InvalidStatus:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(url, open_timeout=30):
                pass
        return refused.value

    return asyncio.run(attempt())


def test_a_refused_upgrade_keeps_the_upstreams_answer(studio, speech_server):
    path = "/speech/nothing/here"
    through = _upgrade(f"ws://127.0.0.1:{studio.port}{path}").response
    direct = _upgrade(f"ws://127.0.0.1:{speech_server.port}{path}").response
    assert (through.status_code, bytes(through.body)) == (direct.status_code, bytes(direct.body))
    assert through.status_code >= 400


def test_an_upstream_that_does_not_answer_is_a_503_envelope(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    with StudioProcess(settings=[f"Studio:Upstream={closed}"], log_path=tmp_path / "studio.log") as studio:
        response = _upgrade(f"ws://127.0.0.1:{studio.port}/speech/recognition/conversation/cognitiveservices/v1"
                            "?language=en-US").response
    assert response.status_code == 503
    error = json.loads(response.body)["error"]
    assert error["code"] == "ServiceUnavailable" and closed in error["message"], error
