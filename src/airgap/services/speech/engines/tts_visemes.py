"""Azure's viseme ids (0-21) from IPA phonemes with their times. No HTTP.

The table is Azure's en-US one ("SSML phonetic alphabets": each IPA phoneme with its viseme ids;
a diphthong such as ``eɪ`` has two, ``4,6``), extended with the nearest mouth position for the IPA
symbols of other languages that espeak-ng writes (``y`` rounded like ``u``, ``x`` at the back like
``k``). Silence and pauses are viseme 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

SILENCE = 0

# Several symbols that make one phoneme: matched before their single letters.
_SEQUENCES: dict[str, tuple[int, ...]] = {
    "eɪ": (4, 6), "oʊ": (8, 4), "əʊ": (1, 4), "aɪ": (11,), "aʊ": (9,), "ɔɪ": (10,), "ɑɪ": (11,),
    "tʃ": (19, 16), "dʒ": (19, 16), "ts": (19, 15), "dz": (19, 15), "ʧ": (19, 16), "ʤ": (19, 16),
}

_SYMBOLS: dict[str, int] = {
    # Vowels (Azure en-US where it lists them).
    "æ": 1, "ə": 1, "ʌ": 1, "ɐ": 1, "ɚ": 1, "ɘ": 1, "a": 2, "ɑ": 2, "ä": 2, "ɔ": 3, "ɒ": 3, "ɶ": 3,
    "ɛ": 4, "e": 4, "ʊ": 4, "œ": 4, "ɤ": 4, "ɜ": 5, "ɝ": 5, "ɞ": 5, "i": 6, "ɪ": 6, "j": 6, "ɨ": 6,
    "ᵻ": 6, "ɯ": 6, "ʝ": 6, "u": 7, "w": 7, "y": 7, "ʏ": 7, "ʉ": 7, "ɥ": 7, "ʍ": 7, "o": 8, "ø": 8,
    "ɵ": 8,
    # Consonants.
    "h": 12, "ɦ": 12, "ç": 12, "ʔ": 12, "ħ": 12, "ʕ": 12, "ɹ": 13, "r": 13, "ɻ": 13, "ɽ": 13,
    "l": 14, "ɫ": 14, "ʎ": 14, "ɬ": 14, "ɮ": 14, "ɭ": 14, "ʟ": 14, "s": 15, "z": 15,
    "ʃ": 16, "ʒ": 16, "ɕ": 16, "ʑ": 16, "ʂ": 16, "ʐ": 16, "ð": 17, "f": 18, "v": 18, "ʋ": 18, "ɱ": 18,
    "d": 19, "t": 19, "n": 19, "θ": 19, "ɾ": 19, "ɲ": 19, "ɳ": 19, "ʈ": 19, "ɖ": 19, "ɗ": 19,
    "k": 20, "g": 20, "ɡ": 20, "ŋ": 20, "x": 20, "ɣ": 20, "q": 20, "ɢ": 20, "χ": 20, "ʁ": 20, "ʀ": 20,
    "c": 20, "ɟ": 20, "ɰ": 20,
    "p": 21, "b": 21, "m": 21, "ɸ": 21, "β": 21, "ɓ": 21,
}


@dataclass(frozen=True)
class VisemeTime:
    viseme: int  # Azure's viseme id, 0-21
    sample: int  # where it starts in the audio it was taken from


def _plain(phoneme: str) -> str:
    """The phoneme without stress, length, tie bars and diacritics (they do not move the lips)."""
    return "".join(ch for ch in phoneme if unicodedata.category(ch) not in ("Mn", "Lm", "Sk"))


def visemes_of(phoneme: str) -> tuple[int, ...]:
    """Azure's viseme ids for one phoneme, in order (``""``, ``"_"``: a pause, ``(0,)``); ``()`` for a
    symbol with no mouth position of its own."""
    text = _plain(phoneme).strip()
    if not text or set(text) <= {"_", " ", "|", "#"}:
        return (SILENCE,)
    out: list[int] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _SEQUENCES:
            out.extend(_SEQUENCES[pair])
            i += 2
            continue
        viseme = _SYMBOLS.get(text[i])
        if viseme is not None:
            out.append(viseme)
        i += 1
    return tuple(out)


def split_ipa(ipa: str) -> list[str]:
    """An IPA string (SSML ``phoneme``) as its phonemes; spaces and punctuation become pauses."""
    text = _plain(ipa)
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _SEQUENCES:
            out.append(pair)
            i += 2
            continue
        ch = text[i]
        if ch in _SYMBOLS:
            out.append(ch)
        elif not ch.isalpha() and (not out or out[-1] != ""):
            out.append("")
        i += 1
    return out


def timeline(phonemes: Sequence[tuple[str, int]], total: int) -> list[VisemeTime]:
    """Viseme times from ``(phoneme, sample)`` pairs in time order, for audio of ``total`` samples.

    The audio before the first phoneme is silence; a phoneme with two visemes (``eɪ``) gives the
    second half its duration; pauses in a row are one silence; times at or past ``total`` are
    dropped."""
    ordered = sorted(phonemes, key=lambda p: p[1])
    out: list[VisemeTime] = [VisemeTime(SILENCE, 0)] if ordered and ordered[0][1] > 0 and total > 0 else []
    for index, (phoneme, sample) in enumerate(ordered):
        ids = visemes_of(phoneme)
        if not ids:
            continue
        end = ordered[index + 1][1] if index + 1 < len(ordered) else total
        span = max(0, end - sample)
        for k, viseme in enumerate(ids):
            at = sample + span * k // len(ids)
            if at >= total or at < 0:
                continue
            if viseme == SILENCE and out and out[-1].viseme == SILENCE:
                continue
            out.append(VisemeTime(viseme, max(at, out[-1].sample if out else 0)))
    return out
