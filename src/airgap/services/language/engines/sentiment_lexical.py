"""A VADER-style compound score from any word -> valence lexicon (French, German, Spanish).

The same arithmetic as VADER, kept small: each lexicon word's valence, raised by a booster
just before it ("très", "sehr", "muy"), flipped and damped by a negator in the three words
before it ("pas bon", "nicht gut", "no funciona"; German also "gefällt mir nicht", a negator
right after), summed, and normalised to -1..1 by s / sqrt(s^2 + 15). A word missing from the
lexicon is looked up again without its inflection ending ("aimables" -> "aimable").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import regex

_WORD = regex.compile(r"\p{L}+(?:-\p{L}+)*")
_ALPHA = 15.0               # VADER's normalisation constant
_NEGATION_SCALAR = -0.74    # VADER's
_BOOST = 0.293              # VADER's booster increment
_NEGATION_WINDOW = 3
_ENDINGS = ("es", "s", "x", "e", "en", "er", "em", "n", "a", "as", "os", "o")


def normalize(score: float) -> float:
    return score / math.sqrt(score * score + _ALPHA)


def unnormalize(compound: float) -> float:
    """VADER's compound back to its sum of valences, so cue valences can be added to it."""
    compound = max(-0.9999, min(0.9999, compound))
    return compound * math.sqrt(_ALPHA) / math.sqrt(1.0 - compound * compound)


class LexicalScorer:
    def __init__(self, lexicon: Mapping[str, float], negators: frozenset[str], boosters: frozenset[str],
                 negator_after: bool = False) -> None:
        self.lexicon, self.negators, self.boosters = lexicon, negators, boosters
        self.negator_after = negator_after

    def valence_sum(self, text: str) -> float:
        words = [w.lower() for w in _WORD.findall(text)]
        total = 0.0
        for i, word in enumerate(words):
            valence = self._valence(word)
            if not valence:
                continue
            if i > 0 and words[i - 1] in self.boosters:
                valence += _BOOST if valence > 0 else -_BOOST
            before = words[max(0, i - _NEGATION_WINDOW):i]
            after = words[i + 1:i + 3] if self.negator_after else []
            if any(w in self.negators for w in before) or any(w in self.negators for w in after):
                valence *= _NEGATION_SCALAR
            total += valence
        return total

    def compound(self, text: str) -> float:
        return normalize(self.valence_sum(text))

    def _valence(self, word: str) -> float | None:
        value = self.lexicon.get(word)
        if value is not None:
            return value
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                value = self.lexicon.get(word[: -len(ending)])
                if value is not None:
                    return value
        return None
