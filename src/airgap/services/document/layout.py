"""Document layout from read pages: content with spans, paragraphs and their roles,
tables with their cells, and key-value pairs. Plain Python, no Azure JSON.

Every element points into one ``content`` string by code-point spans
(``start``, ``end``); the wire layer converts them to the requested string
index type. Content is the pages' lines in reading order, one per text line,
``\\n`` between lines, so a paragraph's span covers exactly its lines. A
selection mark stands in the content as ``:selected:`` / ``:unselected:``, a
barcode as ``:barcode:`` on a line of its own.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from airgap.ocr.barcodes import Barcode
from airgap.ocr.grids import Grid
from airgap.ocr.types import Page, Polygon, Word, rectangle

Span = tuple[int, int]


@dataclass(frozen=True)
class Region:
    page: int
    polygon: Polygon


@dataclass(frozen=True)
class LaidWord:
    text: str
    polygon: Polygon
    confidence: float
    span: Span


@dataclass(frozen=True)
class LaidLine:
    text: str
    polygon: Polygon
    span: Span
    words: tuple[LaidWord, ...]


@dataclass(frozen=True)
class LaidMark:
    selected: bool
    polygon: Polygon
    confidence: float
    span: Span


@dataclass(frozen=True)
class LaidBarcode:
    kind: str
    value: str
    polygon: Polygon
    confidence: float
    span: Span


@dataclass(frozen=True)
class LaidPage:
    page: Page
    span: Span
    lines: tuple[LaidLine, ...]
    marks: tuple[LaidMark, ...] = ()
    barcodes: tuple[LaidBarcode, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    text: str
    region: Region
    span: Span
    role: str | None = None


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    row_span: int
    column_span: int
    kind: str  # content | columnHeader
    text: str
    region: Region
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Table:
    rows: int
    columns: int
    cells: tuple[Cell, ...]
    region: Region
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class KeyValue:
    key: Paragraph
    value: Paragraph | None
    confidence: float


@dataclass
class Layout:
    content: str
    pages: list[LaidPage]
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    key_values: list[KeyValue] = field(default_factory=list)


def lay_out(pages: list[Page], *, paragraphs: bool = True, tables: bool = True, key_values: bool = False) -> Layout:
    content_parts: list[str] = []
    offset = 0
    laid_pages: list[LaidPage] = []
    for page in pages:
        start = offset
        lines = []
        marks = []
        codes = []
        for polygon, tokens in _rows(page):
            if content_parts:
                content_parts.append("\n")
                offset += 1
            line_start = offset
            words = []
            cursor = line_start
            texts = []
            for i, token in enumerate(tokens):
                if i:
                    cursor += 1  # the space between tokens
                if isinstance(token, Word):
                    text = token.text
                    words.append(LaidWord(text, token.polygon, token.confidence, (cursor, cursor + len(text))))
                elif isinstance(token, Barcode):
                    text = ":barcode:"
                    codes.append(LaidBarcode(token.kind, token.value, token.polygon, token.confidence,
                                             (cursor, cursor + len(text))))
                else:  # a selection mark stands in the content as :selected: / :unselected:
                    text = ":selected:" if token.selected else ":unselected:"
                    marks.append(LaidMark(token.selected, token.polygon, token.confidence, (cursor, cursor + len(text))))
                texts.append(text)
                cursor += len(text)
            text = " ".join(texts)
            content_parts.append(text)
            offset += len(text)
            lines.append(LaidLine(text, polygon, (line_start, offset), tuple(words)))
        laid_pages.append(LaidPage(page, (start if lines else offset, offset), tuple(lines), tuple(marks),
                                   tuple(codes)))
    layout = Layout("".join(content_parts), laid_pages)
    if paragraphs:
        layout.paragraphs = [p for laid in laid_pages for p in _paragraphs(laid)]
    if tables:
        layout.tables = [t for laid in laid_pages for t in _tables(laid)]
    if key_values:
        layout.key_values = [kv for laid in laid_pages for kv in _key_values(laid)]
    return layout


def _rows(page: Page) -> list[tuple[Polygon, list]]:
    """The page's lines with its selection marks placed among their words, left to right;
    a mark beside no line, and every barcode, is a line of its own, in top-to-bottom order."""
    rows: list[tuple[Polygon, list]] = [(line.polygon, list(line.words)) for line in page.lines]
    loose = []
    for mark in page.marks:
        _, y = _centre(mark.polygon)
        near = [r for r in rows if _box(r[0])[1] <= y <= _box(r[0])[3]]
        row = min(near, key=lambda r: abs(_centre(r[0])[1] - y), default=None)
        if row is None:
            loose.append(mark)
            continue
        row[1].append(mark)
    for row in rows:
        row[1].sort(key=lambda token: _box(token.polygon)[0])
    placed = [(_union([row[0], *[t.polygon for t in row[1]]]), row[1]) for row in rows]
    for mark in [*loose, *page.barcodes]:
        top = _box(mark.polygon)[1]
        index = next((i for i, row in enumerate(placed) if _box(row[0])[1] > top), len(placed))
        placed.insert(index, (mark.polygon, [mark]))
    return placed


def _box(polygon: Polygon) -> tuple[float, float, float, float]:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _union(polygons: list[Polygon]) -> Polygon:
    boxes = [_box(p) for p in polygons]
    return rectangle(min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                     max(b[3] for b in boxes))


# -- paragraphs and roles ----------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(page\s*)?\d+(\s*(of|/)\s*\d+)?$", re.IGNORECASE)
_MARGIN = 0.06  # share of the page height that counts as header / footer zone


_DESCENDERS = set("gjpqy,;()[]{}|")


def _text_size(line: LaidLine) -> float:
    """A line's type size: the median height of its words without descenders (a 'p' makes a
    word look bigger; a speck of a ruling line beside a word makes its box taller)."""
    plain = [_box(w.polygon) for w in line.words if not _DESCENDERS & set(w.text)]
    if plain:
        return statistics.median(b[3] - b[1] for b in plain)
    return 0.8 * max((_box(w.polygon)[3] - _box(w.polygon)[1] for w in line.words), default=0.0)


def _in_table(line: LaidLine, page: Page) -> bool:
    x, y = _centre(line.polygon)
    return any(g.box[0] <= x <= g.box[2] and g.box[1] <= y <= g.box[3] for g in page.tables)


def _paragraphs(laid: LaidPage) -> list[Paragraph]:
    if not laid.lines:
        return []
    heights = [_text_size(line) for line in laid.lines]
    in_table = [_in_table(line, laid.page) for line in laid.lines]
    # Lines without words (a check box or a barcode standing alone) have no type size.
    typical = statistics.median([h for h in heights if h] or [0.0])
    groups: list[list[int]] = [[0]]
    for i in range(1, len(laid.lines)):
        previous, current = _box(laid.lines[i - 1].polygon), _box(laid.lines[i].polygon)
        gap = current[1] - previous[3]
        same_size = abs(heights[i] - heights[i - 1]) <= 0.25 * max(heights[i], heights[i - 1])
        overlaps = current[0] < previous[2] and current[2] > previous[0]
        if 0 <= gap <= 0.8 * typical and same_size and overlaps and not in_table[i] and not in_table[i - 1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    page = laid.page
    result = []
    title_given = page.number != 1
    for group in groups:
        lines = [laid.lines[i] for i in group]
        span = (lines[0].span[0], lines[-1].span[1])
        text = "\n".join(line.text for line in lines)
        polygon = _union([line.polygon for line in lines])
        left, top, right, bottom = _box(polygon)
        height = max(heights[i] for i in group)
        role = None
        if in_table[group[0]] or not any(line.words for line in lines):
            pass  # table text: its cells carry the structure; marks and barcodes alone are no heading
        elif bottom <= page.height * _MARGIN or top >= page.height * (1 - _MARGIN):
            role = "pageNumber" if _PAGE_NUMBER.match(text.strip()) else (
                "pageHeader" if bottom <= page.height * _MARGIN else "pageFooter")
        elif len(lines) <= 2 and height >= 1.3 * typical and not title_given:
            role, title_given = "title", True
        elif len(lines) == 1 and height >= 1.15 * typical and len(text) < 80:
            role = "sectionHeading"
        result.append(Paragraph(text, Region(page.number, polygon), span, role))
    return result


# -- tables -----------------------------------------------------------------------------------

def _tables(laid: LaidPage) -> list[Table]:
    tables = []
    for grid in laid.page.tables:
        tables.append(_table(laid, grid))
    return tables


def _centre(polygon: Polygon) -> tuple[float, float]:
    left, top, right, bottom = _box(polygon)
    return (left + right) / 2, (top + bottom) / 2


def _table(laid: LaidPage, grid: Grid) -> Table:
    words = [w for line in laid.lines for w in line.words]
    cells = []
    all_spans: list[Span] = []
    for cell in grid.cells:
        left, top, right, bottom = cell.box
        inside = [w for w in words if left <= _centre(w.polygon)[0] <= right and top <= _centre(w.polygon)[1] <= bottom]
        spans = _merge_spans([w.span for w in inside])
        all_spans.extend(spans)
        text = " ".join(w.text for w in inside)
        kind = "columnHeader" if cell.row == 0 and grid.rows > 1 else "content"
        cells.append(Cell(cell.row, cell.column, cell.row_span, cell.column_span, kind, text,
                          Region(laid.page.number, rectangle(*cell.box)), tuple(spans)))
    return Table(grid.rows, grid.columns, tuple(cells), Region(laid.page.number, rectangle(*grid.box)),
                 tuple(_merge_spans(all_spans)))


def _merge_spans(spans: list[Span]) -> list[Span]:
    """Adjacent word spans (one space apart) become one span, as Azure reports a cell's text."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] <= 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


# -- key-value pairs ----------------------------------------------------------------------

_KEY = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*(.*)$")
_KV_CONFIDENCE = 0.6  # a pattern, not a model: say so in the confidence


def _key_values(laid: LaidPage) -> list[KeyValue]:
    pairs = []
    for line in laid.lines:
        match = _KEY.match(line.text)
        if not match or not match.group(1).strip() or match.group(1).strip().isdigit():
            continue
        key_text, value_text = match.group(1).strip(), match.group(2).strip()
        key_words = [w for w in line.words if w.span[1] <= line.span[0] + line.text.index(":") + 1]
        value_words = [w for w in line.words if w not in key_words]
        if not key_words:
            continue
        key_start = key_words[0].span[0]
        key = Paragraph(key_text, Region(laid.page.number, _union([w.polygon for w in key_words])),
                        (key_start, key_start + len(key_text)))
        value = None
        if value_text and value_words:
            start = value_words[0].span[0]
            value = Paragraph(value_text, Region(laid.page.number, _union([w.polygon for w in value_words])),
                              (start, value_words[-1].span[1]))
        pairs.append(KeyValue(key, value, _KV_CONFIDENCE))
    return pairs
