"""From parsed SSML to encoded audio and events, sentence by sentence (shared by REST and websocket).

``plan`` resolves every voice first (an unknown voice is an error before any audio) and cuts the
text into sentences; ``Synthesis`` then speaks one sentence per call on the inference pool
(engine, resampling to the output rate, volume, encoding together), so the first audio leaves
after the first sentence and a client that goes away stops the work at the next one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from airgap.services.speech import formats, ssml
from airgap.services.speech.engines.tts_text import sentences
from airgap.services.speech.engines.tts_types import Prosody
from airgap.services.speech.engines.tts_visemes import SILENCE, timeline
from airgap.services.speech.voices import Catalogue, Voice

log = logging.getLogger("airgap.speech.tts")

TICKS_PER_SECOND = 10_000_000
MAX_AUDIO_SECONDS = 600.0  # Azure truncates synthesised audio at 10 minutes


@dataclass(frozen=True)
class Unit:
    """One engine call (a sentence), a silence or a bookmark."""

    kind: str  # speech, silence, bookmark
    voice: Voice | None = None
    text: str = ""
    prosody: Prosody = Prosody()
    phonemes: str | None = None
    ms: int = 0
    name: str = ""


def plan(doc: ssml.Document, catalogue: Catalogue) -> list[Unit]:
    units: list[Unit] = []
    resolved: dict[tuple[str | None, str | None], Voice] = {}
    for item in doc.items:
        if isinstance(item, ssml.Piece):
            key = (item.voice, item.lang or doc.lang)
            if key not in resolved:
                resolved[key] = catalogue.resolve(item.voice, item.lang or doc.lang)
            voice = catalogue.for_text(resolved[key], item.voice, item.text)
            if item.phonemes is not None:
                units.append(Unit("speech", voice, item.text.strip(), item.prosody, item.phonemes))
                continue
            for _, sentence in sentences(item.text):
                units.append(Unit("speech", voice, sentence, item.prosody))
        elif isinstance(item, ssml.Break):
            if item.ms > 0:
                units.append(Unit("silence", ms=item.ms))
        elif isinstance(item, ssml.Bookmark):
            units.append(Unit("bookmark", name=item.name))
    return units


@dataclass
class Event:
    kind: str  # audio, word, sentence, bookmark, viseme
    data: bytes = b""
    text: str = ""
    offset: int = 0    # ticks from the start of the audio
    duration: int = 0  # ticks
    viseme: int = 0    # Azure's viseme id (kind viseme)


@dataclass
class _Step:
    data: bytes
    samples: int
    words: list[tuple[str, int, int]] = field(default_factory=list)  # text, sample, samples (output rate)
    visemes: list[tuple[int, int]] = field(default_factory=list)  # viseme id, sample (output rate)


Runner = Callable[..., Awaitable[Any]]  # runtime.pool.run: (engine name, fn, *args)


class Synthesis:
    """Speaks ``units`` into ``fmt``; iterate ``events()``. ``cancel()`` stops at the next sentence."""

    def __init__(self, units: list[Unit], fmt: formats.OutputFormat, run: Runner,
                 max_seconds: float = MAX_AUDIO_SECONDS) -> None:
        self.units = units
        self.fmt = fmt
        self.run = run
        self.max_samples = int(max_seconds * fmt.sample_rate)
        self.samples = 0  # output samples so far
        self.encoder = formats.Encoder(fmt)
        self.cancelled = False
        self.truncated = False
        self._viseme = -1  # the last viseme sent: a silence that goes on over a sentence's edge is one

    def cancel(self) -> None:
        self.cancelled = True

    def ticks(self, samples: int) -> int:
        return int(round(samples * TICKS_PER_SECOND / self.fmt.sample_rate))

    async def events(self) -> AsyncIterator[Event]:
        try:
            for unit in self.units:
                if self.cancelled or self.samples >= self.max_samples:
                    break
                if unit.kind == "bookmark":
                    yield Event("bookmark", text=unit.name, offset=self.ticks(self.samples))
                    continue
                engine = unit.voice.engine if unit.voice is not None else "silence"
                step: _Step = await self.run(f"tts-{engine}", self._step, unit)
                if self.cancelled:
                    break
                start = self.samples
                if unit.kind == "speech" and unit.text:
                    yield Event("sentence", text=unit.text, offset=self.ticks(start), duration=self.ticks(step.samples))
                for text, sample, samples in step.words:
                    yield Event("word", text=text, offset=self.ticks(start + sample), duration=self.ticks(samples))
                for viseme, sample in step.visemes:
                    if viseme == self._viseme == SILENCE:
                        continue
                    self._viseme = viseme
                    yield Event("viseme", offset=self.ticks(start + sample), viseme=viseme)
                self.samples += step.samples
                if step.data:
                    yield Event("audio", data=step.data)
            if not self.cancelled:
                tail = await self.run("tts-encoder", self.encoder.finish)
                if tail:
                    yield Event("audio", data=tail)
        finally:
            if self.cancelled:
                self.encoder.close()

    def _step(self, unit: Unit) -> _Step:
        """In the inference pool: the engine, the output rate, the volume, the encoder."""
        rate = self.fmt.sample_rate
        words: list[tuple[str, int, int]] = []
        visemes: list[tuple[int, int]] = []
        if unit.kind == "silence":
            pcm = np.zeros(int(rate * unit.ms / 1000), dtype=np.int16)
            visemes.append((SILENCE, 0))
        else:
            assert unit.voice is not None
            engine = unit.voice.get()
            if unit.phonemes is not None and hasattr(engine, "synthesize") and unit.voice.engine == "piper":
                audio = engine.synthesize(unit.text, unit.prosody, phonemes=unit.phonemes)
            else:
                audio = engine.synthesize(unit.text, unit.prosody)
            pcm = formats.resample(audio.pcm, audio.sample_rate, rate)
            if unit.prosody.volume < 1.0:
                pcm = (pcm.astype(np.float32) * unit.prosody.volume).astype(np.int16)
            scale = rate / audio.sample_rate
            for word in _merged(audio.words):
                text = unit.text[word[0]:word[0] + word[1]]
                if text.strip():
                    words.append((text, int(word[2] * scale), int(word[3] * scale)))
            visemes = [(v.viseme, int(v.sample * scale)) for v in timeline(audio.phonemes, len(audio.pcm))]
        room = self.max_samples - self.samples
        if len(pcm) > room:
            pcm = pcm[:max(0, room)]
            self.truncated = True
            log.info("Synthesised audio reached %.0f s: the rest of the text is not spoken",
                     self.max_samples / rate)
        return _Step(self.encoder.feed(pcm), len(pcm), [w for w in words if w[1] < len(pcm)],
                     [v for v in visemes if v[1] < len(pcm)])


def _merged(words: list[Any]) -> list[tuple[int, int, int, int]]:
    """Word times with the words an engine reports twice ("42" as forty + two) made one."""
    out: list[tuple[int, int, int, int]] = []
    for w in sorted(words, key=lambda w: (w.sample, w.start)):
        if out and w.start < out[-1][0] + out[-1][1]:
            start, length, sample, samples = out[-1]
            end = max(start + length, w.start + w.length)
            out[-1] = (start, end - start, sample, max(samples, w.sample + w.samples - sample))
            continue
        out.append((w.start, w.length, w.sample, w.samples))
    return out
