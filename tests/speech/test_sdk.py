"""The official Speech SDK (1.53, C++ core) against a real server: recognize_once, continuous
recognition, detailed output, silence, language identification. The SDK is unchanged: only
``SpeechConfig(host="ws://...")``, as Azure's container documentation says."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.speech import sdk
from tests.speech.clips import GERMAN, SENTENCES, silence, speak, wav, word_errors
from tests.speech.sdk import speechsdk

pytestmark = pytest.mark.sdk

TICKS = 10_000_000


def _file(tmp_path: Path, samples: np.ndarray, rate: int = 16_000, name: str = "clip.wav") -> Path:
    path = tmp_path / name
    path.write_bytes(wav(samples, rate))
    return path


@pytest.mark.parametrize("rate", [16_000, 22_050, 44_100])
def test_recognize_once(speech_server, tmp_path, rate):
    text = SENTENCES[2]
    clip = np.concatenate([silence(0.5, rate), speak(text, rate=rate), silence(0.5, rate)])
    result = sdk.once(speech_server, _file(tmp_path, clip, rate))
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech, result
    edits, total = word_errors(text, result.text)
    assert edits / total <= 0.3, result.text
    assert 0.3 * TICKS < result.offset < 0.8 * TICKS
    assert 0.5 * TICKS < result.duration < len(clip) / rate * TICKS


def test_detailed_output_with_word_timings(speech_server, tmp_path):
    clip = np.concatenate([silence(0.4), speak(SENTENCES[7]), silence(0.4)])
    result = sdk.once(speech_server, _file(tmp_path, clip), detailed=True, words=True)
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech
    body = json.loads(result.json)
    assert body["RecognitionStatus"] == "Success"
    (best,) = body["NBest"]
    assert set(best) >= {"Confidence", "Lexical", "ITN", "MaskedITN", "Display", "Words"}
    assert best["Display"] == result.text and best["Lexical"] == best["Lexical"].lower()
    assert 0 < best["Confidence"] <= 1
    offsets = [w["Offset"] for w in best["Words"]]
    assert offsets == sorted(offsets) and len(offsets) >= 5
    assert [w["Word"] for w in best["Words"]] == best["Lexical"].split()
    end = body["Offset"] + body["Duration"]
    assert all(body["Offset"] - TICKS // 2 <= w["Offset"] <= end for w in best["Words"])


def test_continuous_recognition_of_several_utterances(speech_server, tmp_path):
    texts = SENTENCES[8:11]
    parts, starts, position = [silence(0.6, 22_050)], [], 0.6
    for text in texts:
        spoken = speak(text, rate=22_050)
        starts.append(position)
        parts += [spoken, silence(1.3, 22_050)]
        position += len(spoken) / 22_050 + 1.3
    session = sdk.continuous(speech_server, _file(tmp_path, np.concatenate(parts), 22_050))
    assert [c.reason for c in session.canceled] in ([], [speechsdk.CancellationReason.EndOfStream])
    reasons = [r.reason for r in session.recognized]
    assert reasons == [speechsdk.ResultReason.RecognizedSpeech] * 3, [r.text for r in session.recognized]
    offsets = [r.offset for r in session.recognized]
    assert offsets == sorted(offsets)
    for result, start, text in zip(session.recognized, starts, texts, strict=True):
        assert abs(result.offset / TICKS - start) < 0.5, (result.offset, start)
        edits, total = word_errors(text, result.text)
        assert edits / total <= 0.5, result.text


def test_silence_is_no_match(speech_server, tmp_path):
    path = _file(tmp_path, silence(3.0))
    result = sdk.once(speech_server, path)
    assert result.reason == speechsdk.ResultReason.NoMatch
    assert result.no_match_details.reason == speechsdk.NoMatchReason.InitialSilenceTimeout
    session = sdk.continuous(speech_server, path)
    assert [r.reason for r in session.recognized] == [speechsdk.ResultReason.NoMatch]


def test_almost_empty_audio_is_no_match(speech_server, tmp_path):
    # 50 ms. (A file with no samples at all: the SDK sends no turn, and cancels itself after a while
    # with "no recognition result received"; test_streams.py sends that turn without the SDK.)
    result = sdk.once(speech_server, _file(tmp_path, np.zeros(800, np.int16)))
    assert result.reason == speechsdk.ResultReason.NoMatch


def test_german_with_language_identification(speech_server, tmp_path):
    clip = np.concatenate([silence(0.4), speak(GERMAN, voice="de"), silence(0.6)])
    result = sdk.once(speech_server, _file(tmp_path, clip), language=None, candidates=["en-US", "de-DE"])
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech, result
    assert speechsdk.AutoDetectSourceLanguageResult(result).language == "de-DE"
    assert "guten morgen" in result.text.lower()


def test_german_by_locale_and_english_stays_on_the_english_model(speech_server, tmp_path):
    clip = np.concatenate([silence(0.4), speak(GERMAN, voice="de"), silence(0.6)])
    result = sdk.once(speech_server, _file(tmp_path, clip), language="de-DE")
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech
    assert "heute" in result.text.lower()


def test_a_phrase_list_is_accepted(speech_server, tmp_path):
    clip = np.concatenate([silence(0.4), speak("Please call Contoso about the invoice."), silence(0.5)])
    r = sdk.recognizer(speech_server, _file(tmp_path, clip))
    phrases = speechsdk.PhraseListGrammar.from_recognizer(r)
    phrases.addPhrase("Contoso")
    result = r.recognize_once()
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech
    assert "contoso" in result.text.lower()
