"""Speech to text with Whisper (faster-whisper on CTranslate2, int8 on CPU).

One ``WhisperRecognizer`` per model and process. It decodes one utterance at a time (the VAD
segmenter cuts them, ``stt_vad.py``) and answers with an ``Utterance``: display text, lexical
form, words with their times and probabilities, a confidence and the language. Weights come from
installed packages (``stt_models.py``): a directory or file contents are passed to faster-whisper,
never a model name, so nothing is ever looked up on the Hugging Face Hub.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Sequence

import numpy as np

from airgap.services.speech.engines.stt_models import ModelFiles, locate
from airgap.services.speech.engines.stt_types import Utterance, Word

# Belt and braces: we never pass a model name, but should any code path reach the Hub client,
# it must fail at once rather than try the network. Set before faster_whisper imports it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from faster_whisper import WhisperModel  # noqa: E402  (after the offline guard)

SAMPLE_RATE = 16_000
TICKS_PER_SAMPLE = 10_000_000 // SAMPLE_RATE  # 625
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)


def lexical_words(text: str) -> list[str]:
    """Azure's lexical form of display text: lower case, no punctuation ("Don't stop." -> don't stop)."""
    return [w.replace("’", "'").lower() for w in _WORD.findall(text)]


class WhisperRecognizer:
    def __init__(self, model: str = "tiny.en", threads: int = 2, workers: int = 1, beam_size: int = 1,
                 files: ModelFiles | None = None) -> None:
        """``model``: a bundled model's name, or with ``files`` (a custom model folder) its id."""
        self.model_name = model
        # One metrics label for every custom model: ids are the user's, bundled names are few.
        self.name = f"whisper-{model}" if files is None else "whisper-custom"
        self.threads = threads
        self.workers = workers
        self.beam_size = beam_size
        self.model_version = f"whisper-{model}" if files is None else files.version
        self._files = files
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()
        self.multilingual = (files.multilingual if files is not None
                             else model != "tiny.en" and not model.endswith(".en"))

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            files = self._files or locate(self.model_name)
            self.model_version = files.version
            source = str(files.path) if files.path is not None else self.name
            self._model = WhisperModel(source, device="cpu", compute_type="int8", cpu_threads=self.threads,
                                       num_workers=self.workers, files=dict(files.files) or None)
            self.multilingual = bool(self._model.model.is_multilingual)

    @property
    def ready(self) -> bool:
        return self._model is not None

    def close(self) -> None:
        with self._lock:
            self._model = None

    @property
    def languages(self) -> frozenset[str]:
        assert self._model is not None
        return frozenset(self._model.supported_languages)

    def identify(self, audio: np.ndarray, candidates: Sequence[str] = ()) -> tuple[str, float]:
        """The most probable language (Whisper code) of the audio, among ``candidates`` if given."""
        assert self._model is not None
        if not self.multilingual:
            return "en", 1.0
        _language, _p, ranked = self._model.detect_language(audio=_at_least_a_second(audio))
        if candidates:
            ranked = [(code, p) for code, p in ranked if code in candidates] or ranked
            total = sum(p for _code, p in ranked) or 1.0
            ranked = [(code, p / total) for code, p in ranked]
        code, p = max(ranked, key=lambda item: item[1])
        return code, float(p)

    def recognize(self, audio: np.ndarray, start_sample: int, language: str | None,
                  candidates: Sequence[str] = (), speech: tuple[int, int] | None = None,
                  prompt: str | None = None) -> Utterance:
        """Decode one utterance. ``audio`` starts at ``start_sample`` of the stream; ``speech`` is
        where the VAD heard speech (stream samples), the fallback for the phrase's times.

        ``language`` is a Whisper code; None: identify it (among ``candidates``, if any).
        """
        assert self._model is not None
        language_confidence = 1.0
        if not self.multilingual:
            language = "en"
        elif language is None:
            language, language_confidence = self.identify(audio, candidates)
        segments, _info = self._model.transcribe(
            audio, language=language, beam_size=self.beam_size, best_of=1, vad_filter=False,
            word_timestamps=True, condition_on_previous_text=False, initial_prompt=prompt or None)
        segments = list(segments)
        display = " ".join(s.text.strip() for s in segments if s.text.strip())
        words = []
        for segment in segments:
            for w in segment.words or ():
                for token in lexical_words(w.word):
                    start = start_sample + int(round(w.start * SAMPLE_RATE))
                    end = max(start, start_sample + int(round(w.end * SAMPLE_RATE)))
                    words.append(Word(token, start * TICKS_PER_SAMPLE, (end - start) * TICKS_PER_SAMPLE,
                                      round(float(w.probability), 4)))
        lexical = " ".join(lexical_words(display))
        if words:
            confidence = sum(w.confidence for w in words) / len(words)
        elif segments:
            confidence = math.exp(sum(s.avg_logprob for s in segments) / len(segments))
        else:
            confidence = 0.0
        if speech is not None:  # the VAD's bounds: 32 ms steps, steadier than Whisper's first-word times
            begin, end = speech
        elif words:
            begin = words[0].offset // TICKS_PER_SAMPLE
            end = max(begin, (words[-1].offset + words[-1].duration) // TICKS_PER_SAMPLE)
        else:
            begin, end = start_sample, start_sample + len(audio)
        return Utterance(offset=begin * TICKS_PER_SAMPLE, duration=max(0, end - begin) * TICKS_PER_SAMPLE,
                         display=display if lexical else "", lexical=lexical, words=tuple(words),
                         confidence=round(float(confidence), 4), language=language or "en",
                         language_confidence=round(float(language_confidence), 4))

    def partial(self, audio: np.ndarray, language: str | None) -> str:
        """A quick decode of an utterance still in progress (greedy, no word times): lexical text."""
        assert self._model is not None
        segments, _info = self._model.transcribe(
            audio[-30 * SAMPLE_RATE:], language=language if self.multilingual else "en", beam_size=1, best_of=1,
            temperature=0.0, vad_filter=False, without_timestamps=True, condition_on_previous_text=False)
        return " ".join(lexical_words(" ".join(s.text for s in segments)))


def _at_least_a_second(audio: np.ndarray) -> np.ndarray:
    if len(audio) >= SAMPLE_RATE:
        return audio
    return np.pad(audio, (0, SAMPLE_RATE - len(audio)))
