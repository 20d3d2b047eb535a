"""Entity spans as engines report them, and the one rule that settles overlaps.

Engines speak code-point offsets into the document text and Azure's category
names; the wire layer converts offsets to the requested string index type.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

import regex

_GRAPHEME = regex.compile(r"\X")

# Who wins an overlap: a checksum- or grammar-validated pattern (card, IBAN, e-mail)
# is more reliable than a plain regex, which is more reliable than the statistical NER.
VALIDATED, PATTERN, STATISTICAL = 3, 2, 1


@dataclass(frozen=True)
class EntitySpan:
    """One entity: ``text[start:end]`` in code points, Azure category, confidence in (0, 1]."""

    start: int
    end: int
    category: str
    subcategory: str | None
    confidence: float
    priority: int = STATISTICAL


def snap_to_graphemes(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """Widen spans that start or end inside a grapheme (a skin-tone modifier split from its emoji).

    Models tokenise by code point; a client counting text elements could not
    represent such a span, and its text would not be what the user sees.
    """
    if text.isascii() or not spans:
        return spans
    bounds = [m.start() for m in _GRAPHEME.finditer(text)] + [len(text)]
    out = []
    for span in spans:
        start = bounds[bisect_right(bounds, span.start) - 1]
        end = bounds[bisect_left(bounds, span.end)]
        out.append(span if (start, end) == (span.start, span.end) else replace(span, start=start, end=end))
    return out


def resolve_overlaps(spans: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Keep non-overlapping spans, the most reliable (then the longest) first; in text order."""
    ranked = sorted(spans, key=lambda s: (-s.priority, -(s.end - s.start), -s.confidence, s.start))
    kept: list[EntitySpan] = []
    for span in ranked:
        if span.end > span.start and all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))
