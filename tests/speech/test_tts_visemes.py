"""Visemes: Azure's viseme ids from IPA, espeak-ng's phoneme times, and the SDK's ``viseme_received``
through a real server for a Piper, a Flite and an espeak-ng voice."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import uuid

import numpy as np
import pytest
import websockets

from airgap.services.speech import usp
from airgap.services.speech.engines.tts_espeak import EspeakClient
from airgap.services.speech.engines.tts_types import spread_phonemes, transfer_phonemes
from airgap.services.speech.engines.tts_visemes import split_ipa, timeline, visemes_of
from tests.speech.tts_support import espeak, espeak_url, tts_server  # noqa: F401
from tests.support.server import ServerProcess

speechsdk = pytest.importorskip("azure.cognitiveservices.speech")

TEXT = "Bob made pasta for Sam. Then we watched the show."


def ssml(voice: str, text: str = TEXT) -> str:
    return (f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
            f'<voice name="{voice}">{text}</voice></speak>')


# -- the table and the times -----------------------------------------------------------------------

@pytest.mark.parametrize(("ipa", "expected"), [
    # Azure's en-US table: one example of each viseme id, and its two-viseme phonemes.
    ("", (0,)), ("æ", (1,)), ("ɑː", (2,)), ("ɔ", (3,)), ("ɛ", (4,)), ("ɝ", (5,)), ("ɪ", (6,)), ("u", (7,)),
    ("o", (8,)), ("aʊ", (9,)), ("ɔɪ", (10,)), ("ˈaɪ", (11,)), ("h", (12,)), ("ɹ", (13,)), ("l", (14,)),
    ("z", (15,)), ("ʃ", (16,)), ("ð", (17,)), ("v", (18,)), ("θ", (19,)), ("ŋ", (20,)), ("m", (21,)),
    ("eɪ", (4, 6)), ("oʊ", (8, 4)), ("tʃ", (19, 16)), ("dʒ", (19, 16)), ("ɑːɹ", (2, 13)),
    # espeak-ng's symbols for other languages.
    ("ɡ", (20,)), ("ɔ̃", (3,)), ("ʁ", (20,)), ("y", (7,)), ("ɾ", (19,)),
])
def test_ipa_to_azure_viseme_ids(ipa: str, expected: tuple[int, ...]):
    assert visemes_of(ipa) == expected


def test_timeline_starts_silent_splits_diphthongs_and_merges_pauses():
    line = timeline([("h", 100), ("eɪ", 200), ("d", 400), ("n", 500), ("", 600), ("_", 650), ("m", 700)], 800)
    assert [(v.viseme, v.sample) for v in line] == [(0, 0), (12, 100), (4, 200), (6, 300), (19, 400), (19, 500),
                                                    (0, 600), (21, 700)]
    assert [(v.viseme, v.sample) for v in timeline([("m", 900)], 800)] == [(0, 0)]  # past the audio's end
    assert timeline([], 800) == []


def test_ssml_phonemes_split_and_spread_over_the_speech():
    assert split_ipa("təmˈɑːtoʊ") == ["t", "ə", "m", "ɑ", "t", "oʊ"]
    pcm = np.zeros(1000, dtype=np.int16)
    pcm[200:800] = 10000
    spread = spread_phonemes(["a", "b", "c"], pcm)
    assert spread == [("", 0), ("a", 200), ("b", 400), ("c", 600), ("", 800)]


def test_phonemes_keep_their_share_of_their_word():
    reference = np.zeros(1000, dtype=np.int16)
    reference[100:900] = 10000
    target = np.zeros(2000, dtype=np.int16)
    target[100:1900] = 10000
    # Two words at 100 and 500 in the reference, put at 100 and 1300 in the target.
    moved = transfer_phonemes([("a", 100), ("b", 300), ("c", 500), ("d", 700)], reference, [100, 500], target,
                              [100, 1300])
    assert moved == [("a", 100), ("b", 700), ("c", 1300), ("d", 1600)]


def test_espeak_reports_phonemes_in_ipa_with_their_samples(espeak: EspeakClient):  # noqa: F811
    pcm, _, words, phonemes = espeak.utter("en-us", "Bob made pasta.")
    names = [name for name, _ in phonemes]
    assert names[:4] == ["b", "ɑː", "b", "m"] and "eɪ" in names
    samples = [sample for _, sample in phonemes]
    assert samples == sorted(samples) and samples[-1] <= len(pcm)
    assert words[1][2] <= samples[names.index("m")]  # "made" starts at or before its m


# -- the SDK through the server ------------------------------------------------------------------

def synthesize_with_visemes(server: ServerProcess, voice: str) -> tuple:
    config = speechsdk.SpeechConfig(host=f"ws://127.0.0.1:{server.port}", subscription="any-key")
    synthesizer = speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)
    visemes, words = [], []
    completed = threading.Event()
    synthesizer.viseme_received.connect(lambda e: visemes.append((e.viseme_id, e.audio_offset)))
    synthesizer.synthesis_word_boundary.connect(lambda e: words.append((e.text, e.audio_offset, e.duration)))
    synthesizer.synthesis_completed.connect(lambda e: completed.set())
    synthesizer.synthesis_canceled.connect(lambda e: completed.set())
    result = synthesizer.speak_ssml_async(ssml(voice)).get()
    # The SDK raises its events on its own thread: get() may return before the last ones have run,
    # and the completed event comes after them.
    assert completed.wait(60), "the SDK never raised synthesis_completed"
    del synthesizer
    gc.collect()
    if result.reason == speechsdk.ResultReason.Canceled:
        pytest.fail(f"synthesis canceled: {result.cancellation_details.error_details}")
    return result, visemes, words


@pytest.mark.parametrize("voice", ["en-US-JoeNeural", "en-US-EspeakMale", "en-US-SltFlite"])
def test_sdk_receives_visemes(tts_server: ServerProcess, voice: str):  # noqa: F811
    result, visemes, words = synthesize_with_visemes(tts_server, voice)
    seconds = result.audio_duration.total_seconds()
    assert len(visemes) > 20  # two sentences, dozens of phonemes
    ids = [viseme for viseme, _ in visemes]
    assert all(0 <= v <= 21 for v in ids)
    assert ids[0] == 0 and {21, 15, 18, 1, 7, 16} <= set(ids)  # silence; b/m/p, s, f, ə, w, ʃ
    offsets = [offset for _, offset in visemes]
    assert offsets == sorted(offsets)
    assert offsets[-1] / 10**7 < seconds
    # Each word starting with b, m or p has its closed-lips viseme inside the word's time.
    for text, offset, duration in words:
        if text[0].lower() in "bmp":
            end = offset + duration.total_seconds() * 10**7
            assert any(v == 21 and offset <= at < end for v, at in visemes), (text, offset, visemes)


async def _metadata_types(url: str, viseme_enabled: bool) -> list[dict]:
    request_id = uuid.uuid4().hex
    context = {"synthesis": {"audio": {"outputFormat": "raw-16khz-16bit-mono-pcm",
                                       "metadataOptions": {"visemeEnabled": viseme_enabled,
                                                           "wordBoundaryEnabled": False}}}}
    items = []
    async with websockets.connect(url, subprotocols=["USP"], max_size=None) as ws:
        await ws.send(usp.text_frame("speech.config", request_id, {"context": {}}))
        await ws.send(usp.text_frame("synthesis.context", request_id, context))
        await ws.send(usp.text_frame("ssml", request_id, ssml("en-US-JoeNeural", "Bob."),
                                     content_type="application/ssml+xml"))
        async for frame in ws:
            if isinstance(frame, bytes):
                continue
            message = usp.parse_text(frame)
            assert message.request_id == request_id
            if message.kind == "audio.metadata":
                items += json.loads(message.body)["Metadata"]
            if message.kind == "turn.end":
                break
    return items


def test_visemes_only_when_asked_with_azure_fields(tts_server: ServerProcess):  # noqa: F811
    url = f"ws://127.0.0.1:{tts_server.port}/cognitiveservices/websocket/v1"
    assert not [i for i in asyncio.run(_metadata_types(url, False)) if i["Type"] == "Viseme"]
    visemes = [i for i in asyncio.run(_metadata_types(url, True)) if i["Type"] == "Viseme"]
    assert visemes and all(set(i["Data"]) == {"Offset", "VisemeId", "IsLastAnimation"} for i in visemes)
    assert [i["Data"]["VisemeId"] for i in visemes][:2] == [0, 21]  # silence, then the b of "Bob"
