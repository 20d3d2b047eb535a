"""Key phrases: spaCy noun phrases ranked by YAKE's statistical word scores.

YAKE alone proposes any n-gram between stop words, which is often not a
phrase ("platform on Monday", "Microsoft announced"); Azure returns noun
phrases ("cloud platform", "Bill Gates"). So the candidates are the
parser's noun chunks, trimmed of determiners, pronouns and leading adverbs,
and YAKE (lower score = more important) only ranks them. Candidates are
deduplicated by lemma ("hotel" / "hotels") and the best surface form kept.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from airgap.services.language.engines import spacy_pipelines

# Tokens that never start or end a key phrase ("the", "my", "very", "3", ",").
_EDGE_POS = frozenset({"DET", "PRON", "ADV", "PUNCT", "CCONJ", "ADP", "PART", "SYM", "NUM", "SPACE", "X"})
_HEAD_POS = frozenset({"NOUN", "PROPN"})
# YAKE scores n-grams up to this length directly; longer phrases combine word scores.
_MAX_NGRAM = 3
# Azure returns more phrases for longer documents; beyond this they stop being "key".
MAX_PHRASES = 64
# French noun chunks stop at "de" ("la Banque" + "France"): there the named entities
# ("Banque de France") are candidates too, and chunks inside them are dropped.
_ENTITY_CANDIDATES = frozenset({"fr"})
_ENTITY_LABELS = frozenset({"PER", "LOC", "ORG", "PERSON", "GPE", "FAC"})
# YAKE splits words on spaces only, so "l'économie" would be one unknown word: the
# elided article is set apart before scoring (the spaCy tokens already split it).
_ELISION = re.compile(r"\b(qu|[cdjlmnst])(['’])(?=\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    text: str
    score: float  # YAKE-style: lower is more important


class YakeKeyPhraseExtractor:
    name = "yake-noun-phrases"
    model_version = "2026-11-01"

    def __init__(self) -> None:
        self._extractors: dict[str, object] = {}
        self._lock = threading.Lock()
        self._ready = False

    def load(self) -> None:
        # English only: other pipelines are loaded by their first request (see spacy_pipelines).
        spacy_pipelines.get_pipeline("en")
        self._extractor("en")
        self.extract(["Warm up the key phrase extractor."], "en")
        self._ready = True

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def languages(self) -> tuple[str, ...]:
        # Noun chunks need a parser: every language with an installed spaCy pipeline.
        return spacy_pipelines.supported_languages()

    def extract(self, texts: Sequence[str], language: str) -> list[list[str]]:
        nlp = spacy_pipelines.get_pipeline(language)
        if nlp is None:
            raise ValueError(f"no spaCy pipeline for language {language!r}")
        code = language.split("-")[0].lower()
        extractor = self._extractor(code)
        entities = code in _ENTITY_CANDIDATES
        docs = nlp.pipe(texts, disable=[] if entities else ["ner"])
        return [[p.text for p in self._rank(doc, extractor, entities)] for doc in docs]

    def _extractor(self, language: str):
        extractor = self._extractors.get(language)
        if extractor is None:
            with self._lock:
                extractor = self._extractors.get(language)
                if extractor is None:
                    import yake

                    # No deduplication and no cut-off: YAKE only supplies scores here.
                    extractor = yake.KeywordExtractor(lan=language, n=_MAX_NGRAM, dedup_lim=1.0, top=10**9)
                    self._extractors[language] = extractor
        return extractor

    def _rank(self, doc, extractor, entities: bool = False) -> list[Phrase]:
        text = _ELISION.sub(r"\1\2 ", doc.text) if entities else doc.text
        scores = dict(extractor.extract_keywords(text))
        best: dict[tuple[str, ...], Phrase] = {}
        counts: dict[tuple[str, ...], int] = {}
        found = []
        for chunk in (_with_entities(doc) if entities else _candidates(doc)):
            key = tuple(t.lemma_.lower() for t in chunk)
            counts[key] = counts.get(key, 0) + 1
            found.append((key, chunk))
        for key, chunk in found:
            text = chunk.text
            score = scores.get(" ".join(text.lower().split()))
            if score is None:
                score = _combined(chunk, scores, counts[key])
            if score is None:
                continue
            if key not in best or score < best[key].score:
                best[key] = Phrase(text, score)
        return sorted(best.values(), key=lambda p: p.score)[:MAX_PHRASES]


def _candidates(doc):
    """Noun chunks trimmed to their content words, plus proper-noun runs the chunker misses."""
    for chunk in doc.noun_chunks:
        start, end = chunk.start, chunk.end
        while start < end and (doc[start].pos_ in _EDGE_POS or doc[start].is_stop or not _wordy(doc[start])):
            start += 1
        while end > start and (doc[end - 1].pos_ in _EDGE_POS or not _wordy(doc[end - 1])):
            end -= 1
        span = doc[start:end]
        if any(t.pos_ in _HEAD_POS and not t.is_stop and _wordy(t) for t in span) and len(span.text) > 1:
            yield span


def _with_entities(doc):
    names = [e for e in doc.ents if e.label_ in _ENTITY_LABELS]
    for name in names:
        start = name.start
        # "La Seine" -> "Seine", but a capital elided "L'" belongs to the name ("L'Oréal").
        while (start < name.end - 1 and doc[start].pos_ in ("DET", "ADP")
               and not (doc[start].text[:1].isupper() and doc[start].text.endswith(("'", "’")))):
            start += 1
        yield doc[start:name.end]
    for chunk in _candidates(doc):
        if not any(e.start <= chunk.start and chunk.end <= e.end for e in names):
            yield chunk


def _wordy(token) -> bool:
    """Has a letter: the tagger calls emoji and symbols nouns now and then."""
    return any(ch.isalpha() for ch in token.text)


def _combined(span, scores: dict[str, float], tf: int) -> float | None:
    """YAKE's n-gram score from its single-word scores: prod(S) / (tf * (1 + sum(S)))."""
    words = [scores[t.lower_] for t in span if t.lower_ in scores]
    if not words:
        return None
    return math.prod(words) / (tf * (1.0 + sum(words)))
