"""Sentiment lexicons for French, German and Spanish, as shipped in ``lexicons/`` beside this module.

Each lexicon maps a lower-case word form to a valence on VADER's -4..4 scale, so one scorer
(``sentiment_lexical``) and one set of thresholds serve every language:

- French: the Pattern subjectivity lexicon (``fr-sentiment.xml``, PDDL; De Smedt & Daelemans),
  polarity -1..1, mostly adjectives; as packaged in ``textblob-fr`` 0.2.0.
- German: the German Polarity Lexicon (Klenner et al., Apache-2.0) in Pattern's format
  (``de-sentiment.xml``), as packaged in ``textblob-de`` 0.4.3.
- Spanish: a lexicon written by hand for this project (``es_hand_written_lexicon.txt``, ~780
  lemmas expanded to their inflected forms by ``sentiment_lexicon_es``): no hand-rated Spanish
  lexicon ships in a wheel, and the graph-induced list alone rates "tiempo", "niños" and
  "puerto" negative and "servicio" positive.
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

from airgap.services.language.engines import sentiment_lexicon_es

# Pattern polarities (-1..1) are mostly 0.2-0.8; x3 puts "bon" (0.7) near VADER's "good" (1.9).
_PATTERN_SCALE = 3.0
# A graph-induced ±1 word counts for less than a hand-rated one. Spanish has ~780 hand-rated
# lemmas of its own, and the induced list there is the noisier ("tiempo" -1, "servicio" +1): it
# only fills gaps (dev half when the Spanish lexicon came in: 0.864 at 1.2, 0.896 at 0.6, 0.903
# at 0.3 and at 0).
_INDUCED_VALENCE = 1.2
_INDUCED_VALENCE_BY_LANGUAGE = {"es": 0.3}

LEXICONS = Path(__file__).with_name("lexicons")

_SOURCES: dict[str, tuple[str, ...]] = {
    "fr": ("fr-sentiment.xml",),
    "de": ("de-sentiment.xml",),
    "es": ("es_hand_written_lexicon.txt",),
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
    weight = _INDUCED_VALENCE_BY_LANGUAGE.get(language, _INDUCED_VALENCE)
    for line in induced.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition("\t")
        word = word.strip().lower()
        if word and value.strip() and word not in stop_words and len(word) > 2:
            table[word] = weight * (1.0 if float(value) > 0 else -1.0)
    for name in _SOURCES[language]:
        if name.endswith(".xml"):
            table.update(_pattern_xml(LEXICONS / name))
        else:  # a hand-written lemma list (Spanish), expanded to its word forms
            table.update(sentiment_lexicon_es.load(LEXICONS / name))
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
