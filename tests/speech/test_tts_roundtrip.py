"""Round trip: speech synthesised by each text-to-speech engine, recognised back by the speech-to-text
engine (Whisper tiny.en, the default), with a low word error rate."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from airgap.services.speech import formats
from airgap.services.speech.engines.tts_espeak import EspeakClient, EspeakVoice
from airgap.services.speech.engines.tts_flite import FliteVoice
from airgap.services.speech.engines.tts_piper import PiperFiles, PiperVoice
from airgap.services.speech.engines.tts_types import Prosody
from airgap.services.speech.recognition import recognize_clip
from airgap.services.speech.tts import bundled_piper_models
from tests.speech.clips import SENTENCES, word_errors
from tests.speech.conftest import as_float, direct
from tests.speech.tts_support import espeak, espeak_url  # noqa: F401 - fixtures

COUNT = 8  # sentences per voice


def voices(client: EspeakClient) -> dict:
    return {"piper:joe": PiperVoice(PiperFiles.read(bundled_piper_models()[0]), client),
            "flite:slt": FliteVoice("slt", client), "espeak:en-us": EspeakVoice(client, "gmw/en-US")}


def transcribe(recognizers, samples: np.ndarray) -> str:
    events, _ = asyncio.run(recognize_clip(as_float(samples), recognizers.choose("en-US"), direct, recognizers,
                                           single=False))
    return " ".join(e.utterance.display for e in events if e.kind == "phrase" and e.utterance is not None)


@pytest.mark.parametrize("name", ["piper:joe", "flite:slt", "espeak:en-us"])
def test_synthesised_speech_is_recognised(recognizers, espeak: EspeakClient, name: str):  # noqa: F811
    voice = voices(espeak)[name]
    edits = total = 0
    for text in SENTENCES[:COUNT]:
        audio = voice.synthesize(text, Prosody())
        pcm = formats.resample(audio.pcm, audio.sample_rate, 16000)
        clip = np.concatenate([np.zeros(4000, np.int16), pcm, np.zeros(8000, np.int16)])
        e, n = word_errors(text, transcribe(recognizers, clip))
        edits += e
        total += n
    wer = edits / total
    print(f"{name}: WER {wer:.1%} over {total} words")
    assert wer <= {"piper:joe": 0.08, "flite:slt": 0.1, "espeak:en-us": 0.2}[name]
