"""Word error rate of speech to text on generated speech, guarded at a floor (per model).

The set cycles through espeak-ng and Flite voices, accents and speeds, a quarter of it with white
noise at 15 dB SNR. The full measurement (more clips, both beams, RTF) is bench/speech_stt.py;
figures in docs/models.md. A floor is what the model reached here plus a margin: a drop below it
is a regression (a broken segmenter, resampler or decoder option), not noise.
"""

from __future__ import annotations

import asyncio

import pytest

from airgap.services.speech.recognition import Recognizers, recognize_clip
from airgap.services.speech.settings import SpeechSettings
from tests.speech.clips import quality_set, word_errors
from tests.speech.conftest import as_float, direct

# model -> (clips, offset into the sentence list, highest WER accepted)
FLOORS = {"tiny.en": (24, 0, 0.12), "base": (12, 24, 0.20)}  # measured: 7.0 % and 13.4 %


def _wer(recognizers: Recognizers, count: int, offset: int) -> tuple[float, list[tuple[str, str]]]:
    edits = words = 0
    worst = []
    choice = recognizers.choose("en-US")
    for clip in quality_set(count, noisy_every=4, offset=offset):
        events, _ = asyncio.run(recognize_clip(as_float(clip.samples), choice, direct, recognizers, single=False))
        text = " ".join(e.utterance.display for e in events if e.kind == "phrase")
        e, n = word_errors(clip.text, text)
        edits, words = edits + e, words + n
        if e:
            worst.append((clip.text, text))
    return edits / words, worst


@pytest.mark.parametrize("model", sorted(FLOORS))
def test_word_error_rate_is_at_or_below_the_floor(model, recognizers):
    count, offset, floor = FLOORS[model]
    if model == recognizers.settings.model:
        loaded = recognizers
    else:
        loaded = Recognizers(SpeechSettings(model=model), workers=1)
        loaded.load()
    wer, misses = _wer(loaded, count, offset)
    print(f"{model}: WER {wer:.1%} on {count} clips")
    assert wer <= floor, f"{model} WER {wer:.1%} > floor {floor:.0%}; misses: {misses[:5]}"
