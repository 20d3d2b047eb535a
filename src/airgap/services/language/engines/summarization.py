"""Extractive summarisation: sentences ranked by TextRank over TF-IDF sentence similarity.

Sentences come from sentencex (rule-based, per language, no model files);
each sentence is a TF-IDF vector of its content words (spaCy's stop-word lists,
which ship with spaCy, no pipeline needed; character bigrams for scripts written
without spaces); PageRank over the cosine-similarity graph scores the
sentences. The method is the same for every language; only splitting and stop
words differ.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

_WORD = regex.compile(r"\w+")
# Scripts without spaces between words: a word is not a unit there, character bigrams are.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_DAMPING = 0.85
_ITERATIONS = 100
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class RankedSentence:
    """One sentence of a document: its code-point span, text and 0-1 rank score (1 = most central)."""

    start: int
    end: int
    text: str
    score: float


class TextRankSummarizer:
    name = "textrank-sentencex"
    model_version = "2026-12-01"
    # Languages whose sentence rules and stop words were checked; others get UnsupportedLanguageCode.
    languages = ("en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "nb", "fi", "pl", "cs",
                 "ru", "uk", "tr", "ja", "zh", "ko")

    def __init__(self) -> None:
        self._ready = False
        self._stop_words: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        from sentencex import get_sentence_boundaries

        get_sentence_boundaries("en", "Warm up. Now.")
        for code in self.languages:
            self._stop_words_for(code)
        self._ready = True

    @property
    def ready(self) -> bool:
        return self._ready

    def supports(self, language: str) -> bool:
        return _base(language) in self.languages

    def rank(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[RankedSentence]]:
        """Every sentence of each text, in text order, with its rank score."""
        return [self._rank_one(text, _base(language)) for text, language in zip(texts, languages, strict=True)]

    def _rank_one(self, text: str, language: str) -> list[RankedSentence]:
        spans = split_sentences(text, language)
        if not spans:
            return []
        stop = self._stop_words_for(language)
        scores = textrank([_terms(text[s:e], stop) for s, e in spans])
        return [RankedSentence(s, e, text[s:e], float(score)) for (s, e), score in zip(spans, scores, strict=True)]

    def _stop_words_for(self, language: str) -> frozenset[str]:
        words = self._stop_words.get(language)
        if words is None:
            with self._lock:
                words = self._stop_words.get(language)
                if words is None:
                    words = _spacy_stop_words(language)
                    self._stop_words[language] = words
        return words


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Code-point spans of the sentences, trimmed of surrounding whitespace."""
    from sentencex import get_sentence_boundaries

    spans = []
    for boundary in get_sentence_boundaries(language, text):
        start, end = boundary["start_index"], boundary["end_index"]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def textrank(sentences: Sequence[Sequence[str]]) -> np.ndarray:
    """PageRank scores of sentences (as term lists) over TF-IDF cosine similarity, scaled to max 1."""
    n = len(sentences)
    if n == 1:
        return np.ones(1)
    vocabulary: dict[str, int] = {}
    for terms in sentences:
        for term in terms:
            vocabulary.setdefault(term, len(vocabulary))
    if not vocabulary:
        return np.ones(n)
    counts = np.zeros((n, len(vocabulary)))
    for row, terms in enumerate(sentences):
        for term in terms:
            counts[row, vocabulary[term]] += 1
    document_frequency = np.count_nonzero(counts, axis=0)
    vectors = counts * (np.log((1 + n) / (1 + document_frequency)) + 1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    out_weight = similarity.sum(axis=1, keepdims=True)
    # A sentence that shares nothing with the others spreads its vote evenly (dangling node).
    transition = np.divide(similarity, out_weight, out=np.full_like(similarity, 1.0 / n), where=out_weight > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(_ITERATIONS):
        updated = (1 - _DAMPING) / n + _DAMPING * (transition.T @ scores)
        if np.abs(updated - scores).sum() < _TOLERANCE:
            scores = updated
            break
        scores = updated
    return scores / scores.max()


def _terms(sentence: str, stop_words: frozenset[str]) -> list[str]:
    terms: list[str] = []
    for word in _WORD.findall(sentence.lower()):
        if _UNSPACED.search(word):
            terms.extend(word[i:i + 2] for i in range(max(1, len(word) - 1)))
        elif word not in stop_words and not word.isdigit() and len(word) > 1:
            terms.append(word)
    return terms


def _base(language: str) -> str:
    code = language.replace("_", "-").split("-")[0].lower()
    return "nb" if code == "no" else code


def _spacy_stop_words(language: str) -> frozenset[str]:
    # Only the language's stop-word list is read; no pipeline or model is loaded.
    from spacy.util import get_lang_class

    try:
        return frozenset(get_lang_class(language).Defaults.stop_words)
    except Exception:  # spaCy has no defaults for this language: rank on every word
        return frozenset()
