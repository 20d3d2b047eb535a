"""Recognition of a stream of audio, the same for the websocket and for REST uploads.

``Recognizers`` picks the model for a request's language (``Speech:Model`` for English,
``Speech:MultilingualModel`` for other languages and identification, loaded on first use), or
checks that a Custom Speech model (``custom_models.py``) can serve it.
``StreamRecognition`` takes 16 kHz samples as they come, cuts utterances with the VAD segmenter
and decodes each one on the inference pool, and says what happened as ``Event``s (speech
started, a partial hypothesis, a phrase, a silence timeout). It knows no HTTP and no wire
format: ``api_stt.py`` turns events into USP frames, ``api_stt_rest.py`` into one JSON answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from airgap.services.speech import stt_languages
from airgap.services.speech.engines import stt_vad
from airgap.services.speech.engines.stt_types import Utterance
from airgap.services.speech.engines.stt_vad import Segmenter, Span
from airgap.services.speech.engines.stt_whisper import WhisperRecognizer
from airgap.services.speech.settings import SpeechSettings

log = logging.getLogger("airgap.speech")

SAMPLE_RATE = 16_000
TICKS_PER_SAMPLE = 625
# 400 ms of context either side of an utterance for the decoder (faster-whisper's own VAD pad; measured
# on the quality set: 200 ms lost word endings in noise, base 21 % -> 15 % WER on the noisy clips). An
# utterance closes only after 500 ms of silence, so the pad never reaches into a neighbour.
PAD = 2 * SAMPLE_RATE // 5

# ``runtime.pool.run``: await run(engine_name, fn, *args)
Run = Callable[..., Awaitable[Any]]


class UnsupportedLanguage(ValueError):
    pass


@dataclass(frozen=True)
class Choice:
    """What to recognize with: the model, and the language (or candidates to identify among)."""

    recognizer: WhisperRecognizer
    locale: str | None               # the requested locale; None: identify
    code: str | None                 # its Whisper code
    candidates: tuple[str, ...] = ()  # locales to identify among
    continuous_lid: bool = False      # identify per phrase (DetectContinuous), not once at the start

    @property
    def identifying(self) -> bool:
        return self.code is None


class Recognizers:
    def __init__(self, settings: SpeechSettings, workers: int) -> None:
        self.settings = settings
        self.primary = WhisperRecognizer(settings.model, settings.threads_per_decode, workers, settings.beam_size)
        self._multilingual: WhisperRecognizer | None = None
        if settings.model == "tiny.en" and settings.multilingual_model != "none":
            self._multilingual = WhisperRecognizer(settings.multilingual_model, settings.threads_per_decode, workers,
                                                   settings.beam_size)
        self._lock = threading.Lock()
        self.workers = workers
        self.busy = 0  # Whisper calls queued or running on the inference pool (the event loop's count)

    @property
    def spare(self) -> bool:
        """An inference thread is free: partial results may use it without delaying a final one."""
        return self.busy < self.workers

    async def call(self, run: Run, recognizer: WhisperRecognizer, fn: Callable[..., Any], *args: Any) -> Any:
        self.busy += 1
        try:
            return await run(recognizer.name, fn, *args)
        finally:
            self.busy -= 1

    def load(self) -> None:
        self.primary.load()
        stt_vad.load()

    @property
    def multilingual(self) -> WhisperRecognizer | None:
        return self.primary if self.primary.multilingual else self._multilingual

    def ensure_loaded(self, recognizer: WhisperRecognizer) -> None:
        """Load a model on its first use (the multilingual one); call off the event loop."""
        if not recognizer.ready:
            log.info("Loading speech model %s for its first request", recognizer.model_name)
            recognizer.load()

    def choose(self, locale: str | None, candidates: tuple[str, ...] = (), continuous_lid: bool = False,
               custom: WhisperRecognizer | None = None) -> Choice:
        """The model and language for a request; raises ``UnsupportedLanguage`` with the reason.

        ``custom``: a loaded Custom Speech model serves the request instead of the bundled ones, if
        its languages allow (an ``.en`` model: English only)."""
        if custom is not None:
            return self._choose_custom(custom, locale, candidates, continuous_lid)
        if candidates:
            multilingual = self.multilingual
            if multilingual is None:
                raise UnsupportedLanguage("Language identification needs the multilingual model, which this server "
                                          "does not load (Speech:MultilingualModel=none).")
            self._check(multilingual, candidates)
            return Choice(multilingual, None, None, candidates, continuous_lid)
        locale = locale or "en-US"
        code = stt_languages.whisper_code(locale)
        if code == "en":
            return Choice(self.primary, locale, code)
        multilingual = self.multilingual
        if multilingual is None:
            raise UnsupportedLanguage(f"Language {locale} is not supported: this server recognizes English only "
                                      f"(Speech:Model={self.settings.model}, Speech:MultilingualModel=none).")
        self._check(multilingual, (locale,))
        return Choice(multilingual, locale, code)

    def _choose_custom(self, custom: WhisperRecognizer, locale: str | None, candidates: tuple[str, ...],
                       continuous_lid: bool) -> Choice:
        if candidates:
            if not custom.multilingual:
                raise UnsupportedLanguage(f"Language identification needs a multilingual model; custom model "
                                          f"{custom.model_name} is English only.")
            self._check(custom, candidates)
            return Choice(custom, None, None, candidates, continuous_lid)
        locale = locale or "en-US"
        code = stt_languages.whisper_code(locale)
        if code != "en":
            if not custom.multilingual:
                raise UnsupportedLanguage(f"Language {locale} is not supported: custom model {custom.model_name} "
                                          "is English only.")
            self._check(custom, (locale,))
        return Choice(custom, locale, code)

    def _check(self, recognizer: WhisperRecognizer, locales: tuple[str, ...]) -> None:
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        unknown = [loc for loc in locales if stt_languages.whisper_code(loc) not in _LANGUAGE_CODES]
        if unknown:
            raise UnsupportedLanguage(f"Language {', '.join(unknown)} is not supported by the {recognizer.model_name} "
                                      "model.")


@dataclass(frozen=True)
class Event:
    kind: str                 # started | hypothesis | phrase | silence
    offset: int = 0           # ticks
    duration: int = 0
    text: str = ""            # hypothesis: lexical text so far
    utterance: Utterance | None = None  # phrase: what was said (empty: NoMatch)
    locale: str | None = None  # the phrase's language as an Azure locale


class StreamRecognition:
    """One turn of audio: feed samples, get events; ``finish()`` at the end of the audio.

    ``single``: recognize_once (interactive): stop after the first phrase, and give up with a
    ``silence`` event after ``initial_silence_ms`` of audio without speech.
    """

    def __init__(self, choice: Choice, run: Run, recognizers: Recognizers, *, silence_ms: int = 500,
                 single: bool = False, initial_silence_ms: int = 5000, hypothesis_ms: int = 0,
                 prompt: str | None = None) -> None:
        self.choice = choice
        self.run = run
        self.recognizers = recognizers
        self.segmenter = Segmenter(silence_ms=silence_ms)
        self.single = single
        self.initial_silence = initial_silence_ms * SAMPLE_RATE // 1000
        self.hypothesis_samples = hypothesis_ms * SAMPLE_RATE // 1000
        self.prompt = prompt
        self._audio = np.zeros(0, np.float32)
        self._base = 0             # stream sample index of self._audio[0]
        self._last_hypothesis = 0  # stream sample where the last hypothesis ended
        self._last_text = ""
        self._started = False
        self.phrases = 0           # non-empty phrases so far
        self.done = False          # single mode: the phrase (or the timeout) has been given
        self.speech_heard = False
        self._code = choice.code   # identified once (DetectAtAudioStart), then kept

    @property
    def samples(self) -> int:
        """Samples received so far."""
        return self._base + len(self._audio)

    @property
    def ticks(self) -> int:
        return self.samples * TICKS_PER_SAMPLE

    async def feed(self, samples: np.ndarray, caught_up: bool = True) -> list[Event]:
        if self.done or not len(samples):
            return []
        self._audio = np.concatenate([self._audio, samples]) if len(self._audio) else samples.astype(np.float32)
        if len(samples) <= SAMPLE_RATE:  # a live stream's 100 ms frames: ~1 ms of VAD, not worth a queue
            found = self.segmenter.feed(samples)
        else:
            found = await self.run("speech-vad", self.segmenter.feed, samples)
        events = await self._handle(found)
        if self.done:
            return events
        if self.single and not self._started and self.samples >= self.initial_silence:
            self.done = True
            events.append(Event("silence", 0, self.initial_silence * TICKS_PER_SAMPLE))
            return events
        if caught_up and self.hypothesis_samples:
            hypothesis = await self._hypothesis()
            if hypothesis is not None:
                events.append(hypothesis)
        self._trim()
        return events

    async def finish(self) -> list[Event]:
        if self.done:
            return []
        events = await self._handle(await self.run("speech-vad", self.segmenter.finish))
        self.done = True
        return events

    async def _handle(self, found: stt_vad.Events) -> list[Event]:
        events: list[Event] = []
        for start in found.started:
            self.speech_heard = True
            if not self._started:
                self._started = True
                events.append(Event("started", start * TICKS_PER_SAMPLE))
        for span in found.closed:
            self.speech_heard = True
            phrase = await self._decode(span)
            self._last_hypothesis = span.end
            self._last_text = ""
            if phrase.utterance is not None and not phrase.utterance.empty:
                self.phrases += 1
                events.append(phrase)
                if self.single:
                    self.done = True
                    break
        return events

    def _slice(self, start: int, end: int) -> tuple[np.ndarray, int]:
        first = max(self._base, start - PAD)
        last = min(self.samples, end + PAD)
        return self._audio[first - self._base:last - self._base], first

    async def _decode(self, span: Span) -> Event:
        audio, first = self._slice(span.start, span.end)
        recognizer = self.choice.recognizer
        call = self.recognizers.call
        if not recognizer.ready:
            await call(self.run, recognizer, self.recognizers.ensure_loaded, recognizer)
        code = self._code
        if self.choice.identifying and (code is None or self.choice.continuous_lid):
            codes = tuple(stt_languages.whisper_code(c) for c in self.choice.candidates)
            code, _p = await call(self.run, recognizer, recognizer.identify, audio, codes)
            if not self.choice.continuous_lid:
                self._code = code
        utterance = await call(self.run, recognizer, recognizer.recognize, audio, first, code, (),
                               (span.start, span.end), self.prompt)
        locale = self.choice.locale or stt_languages.locale_for(utterance.language, self.choice.candidates)
        return Event("phrase", utterance.offset, utterance.duration, utterance=utterance, locale=locale)

    async def _hypothesis(self) -> Event | None:
        start = self.segmenter.open_start
        if start is None or self.samples - max(start, self._last_hypothesis) < self.hypothesis_samples:
            return None
        recognizer = self.choice.recognizer
        if not recognizer.ready:
            return None  # the model loads with the first phrase; no partials before it
        if not self.recognizers.spare:
            return None  # every inference thread is busy (other streams' phrases): finals first
        audio, _first = self._slice(start, self.samples)
        text = await self.recognizers.call(self.run, recognizer, recognizer.partial, audio, self._code)
        self._last_hypothesis = self.samples
        if not text or text == self._last_text:
            return None
        self._last_text = text
        return Event("hypothesis", start * TICKS_PER_SAMPLE, (self.samples - start) * TICKS_PER_SAMPLE, text=text,
                     locale=self.choice.locale or (stt_languages.locale_for(self._code, self.choice.candidates)
                                                   if self._code else None))

    def _trim(self) -> None:
        """Forget audio no utterance can need any more (a long stream keeps seconds, not minutes)."""
        keep_from = self.segmenter.open_start
        if keep_from is None:
            keep_from = self.segmenter.start if self.segmenter.triggered else self.samples
        keep_from = max(self._base, keep_from - PAD - SAMPLE_RATE)
        if keep_from - self._base > 10 * SAMPLE_RATE:
            self._audio = self._audio[keep_from - self._base:].copy()
            self._base = keep_from


async def recognize_clip(samples: np.ndarray, choice: Choice, run: Run, recognizers: Recognizers, *,
                         single: bool, silence_ms: int = 500) -> tuple[list[Event], StreamRecognition]:
    """A whole clip (REST): the phrases, and the recognition (for what was heard)."""
    stream = StreamRecognition(choice, run, recognizers, silence_ms=silence_ms, single=single,
                               initial_silence_ms=10**9)
    events = await stream.feed(samples)
    events += await stream.finish()
    return events, stream
