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

from collections.abc import Callable
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
    # The clauses again, also cut where a separator joins two clauses with no word ("Loved the
    # movie, hated the wait"); empty when the sentence has no such separator.
    pieces: tuple[tuple[str, float], ...] = ()


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
    def __init__(self, cues: Cues, valence: Callable[[str], float] | None = None) -> None:
        self.cues = cues
        # The lexicon's valence of a piece of text, for the words a decrease reverses; without
        # it (or without ``decreases`` cues) nothing is reversed.
        self._valence = valence
        self._decrease = _alternation(cues.decreases) if valence is not None else None
        self._mask = _alternation(cues.formulas + cues.boilerplate)
        self._negated = _alternation(cues.negated_findings)
        self._complaints = _alternation(cues.complaints + cues.bad_outcomes)
        self._praise = _alternation(cues.praise)
        self._sarcasm = _alternation(cues.sarcasm)
        self._request = _alternation(cues.requests, anchored=True)
        self._contrast = _alternation(cues.contrast)
        self._separator = regex.compile("|".join(cues.separators)) if cues.separators else None
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
        if self._decrease is not None:
            found.extend(self._reversed(masked))
        sarcastic = bool(self._sarcasm and self._sarcasm.search(text))
        request = bool(text.rstrip().endswith("?") and self._request and self._request.search(text)) or bool(
            text.lstrip().startswith("¿") and self._request and self._request.search(text))
        interjection = bool(self._interjection and self._interjection.match(text.strip()))
        valence = sum(v for _, v in found)
        return Reading(masked, valence, self._clauses(masked, found), sarcastic, request, interjection, complaint,
                       self._clauses(masked, found, juxtaposed=True))

    def _reversed(self, masked: str) -> list[tuple[int, float]]:
        """A decrease turns the opinion of what decreases: "child poverty fell", "the drug cut the
        risk of death" are good news, "profits fell" bad. For each decrease word not itself
        negated ("has not fallen"), the words before it (its subject) and after it (its object)
        in the same clause have their valence counted the other way: twice its opposite is
        added, as the lexicon has already counted it once."""
        found = []
        for m in self._decrease.finditer(masked):
            before = masked[_clause_start(masked, m.start()):m.start()]
            stop = _CLAUSE_START.search(masked, m.end())
            after = masked[m.end():stop.start() if stop else len(masked)]
            if any(w.lower() in self.cues.negators for w in _WORD.findall(before)[-2:]):
                continue
            subject = " ".join(_WORD.findall(before)[-_BEFORE:])
            target = " ".join(_WORD.findall(after)[:_AFTER])
            value = self._valence(f"{subject} {target}".strip()) if (subject or target) else 0.0
            if value:
                found.append((m.start(), -2.0 * value))
        return found

    def contrast_clauses(self, text: str) -> list[str]:
        """``text`` cut before each contrast word ("..., but ..."), blank pieces dropped."""
        cuts = [0] + ([m.start() for m in self._contrast.finditer(text)] if self._contrast else []) + [len(text)]
        return [text[a:b] for a, b in pairwise(cuts) if text[a:b].strip(" ,;:.!?-–")]

    def _clauses(self, masked: str, found: list[tuple[int, float]],
                 juxtaposed: bool = False) -> tuple[tuple[str, float], ...]:
        cuts = [0] + ([m.start() for m in self._contrast.finditer(masked)] if self._contrast else []) + [len(masked)]
        if juxtaposed:
            extra = self._juxtaposed(masked) if self._separator is not None else []
            if not extra:
                return ()
            cuts = sorted(set(cuts) | set(extra))
        clauses = []
        for a, b in pairwise(cuts):
            if masked[a:b].strip() or any(a <= at < b for at, _ in found):
                clauses.append((masked[a:b], sum(v for at, v in found if a <= at < b)))
        return tuple(clauses)

    def _juxtaposed(self, masked: str) -> list[int]:
        """Cuts at separators between clauses of at least ``_JUXTAPOSED_WORDS`` words each ("Loved
        the movie, hated the wait"): a shorter piece ("Great, another blender that...") is an
        interjection or a list item, not a clause of its own."""
        ends = [m.end() for m in self._separator.finditer(masked)]
        bounds = [0, *ends, len(masked)]
        words = [len(regex.findall(r"\w+", masked[a:b])) for a, b in pairwise(bounds)]
        return [end for i, end in enumerate(ends)
                if words[i] >= _JUXTAPOSED_WORDS and words[i + 1] >= _JUXTAPOSED_WORDS]


# A piece either side of a separator ("," ";") needs this many words to count as a clause.
_JUXTAPOSED_WORDS = 3

# How many words before a decrease word (its subject: "the number of people killed on the roads
# fell") and after it (its object: "cut the risk of death") it reverses.
_BEFORE = 6
_AFTER = 4
_WORD = regex.compile(r"[\w'’-]+")
# Where a decrease's subject starts and its object ends: punctuation, a contrast word or a word
# that joins another clause ("the appeal was successful and the conviction was overturned").
_CLAUSE_START = regex.compile(r"[.;:!?,]|\b(?:but|however|and|or|as|while|after|because|since|so|when|which|that|who"
                              r"|mais|aber|pero|jedoch|sin embargo)\b", regex.IGNORECASE)


def _clause_start(text: str, end: int) -> int:
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, end)]
    return starts[-1] if starts else 0


_CLAUSE_END = regex.compile(r"[.;:!?]|\b(?:but|mais|aber|pero|however|jedoch|sin embargo)\b", regex.IGNORECASE)


def _clause_end(text: str, start: int) -> int:
    m = _CLAUSE_END.search(text, start)
    return m.start() if m else len(text)
