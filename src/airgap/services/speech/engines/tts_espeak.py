"""espeak-ng: the client of its engine process (``tts_espeak_server.py``) and its voices.

espeak-ng is GPL, so it runs in its own process, supervised by the platform; this module talks to it
over loopback HTTP. It gives three things: IPA phonemes for Piper voices, speech for the languages
no neural voice covers (about 100), and word and phoneme times (which Piper and Flite do not report).
"""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from airgap.platform.engine_client import EngineProcessClient, EngineProcessUnreachable
from airgap.services.speech.engines import tts_espeak_server
from airgap.services.speech.engines.tts_types import (Audio, Prosody, SynthesisError, WordTime, transfer_phonemes,
                                                      transfer_words, words_of)

SERVER_SCRIPT = Path(tts_espeak_server.__file__).resolve()
BASE_RATE = 175  # espeak-ng's default words per minute
BASE_PITCH = 50  # 0..100


def server_argv(port: str) -> list[str]:
    """The engine process's command line (``{port}`` filled in by the supervisor)."""
    return [sys.executable, "-I", str(SERVER_SCRIPT), "--host", "127.0.0.1", "--port", port]


class EspeakClient:
    """Talks to the engine process; ``base_url`` gives its address at call time (it moves on restart)."""

    def __init__(self, base_url: Callable[[], str], timeout: float = 60.0) -> None:
        self._client = EngineProcessClient(base_url, timeout)

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[str, bytes]:
        try:
            status, content_type, payload = self._client.call(method, path, body)
        except EngineProcessUnreachable as exc:
            raise SynthesisError(f"the espeak-ng engine process did not answer: {exc}") from exc
        if status != 200:
            raise SynthesisError(f"the espeak-ng engine process answered {status}: {payload[:300]!r}")
        return content_type, payload

    def health(self) -> bool:
        try:
            return bool(json.loads(self._call("GET", "/health")[1]).get("ok"))
        except (SynthesisError, ValueError):
            return False

    def voices(self) -> list[dict]:
        return json.loads(self._call("GET", "/voices")[1])["voices"]

    def phonemes(self, voice: str, clauses: Sequence[str]) -> list[str]:
        return json.loads(self._call("POST", "/phonemes", {"voice": voice, "clauses": list(clauses)})[1])["phonemes"]

    def speak(self, voice: str, text: str, rate: int = BASE_RATE, pitch: int = BASE_PITCH,
              volume: int = 100) -> tuple[np.ndarray, int, list[tuple[int, int, int]]]:
        """PCM, its sample rate and the words as ``(start, length, sample)``."""
        return self.utter(voice, text, rate, pitch, volume)[:3]

    def utter(self, voice: str, text: str, rate: int = BASE_RATE, pitch: int = BASE_PITCH, volume: int = 100
              ) -> tuple[np.ndarray, int, list[tuple[int, int, int]], list[tuple[str, int]]]:
        """``speak``'s three and the phonemes as ``(ipa, sample)`` (``""``: a pause), in time order."""
        _, payload = self._call("POST", "/speak", {"voice": voice, "text": text, "rate": rate, "pitch": pitch,
                                                   "volume": volume})
        (size,) = struct.unpack_from(">I", payload)
        head = json.loads(payload[4:4 + size])
        pcm = np.frombuffer(payload[4 + size:], dtype="<i2").astype(np.int16)
        phonemes = [(str(name), int(sample)) for name, sample in head.get("phonemes", [])]
        return pcm, int(head["sample_rate"]), [tuple(w) for w in head["words"]], phonemes

    def close(self) -> None:
        self._client.close()


class EspeakVoice:
    """One espeak-ng voice (``de``, ``en-us+f3``: a language with a variant)."""

    engine = "espeak-ng"

    def __init__(self, client: EspeakClient, name: str) -> None:
        self.client = client
        self.name = name
        self.sample_rate = 22050

    def synthesize(self, text: str, prosody: Prosody) -> Audio:
        rate = int(round(min(max(BASE_RATE * prosody.rate, 80), 450)))
        pitch = int(round(min(max(BASE_PITCH * prosody.pitch, 0), 100)))
        pcm, rate_hz, words, phonemes = self.client.utter(self.name, text, rate=rate, pitch=pitch)
        self.sample_rate = rate_hz
        return Audio(pcm, rate_hz, _word_times(words_of(text, words), len(pcm)), phonemes)


def _word_times(words: list[tuple[int, int, int]], total: int) -> list[WordTime]:
    out = []
    for i, (start, length, sample) in enumerate(words):
        end = words[i + 1][2] if i + 1 < len(words) else total
        out.append(WordTime(start, length, sample, max(0, end - sample)))
    return out


def estimated_times(espeak: EspeakClient, voice: str, text: str,
                    pcm: np.ndarray) -> tuple[list[WordTime], list[tuple[str, int]]]:
    """Word and phoneme times for speech whose engine reports none (Piper, Flite): espeak-ng speaks
    the same text and its times are carried over, each phoneme keeping its share of its word. An
    estimate: the engines do not pause and stretch alike."""
    reference, _, events, phonemes = espeak.utter(voice, text)
    reference_words = words_of(text, events)
    words = transfer_words(reference_words, reference, pcm)
    return words, transfer_phonemes(phonemes, reference, [w[2] for w in reference_words], pcm,
                                    [w.sample for w in words])
