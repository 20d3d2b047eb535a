"""Roles written as compound nouns (English PII): "truck driver", "office manager", "claims adjuster".

The role word list knows the head ("driver", "manager"); the noun before it says which one, and a
role hidden without it leaves "truck ****** " readable. The tagger tells a noun ("truck") from an
adjective ("angry customer") or a verb, so a role is widened over the one or two lower-case nouns
written right before it, or a department's acronym ("HR manager"). Times and quantities ("each month
tenants") are not part of a role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from airgap.engines.entity_spans import EntitySpan

# Nouns that say when or how much, not which role: "each month tenants", "two days nurses".
_NOT_A_ROLE_NOUN = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years", "time", "times",
                              "today", "tonight", "tomorrow", "yesterday", "morning", "evening", "afternoon",
                              "hour", "hours", "minute", "minutes", "lot", "lots", "bit", "number", "percent",
                              "thanks", "please", "re", "cc", "fyi"})
_MAX_NOUNS = 2


def role_compounds(text: str, doc, kept: Sequence[EntitySpan]) -> list[EntitySpan]:  # noqa: ANN001 (a spaCy Doc)
    """``kept`` with each PersonType widened over the compound nouns written before it."""
    starts = {t.idx: t.i for t in doc}
    out = []
    for span in kept:
        if span.category == "PersonType" and span.start in starts:
            start = _compound_start(doc, starts[span.start], kept, span)
            if start != span.start:
                span = replace(span, start=start)
        out.append(span)
    return out


def _compound_start(doc, i: int, kept: Sequence[EntitySpan], span: EntitySpan) -> int:  # noqa: ANN001
    start = span.start
    for _ in range(_MAX_NOUNS):
        if i == 0:
            break
        before = doc[i - 1]
        if before.whitespace_ != " " or not before.text.isalpha() or before.text in _NOT_A_ROLE_NOUN:
            break
        # a lower-case noun ("truck driver") or a department's acronym ("HR manager", "ICU nurse")
        if not ((before.tag_ in ("NN", "NNS") and before.text.islower())
                or (2 <= len(before.text) <= 3 and before.text.isupper() and before.tag_ in ("NN", "NNP"))):
            break
        if any(k is not span and k.start < start and before.idx < k.end for k in kept):
            break  # the noun belongs to another entity
        start, i = before.idx, i - 1
    return start
