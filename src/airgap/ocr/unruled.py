"""Unruled tables: text set in aligned columns with no lines drawn, found from word positions.

Works on any page's lines (a PDF's text layer, or an engine's lines in pixels: Tesseract
keeps a table row on one line with wide gaps between its cells). pdfplumber's
text-alignment strategy was tried first and refused: it cuts ordinary
paragraphs into "columns" at chance alignments of words, and calls a plain page
a one-column table. Here a table must be *clearly* tabular:

* a row is a text line whose words fall into at least two segments separated by
  gaps far wider than a space (more than ``_GAP`` times the line's height);
* a table is a run of at least ``_MIN_ROWS`` such rows, one under the other,
  whose segments line up into at least ``_MIN_COLUMNS`` columns (the columns
  are the x-ranges that segments of different rows overlap; the gutters
  between them stay empty in every row), with at least ``_MIN_ROWS`` rows
  filling ``_MIN_COLUMNS`` of them;
* cells are short (the median segment has at most ``_MAX_CELL_WORDS`` words),
  so text laid out in several newspaper columns is not a table.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from itertools import pairwise

from airgap.ocr.grids import Box, Grid, GridCell
from airgap.ocr.types import Line, Word

_GAP = 1.2
_MIN_ROWS = 3
_MIN_COLUMNS = 3
_MAX_CELL_WORDS = 4
_ROW_GAP = 2.5  # rows further apart than this many line heights end the table


def find_unruled_grids(lines: Sequence[Line], exclude: Sequence[Box] = ()) -> list[Grid]:
    """Grids of the unruled tables among ``lines`` (in the page's unit), ignoring lines inside ``exclude``."""
    rows = [(line, _segments(line)) for line in sorted(lines, key=lambda l: _box(l.polygon)[1])
            if not any(_inside(_box(line.polygon), box) for box in exclude)]
    grids = []
    run: list[tuple[Line, list[list[Word]]]] = []
    for line, segments in rows:
        if len(segments) >= 2 and (not run or _follows(run[-1][0], line)):
            run.append((line, segments))
            continue
        grids.extend(_grid(run))
        run = [(line, segments)] if len(segments) >= 2 else []
    grids.extend(_grid(run))
    return grids


def _segments(line: Line) -> list[list[Word]]:
    words = sorted(line.words, key=lambda w: _box(w.polygon)[0])
    height = _box(line.polygon)[3] - _box(line.polygon)[1]
    segments: list[list[Word]] = []
    for word in words:
        if segments and _box(word.polygon)[0] - _box(segments[-1][-1].polygon)[2] <= _GAP * height:
            segments[-1].append(word)
        else:
            segments.append([word])
    return segments


def _follows(previous: Line, line: Line) -> bool:
    above, below = _box(previous.polygon), _box(line.polygon)
    return below[1] - above[3] <= _ROW_GAP * (above[3] - above[1])


def _grid(run: list[tuple[Line, list[list[Word]]]]) -> list[Grid]:
    if len(run) < _MIN_ROWS:
        return []
    spans = sorted((_extent(segment) for _, segments in run for segment in segments))
    columns: list[list[float]] = []
    for left, right in spans:  # the union of the segments' x-ranges: one interval per column
        if columns and left <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    if len(columns) < _MIN_COLUMNS:
        return []
    full_rows = sum(1 for _, segments in run if len({_column(columns, s) for s in segments}) >= _MIN_COLUMNS)
    if full_rows < _MIN_ROWS:
        return []
    if statistics.median(len(segment) for _, segments in run for segment in segments) > _MAX_CELL_WORDS:
        return []
    # Cell edges: half-way across each gutter and each gap between rows.
    xs = [columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in pairwise(columns)] + [columns[-1][1]]
    boxes = [_box(line.polygon) for line, _ in run]
    ys = [boxes[0][1]] + [(a[3] + b[1]) / 2 for a, b in pairwise(boxes)] + [boxes[-1][3]]
    cells = tuple(GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]))
                  for r in range(len(run)) for c in range(len(columns)))
    return [Grid(len(run), len(columns), cells, (xs[0], ys[0], xs[-1], ys[-1]))]


def _column(columns: list[list[float]], segment: list[Word]) -> int:
    left = _extent(segment)[0]
    return next(i for i, (a, b) in enumerate(columns) if a <= left <= b)


def _extent(segment: list[Word]) -> tuple[float, float]:
    return _box(segment[0].polygon)[0], _box(segment[-1].polygon)[2]


def _inside(inner: Box, outer: Box) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def _box(polygon) -> Box:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)
