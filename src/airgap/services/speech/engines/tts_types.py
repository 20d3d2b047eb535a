"""What the text-to-speech engines share: prosody in, audio and word times out. No HTTP."""

from __future__ import annotations

import re
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
    """Mono 16-bit PCM of one spoken piece, with the times of its words and phonemes."""

    pcm: np.ndarray  # int16
    sample_rate: int
    words: list[WordTime] = field(default_factory=list)
    # (IPA phoneme, sample where it starts), in time order; "" is a pause. Empty: the engine has none.
    phonemes: list[tuple[str, int]] = field(default_factory=list)

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


def transfer_words(words: list[tuple[int, int, int]], reference: np.ndarray, target: np.ndarray,
                   text: str | None = None) -> list[WordTime]:
    """Word times of ``target`` estimated from those of ``reference``, the same text spoken by another
    engine (espeak-ng, which reports them): each word keeps its share of the speech, from the first
    loud sample to the last. ``words`` are ``(start, length, sample)`` in ``reference`` (with ``text``:
    espeak-ng's events, completed by ``words_of``)."""
    if text is not None:
        words = words_of(text, words)
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


def transfer_phonemes(phonemes: list[tuple[str, int]], reference: np.ndarray, reference_words: list[int],
                      target: np.ndarray, target_words: list[int]) -> list[tuple[str, int]]:
    """Phoneme times of ``target`` estimated from those of ``reference`` (espeak-ng speaking the same
    text): inside each word, a phoneme keeps its share of the word's duration in ``reference``; the
    words themselves start where ``transfer_words`` put them (``reference_words``/``target_words``:
    the start samples of the same words in each). The speech edges and the ends of the audio are
    anchors too, so pauses before, between and after the words follow."""
    if not phonemes or not len(reference) or not len(target):
        return []
    ref_start, ref_end = speech_span(reference)
    tgt_start, tgt_end = speech_span(target)
    anchors = [(0, 0), (ref_start, tgt_start)]
    anchors += list(zip(reference_words, target_words, strict=False))
    anchors += [(ref_end, tgt_end), (len(reference), len(target))]
    xs: list[float] = []
    ys: list[float] = []
    for x, y in sorted(anchors):
        if xs and (x <= xs[-1] or y < ys[-1]):
            continue  # keep the map increasing
        xs.append(float(x))
        ys.append(float(y))
    # Words start at the first loud sample at the earliest (transfer_words): so do their phonemes.
    mapped = np.interp([float(max(sample, ref_start) if phoneme else sample) for phoneme, sample in phonemes], xs, ys)
    return [(phoneme, int(round(at))) for (phoneme, _), at in zip(phonemes, mapped, strict=True)]


def spread_phonemes(phonemes: list[str], target: np.ndarray) -> list[tuple[str, int]]:
    """Phonemes given without times (SSML ``phoneme``) spread evenly over the speech of ``target``:
    silence before and after it, then one equal share each."""
    start, end = speech_span(target)
    spoken = [p for p in phonemes if p]
    if not spoken or end <= start:
        return []
    step = (end - start) / len(spoken)
    out = [("", 0)] if start > 0 else []
    out += [(p, int(round(start + i * step))) for i, p in enumerate(spoken)]
    if end < len(target):
        out.append(("", end))
    return out


_TOKEN = re.compile(r"\w(?:[\w'’.-]*\w)?")


def words_of(text: str, events: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Every word of ``text`` as ``(start, length, sample)``, from an engine's word events.

    espeak-ng reports some words twice ("42": forty, two) and some not at all ("of the" is one word
    to it): each word takes the first event inside it, and words without one share the time of the
    word before them in proportion to their length."""
    tokens = [(m.start(), m.end() - m.start()) for m in _TOKEN.finditer(text)]
    if not tokens or not events:
        return []
    samples: list[int | None] = [None] * len(tokens)
    for start, _, sample in sorted(events, key=lambda e: e[2]):
        for i, (t_start, t_len) in enumerate(tokens):
            if t_start <= start < t_start + t_len or (start < t_start and samples[i] is None and
                                                      (i == 0 or tokens[i - 1][0] + tokens[i - 1][1] <= start)):
                if samples[i] is None:
                    samples[i] = sample
                break
    if samples[0] is None:
        samples[0] = min(e[2] for e in events)
    end_sample = max(e[2] for e in events)
    i = 0
    while i < len(tokens):
        j = i + 1
        while j < len(tokens) and samples[j] is None:
            j += 1
        if j > i + 1:  # tokens i+1 .. j-1 have no time: share the span of i up to the next timed word
            stop = samples[j] if j < len(tokens) else None
            begin = samples[i]
            assert begin is not None
            if stop is None or stop <= begin:
                stop = max(end_sample, begin) if j == len(tokens) else begin
                if stop <= begin:
                    stop = begin + 1
            lengths = [tokens[k][1] for k in range(i, j)]
            total = sum(lengths)
            position = float(begin)
            for k in range(i, j):
                samples[k] = int(round(position))
                position += (stop - begin) * tokens[k][1] / total
        i = j
    return [(start, length, int(sample or 0)) for (start, length), sample in zip(tokens, samples, strict=True)]
