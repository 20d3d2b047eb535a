"""Sentence rules around a lexicon score: what the words say is not always what the text means.

``SentenceRules(cues).read(text)`` returns a ``Reading``: the text with the opinion-free parts
masked (politeness formulas, legal and clinical register, negated findings: "denies chest pain"
is a normal finding, not a complaint), the valence of cue phrases the lexicon has no word for
(implicit complaints, good and bad outcomes), and flags for sarcasm, information requests and
interjection-only sentences ("Great.") that the document rule needs. The clauses a contrast word
joins ("..., but ...") are returned so a sentence holding both opinions can make its document
``mixed``. Cues are per language (``sentiment_cues``); nothing here knows a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import regex

from airgap.services.language.engines.sentiment_cues import Cues

# Valence (VADER's -4..4 scale) of one matched cue phrase: an implicit complaint weighs like
# "disappointed" (-1.9), a good outcome like "pleased" (+1.9).
_CUE_VALENCE = 2.0


@dataclass(frozen=True)
class Reading:
    masked: str                     # the text with opinion-free spans blanked (same length)
    valence: float                  # cue phrases' valence to add to the lexicon's
    clauses: tuple[tuple[str, float], ...]  # (masked clause, its cue valence), split at contrast words
    sarcastic: bool
    request: bool                   # a question asking for information
    interjection: bool              # the sentence is only a praise word or two ("Great.")
    complaint: bool                 # an implicit complaint or bad outcome matched


def _alternation(patterns: tuple[str, ...], anchored: bool = False) -> regex.Pattern | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in patterns)
    if anchored:
        return regex.compile(rf"^\W*(?:{body})", regex.IGNORECASE)
    # Whole words only; a pattern may begin or end with a non-word character (emoji, quotes).
    return regex.compile(rf"(?<![\w])(?:{body})(?![\w])", regex.IGNORECASE | regex.MULTILINE)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


class SentenceRules:
    def __init__(self, cues: Cues) -> None:
        self.cues = cues
        self._mask = _alternation(cues.formulas + cues.boilerplate)
        self._negated = _alternation(cues.negated_findings)
        self._complaints = _alternation(cues.complaints + cues.bad_outcomes)
        self._praise = _alternation(cues.praise)
        self._sarcasm = _alternation(cues.sarcasm)
        self._request = _alternation(cues.requests, anchored=True)
        self._contrast = _alternation(cues.contrast)
        self._interjection = (regex.compile(
            rf"^\W*(?:(?:{'|'.join(cues.interjections)})\W*){{1,3}}$", regex.IGNORECASE) if cues.interjections else None)

    def read(self, text: str) -> Reading:
        masked = text
        found: list[tuple[int, float]] = []
        complaint = False
        # Cue phrases first, on the original text, then blanked so their words do not count twice.
        for pattern, sign in ((self._complaints, -1.0), (self._praise, 1.0)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                found.append((m.start(), sign * _CUE_VALENCE))
                complaint = complaint or sign < 0
                masked = _blank(masked, m.start(), m.end())
        if self._negated is not None:
            for m in self._negated.finditer(masked):
                masked = _blank(masked, m.start(), _clause_end(masked, m.end()))
        if self._mask is not None:
            for m in self._mask.finditer(masked):
                masked = _blank(masked, m.start(), m.end())
        sarcastic = bool(self._sarcasm and self._sarcasm.search(text))
        request = bool(text.rstrip().endswith("?") and self._request and self._request.search(text)) or bool(
            text.lstrip().startswith("¿") and self._request and self._request.search(text))
        interjection = bool(self._interjection and self._interjection.match(text.strip()))
        valence = sum(v for _, v in found)
        return Reading(masked, valence, self._clauses(masked, found), sarcastic, request, interjection, complaint)

    def contrast_clauses(self, text: str) -> list[str]:
        """``text`` cut before each contrast word ("..., but ..."), blank pieces dropped."""
        cuts = [0] + ([m.start() for m in self._contrast.finditer(text)] if self._contrast else []) + [len(text)]
        return [text[a:b] for a, b in pairwise(cuts) if text[a:b].strip(" ,;:.!?-–")]

    def _clauses(self, masked: str, found: list[tuple[int, float]]) -> tuple[tuple[str, float], ...]:
        cuts = [0] + ([m.start() for m in self._contrast.finditer(masked)] if self._contrast else []) + [len(masked)]
        clauses = []
        for a, b in pairwise(cuts):
            if masked[a:b].strip() or any(a <= at < b for at, _ in found):
                clauses.append((masked[a:b], sum(v for at, v in found if a <= at < b)))
        return tuple(clauses)


_CLAUSE_END = regex.compile(r"[.;:!?]|\b(?:but|mais|aber|pero|however|jedoch|sin embargo)\b", regex.IGNORECASE)


def _clause_end(text: str, start: int) -> int:
    m = _CLAUSE_END.search(text, start)
    return m.start() if m else len(text)
