"""What the text-to-speech engines share: prosody in, audio and word times out. No HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class SynthesisError(Exception):
    """An engine could not speak a text (its process is down, a voice file is broken)."""


@dataclass(frozen=True)
class Prosody:
    """How to speak: ``rate`` and ``pitch`` are factors of the voice's own (1.0 = as it is),
    ``volume`` a gain from 0 to 1 (1 = the engine's level)."""

    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0


@dataclass(frozen=True)
class WordTime:
    """A word of the spoken text: ``start``/``length`` in code points of that text, the sample where it
    starts and how many samples it lasts."""

    start: int
    length: int
    sample: int
    samples: int


@dataclass
class Audio:
    """Mono 16-bit PCM of one spoken piece, with the times of its words."""

    pcm: np.ndarray  # int16
    sample_rate: int
    words: list[WordTime] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return len(self.pcm) / self.sample_rate


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit PCM."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)


def speech_span(pcm: np.ndarray, threshold: float = 0.02) -> tuple[int, int]:
    """First and last sample (end exclusive) louder than ``threshold`` of full scale: the speech
    without its leading and trailing silence; ``(0, len)`` for silence."""
    if not len(pcm):
        return 0, 0
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold * 32767)
    if not len(loud):
        return 0, len(pcm)
    return int(loud[0]), int(loud[-1]) + 1


def transfer_words(words: list[tuple[int, int, int]], reference: np.ndarray, target: np.ndarray) -> list[WordTime]:
    """Word times of ``target`` estimated from those of ``reference``, the same text spoken by another
    engine (espeak-ng, which reports them): each word keeps its share of the speech, from the first
    loud sample to the last. ``words`` are ``(start, length, sample)`` in ``reference``."""
    if not words:
        return []
    ref_start, ref_end = speech_span(reference)
    tgt_start, tgt_end = speech_span(target)
    ref_span = max(1, ref_end - ref_start)
    scale = (tgt_end - tgt_start) / ref_span
    starts = [tgt_start + max(0, min(ref_span, sample - ref_start)) * scale for _, _, sample in words]
    out = []
    for i, (start, length, _) in enumerate(words):
        begin = int(round(starts[i]))
        end = int(round(starts[i + 1])) if i + 1 < len(words) else tgt_end
        out.append(WordTime(start, length, begin, max(0, end - begin)))
    return out
