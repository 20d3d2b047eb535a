"""Speech to text, REST for short audio, as Azure answers it (rest-speech-to-text-short)."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from tests.speech.clips import SENTENCES, ogg_opus, silence, speak, utterances, wav, word_errors
from tests.speech.conftest import billed_seconds

PATH = "/speech/recognition/{}/cognitiveservices/v1"
WAV_16K = {"Content-Type": "audio/wav; codecs=audio/pcm; samplerate=16000", "Accept": "application/json"}
TICKS = 10_000_000


def post(server, body, mode: str = "conversation", headers=None, **query) -> httpx.Response:
    params = {"language": "en-US", **query}
    return httpx.post(f"{server.url}{PATH.format(mode)}", params=params, content=body,
                      headers=WAV_16K if headers is None else headers, timeout=120)


def _clip(index: int, rate: int = 16_000) -> np.ndarray:
    return np.concatenate([silence(0.5, rate), speak(SENTENCES[index], rate=rate), silence(0.5, rate)])


def test_simple_format(speech_server):
    response = post(speech_server, wav(_clip(11)))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"RecognitionStatus", "DisplayText", "Offset", "Duration"}
    assert body["RecognitionStatus"] == "Success"
    assert isinstance(body["Offset"], int) and isinstance(body["Duration"], int)
    edits, total = word_errors(SENTENCES[11], body["DisplayText"])
    assert edits / total <= 0.3, body["DisplayText"]


def test_detailed_format_with_word_timestamps(speech_server):
    body = post(speech_server, wav(_clip(12)), format="detailed", wordLevelTimestamps="true").json()
    (best,) = body["NBest"]
    assert set(best) == {"Confidence", "Lexical", "ITN", "MaskedITN", "Display", "Words"}
    assert best["Display"] == body["DisplayText"]
    assert [w["Word"] for w in best["Words"]] == best["Lexical"].split()
    plain = post(speech_server, wav(_clip(12)), format="Detailed").json()
    assert "Words" not in plain["NBest"][0]


def test_chunked_upload_at_22_khz(speech_server):
    data = wav(_clip(13, 22_050), 22_050)

    def chunks():
        for start in range(0, len(data), 4096):
            yield data[start:start + 4096]

    response = post(speech_server, chunks())
    assert response.status_code == 200, response.text
    assert "library" in response.json()["DisplayText"].lower()


def test_ogg_opus(speech_server):
    response = post(speech_server, ogg_opus(_clip(14)), headers={"Content-Type": "audio/ogg; codecs=opus"})
    assert response.status_code == 200, response.text
    assert "team" in response.json()["DisplayText"].lower()


def test_conversation_joins_the_phrases_interactive_gives_the_first(speech_server):
    data = wav(utterances(SENTENCES[15:17]))
    both = post(speech_server, data).json()["DisplayText"].lower()
    assert "doctor" in both and "wind" in both
    first = post(speech_server, data, mode="interactive").json()["DisplayText"].lower()
    assert "doctor" in first and "wind" not in first


def test_silence_is_initial_silence_timeout(speech_server):
    body = post(speech_server, wav(silence(2.0))).json()
    assert body == {"RecognitionStatus": "InitialSilenceTimeout", "Offset": 0, "Duration": 2 * TICKS}


@pytest.mark.parametrize(("body", "query", "status", "fragment"), [
    (b"", {}, 400, "no audio"),
    (b"this is not audio", {}, 400, "not a WAV file"),
    (wav(np.zeros(0, np.int16)), {}, 400, "no samples"),
    (wav(silence(0.5)), {"format": "verbose"}, 400, "format"),
    (wav(silence(0.5)), {"profanity": "loud"}, 400, "profanity"),
    (wav(silence(0.5)), {"language": "xx-XX"}, 400, "not supported"),
])
def test_bad_requests_are_azure_error_envelopes(speech_server, body, query, status, fragment):
    response = post(speech_server, body, **query)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert fragment in error["message"] and error["code"]


def test_limits_of_a_strict_server(strict_server):
    too_long = post(strict_server, wav(silence(6.0)))
    assert too_long.status_code == 400 and "Speech:MaxAudioSeconds" in too_long.json()["error"]["message"]
    german = post(strict_server, wav(silence(1.0)), language="de-DE")
    assert german.status_code == 400 and "English only" in german.json()["error"]["message"]
    assert httpx.post(f"{strict_server.url}{PATH.format('nonsense')}", content=wav(silence(1.0))).status_code == 404


def test_requests_are_billed_in_audio_seconds(strict_server):
    before = billed_seconds(strict_server)
    assert post(strict_server, wav(silence(1.5))).status_code == 200
    assert post(strict_server, wav(_clip(17))).status_code == 200
    assert post(strict_server, b"not audio").status_code == 400  # errors are not billed
    expected = 1.5 + len(_clip(17)) / 16_000
    assert billed_seconds(strict_server) - before == pytest.approx(expected, abs=0.01)
