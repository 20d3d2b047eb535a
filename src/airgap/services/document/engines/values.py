"""Reading typed values next to their labels: the words after a label, the segment to its right
on the same line, or the one below it; and the document's conventions (decimal comma,
day-first dates, country for phone numbers, currency) from what it prints."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from airgap.services.document.engines.parsers import (
    SYMBOLS,
    Money,
    find_date,
    find_phone,
    find_time,
    has_cents,
    parse_amount,
)
from airgap.services.document.engines.words import Anchor, Field, Page, Segment, Word

REGIONS = {"en": "US", "de": "DE", "fr": "FR", "es": "ES"}


@dataclass(frozen=True)
class Conventions:
    language: str
    decimal_comma: bool
    day_first: bool
    region: str
    currency: str | None  # the code of the currency the document prints, when it shows one


def conventions(pages: list[Page], anchors: list[Anchor]) -> Conventions:
    text = "\n".join(s.text for page in pages for s in page.segments)
    languages = Counter(a.language for a in anchors if a.language != "en" or len(a.label) > 3)
    # Labels shared across languages ("total", "date") count for English only when nothing else matched.
    language = next((lang for lang, _ in languages.most_common() if lang != "en"), None) or "en"
    commas = len(re.findall(r"\d,\d{2}(?!\d)", text))
    dots = len(re.findall(r"\d\.\d{2}(?!\d)", text))
    decimal_comma = commas > dots or (commas == dots and language != "en")
    marks = Counter()
    for symbol, code in SYMBOLS.items():
        if len(symbol) == 1:
            marks[code] += text.count(symbol)
    for code in ("USD", "EUR", "GBP", "CAD", "AUD", "CHF"):
        marks[code] += len(re.findall(rf"\b{code}\b", text))
    currency = marks.most_common(1)[0][0] if marks and marks.most_common(1)[0][1] else None
    region = "GB" if currency == "GBP" and language == "en" else REGIONS.get(language, "US")
    day_first = language != "en" or currency in ("GBP", "EUR", "AUD")
    return Conventions(language, decimal_comma, day_first, region, currency)


# -- where a value is ------------------------------------------------------------------------------

def right_of(segment: Segment, page: Page) -> Segment | None:
    """The nearest segment to the right on the same line (vertically overlapping)."""
    top, bottom = segment.box[1], segment.box[3]
    found = [s for s in page.segments if s is not segment and s.box[0] >= segment.box[2] - 1e-6
             and min(bottom, s.box[3]) - max(top, s.box[1]) > 0.4 * min(bottom - top, s.box[3] - s.box[1])]
    return min(found, key=lambda s: s.box[0], default=None)


def below(segment: Segment, page: Page, lines: float = 2.6) -> Segment | None:
    """The nearest segment under `segment` that overlaps it horizontally, within `lines` line
    heights (a value printed under its label, an address under a name)."""
    left, top, right, bottom = segment.box
    height = bottom - top
    found = [s for s in page.segments if s.box[1] > bottom - 0.3 * height and s.box[1] - bottom < lines * height
             and min(right, s.box[2]) - max(left, s.box[0]) > 0]
    return min(found, key=lambda s: (s.box[1], abs(s.box[0] - left)), default=None)


def candidates(anchor: Anchor, page: Page, *, down: bool = True) -> list[tuple[tuple[Word, ...], float]]:
    """Where the value of a label may be, best first, with how sure that place is: the label's
    own segment, the segment to its right, the segment below it."""
    found: list[tuple[tuple[Word, ...], float]] = []
    if anchor.rest:
        found.append((anchor.rest, 1.0))
    right = right_of(anchor.segment, page)
    if right is not None:
        found.append((right.words, 0.95))
    if down:
        under = below(anchor.segment, page)
        if under is not None:
            found.append((under.words, 0.85))
    return found


# -- typed values in a run of words ----------------------------------------------------------------

def _joined(words: tuple[Word, ...]) -> tuple[str, list[tuple[int, int]]]:
    text, ranges, cursor = [], [], 0
    for word in words:
        if text:
            cursor += 1
        ranges.append((cursor, cursor + len(word.text)))
        text.append(word.text)
        cursor += len(word.text)
    return " ".join(text), ranges


def _words_in(words: tuple[Word, ...], ranges: list[tuple[int, int]], start: int, end: int) -> tuple[Word, ...]:
    return tuple(w for w, (a, b) in zip(words, ranges, strict=True) if a < end and b > start)


def amount_in(words: tuple[Word, ...], conv: Conventions, *, last: bool = True,
              cents: bool = True) -> tuple[Money, tuple[Word, ...]] | None:
    """An amount printed in `words` (the last one by default: "Tax 8% 39.15"), possibly across
    words ("1 234,56 €", "$ 12.00"); a number followed by % is a rate, not an amount."""
    found = []
    n = len(words)
    i = 0
    while i < n:
        best = None
        for j in range(min(n, i + 3), i, -1):
            window = words[i:j]
            # OCR splits a printed amount at its decimal mark at times: "14. 00".
            text = re.sub(r"(\d[.,]) (\d{2})$", r"\1\2", " ".join(w.text for w in window))
            if "%" in text or (j < n and words[j].text.startswith("%")):
                continue
            money = parse_amount(text.rstrip(":"), conv.decimal_comma)
            if money is not None and (not cents or has_cents(text)):
                best = (money, window, j)
                break
        if best is None:
            i += 1
            continue
        found.append(best[:2])
        i = best[2]
    if not found:
        return None
    money, window = found[-1] if last else found[0]
    return money, window


def currency_field(money: Money, words: tuple[Word, ...], conv: Conventions, confidence: float) -> Field:
    code = money.code or conv.currency
    return Field("currency", Money(money.amount, money.symbol, code), words, confidence)


def date_in(words: tuple[Word, ...], conv: Conventions) -> tuple[str, tuple[Word, ...]] | None:
    text, ranges = _joined(words)
    found = find_date(text, conv.day_first)
    if found is None:
        return None
    iso, start, end = found
    return iso, _words_in(words, ranges, start, end)


def time_in(words: tuple[Word, ...]) -> tuple[str, tuple[Word, ...]] | None:
    text, ranges = _joined(words)
    found = find_time(text)
    if found is None:
        return None
    value, start, end = found
    return value, _words_in(words, ranges, start, end)


def phone_in(words: tuple[Word, ...], conv: Conventions) -> tuple[str, tuple[Word, ...]] | None:
    text, ranges = _joined(words)
    found = find_phone(text, conv.region)
    if found is None:
        return None
    value, start, end = found
    return value, _words_in(words, ranges, start, end)
