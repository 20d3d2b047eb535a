"""The words of a laid-out document as field extraction sees them, and the fields it returns.

A line is cut into segments where a gap between two words is twice its type size: a
column gutter, the space between a label and a value set apart, a right-aligned amount.
Selection marks and barcodes are not words. Fields keep the words they were read from, so
their content, spans and regions point at the document exactly.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from airgap.services.document.engines.parsers import fold
from airgap.services.document.layout import Layout, Span

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    text: str
    span: Span
    box: Box
    page: int
    line: int  # index of its line in the document
    confidence: float


@dataclass(frozen=True)
class Segment:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return union([w.box for w in self.words])

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def line(self) -> int:
        return self.words[0].line

    @property
    def height(self) -> float:
        return statistics.median(w.box[3] - w.box[1] for w in self.words)


@dataclass
class Field:
    """One extracted field: `kind` is Azure's field type (string, date, time, number, currency,
    address, phoneNumber, array, object); `value` its normalised value (a Money, an address
    dict, a list or dict of Fields), None when only the content could be read."""
    kind: str
    value: Any
    words: tuple[Word, ...] = ()
    confidence: float | None = None
    content: str | None = None
    # The raw evidence score before calibration (engines/calibration.py); never on the wire.
    evidence: float | None = None

    def __post_init__(self) -> None:
        if self.content is None and self.words:
            self.content = " ".join(w.text for w in self.words)


@dataclass
class Document:
    """What a prebuilt model found: Azure's docType, its fields and its confidence."""
    doc_type: str
    fields: dict[str, Field] = field(default_factory=dict)
    confidence: float = 0.0


def union(boxes: list[Box]) -> Box:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _box(polygon) -> Box:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


class Page:
    def __init__(self, number: int, width: float, height: float, lines: list[list[Word]]) -> None:
        self.number, self.width, self.height = number, width, height
        self.lines = [line for line in lines if line]
        self.segments = [segment for line in self.lines for segment in split_line(line)]


def pages(layout: Layout) -> list[Page]:
    found = []
    index = 0
    for laid in layout.pages:
        lines = []
        for line in laid.lines:
            lines.append([Word(w.text, w.span, _box(w.polygon), laid.page.number, index, w.confidence)
                          for w in line.words if w.text.strip()])
            index += 1
        found.append(Page(laid.page.number, laid.page.width, laid.page.height, lines))
    return found


def split_line(words: list[Word]) -> list[Segment]:
    """Runs of a line's words with no gap wider than twice the type size between them (a
    monospaced till roll spaces its words a whole character apart)."""
    ordered = sorted(words, key=lambda w: w.box[0])
    size = statistics.median(w.box[3] - w.box[1] for w in ordered)
    runs: list[list[Word]] = [[ordered[0]]]
    for word in ordered[1:]:
        gap = word.box[0] - runs[-1][-1].box[2]
        if gap > 2.0 * size:
            runs.append([word])
        else:
            runs[-1].append(word)
    return [Segment(tuple(run)) for run in runs]


# -- labels ----------------------------------------------------------------------------------------

_NUMERO = {"no", "nr", "n°", "n", "num", "#", "number", "numero", "nummer", "nro"}


def label_tokens(text: str) -> list[str]:
    """Folded words of a label, numero marks made alike ("Invoice #", "Invoice No.", "n°" -> no);
    a colon, a dot or a hash stuck to a word is dropped."""
    tokens = []
    for raw in fold(text).replace("n°", "n° ").replace("#", " # ").replace("/", " ").split():
        token = raw.strip(":.,;()")
        if not token:
            continue
        tokens.append("no" if token in _NUMERO else token)
    return tokens


@dataclass(frozen=True)
class Anchor:
    """A label found at the start of a segment; `rest` are the segment's words after it."""
    name: str
    label: str
    language: str
    segment: Segment
    label_words: tuple[Word, ...]
    rest: tuple[Word, ...]


def same_token(a: str, b: str) -> bool:
    """Equal, or one OCR slip apart in a long word ("7wischensumme", "descripcién")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.84


def same_tokens(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all(same_token(x, y) for x, y in zip(a, b, strict=True))


def _word_tokens(word: Word) -> list[str]:
    return label_tokens(word.text)


def find_anchors(segments: list[Segment], labels: dict[str, dict[str, list[str]]]) -> list[Anchor]:
    """Every segment that starts with a label, matched to its longest label (one per segment)."""
    table = sorted(((label_tokens(label), name, label, language) for name, by_language in labels.items()
                    for language, names in by_language.items() for label in names),
                   key=lambda entry: -len(entry[0]))
    anchors = []
    for segment in segments:
        tokens: list[tuple[str, int]] = []  # (token, index of its word)
        for i, word in enumerate(segment.words):
            tokens += [(t, i) for t in _word_tokens(word)]
        if not tokens:
            continue
        for label, name, text, language in table:
            if not same_tokens([t for t, _ in tokens[:len(label)]], label):
                continue
            last_word = tokens[len(label) - 1][1]
            # The label must end at a word boundary: "Total" is no label of "Totalbetrag".
            next_tokens = [t for t, i in tokens[len(label):] if i == last_word]
            if next_tokens:
                continue
            anchors.append(Anchor(name, text, language, segment, segment.words[:last_word + 1],
                                  segment.words[last_word + 1:]))
            break
    return anchors


def starts_with_label(text: str, labels: list[str]) -> bool:
    tokens = label_tokens(text)
    return any(same_tokens(tokens[:len(t)], t) for t in (label_tokens(label) for label in labels) if t)


def has_digit(text: str) -> bool:
    return re.search(r"\d", text) is not None


def mean_confidence(words: tuple[Word, ...] | list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0
