"""Whole lines and reading order, from any engine's words.

Engines cut lines where their own layout analysis sees columns: Tesseract splits a column of
"Page 1 line N: invoice total ..." lines after the colon and reads all left halves first, and
reads a label and its right-aligned amount as two lines far apart. Here lines are rebuilt
from the words, in the page's upright frame (the text's own orientation):

1. **Fragments**: each engine line is cut at every gap wider than ``_SPACE`` line heights and
   wherever its words leave one ruled table cell for another (a line never crosses a rule).
2. **Lines**: fragments on the same row (vertical overlap) are joined left to right, across
   any gap, unless a real column *gutter* separates them: an empty vertical band at least
   ``_GUTTER_ROWS`` rows tall with text on both sides, the right side's rows starting at one
   x (a left-aligned column) and both sides running text (``_TEXT_WORDS`` words a fragment).
   Right-aligned amounts, table rows set in spaced columns and fields with wide gaps fail that
   test and stay whole lines.
3. **Order**: lines are grouped into blocks (a column's run of lines one under the other; a
   table is one block, read row by row, cell by cell) and blocks are ordered by Breuel's rules
   (T. Breuel, "High performance document layout analysis", 2003): *a* before *b* when they
   share an x-range and *a* is higher, or when *a* lies left of *b* and no block between them
   vertically spans both (and, when *a* is the lower one, *b*'s column reaches down to *a*). So columns are read one after the other, top to bottom, and a title
   or footer across the page comes before or after them.

Only geometry is used; a line the engine returned unchanged keeps its own polygon.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from airgap.ocr.grids import Box, Grid
from airgap.ocr.types import Line, Polygon, Word

_SPACE = 1.0  # a gap up to this many line heights is a space between words, never a gutter
_GUTTER_ROWS = 3  # a gutter runs beside at least this many rows of text on both sides
_ALIGN = 0.6  # line heights: the rows right of a gutter start this close to one x
_TEXT_WORDS = 2.5  # mean words per fragment on each side of a gutter (running text, not cells)
_ROW_OVERLAP = 0.5  # share of the smaller height two fragments overlap vertically on one row
_BLOCK_GAP = 1.3  # line heights between two lines of one block
_GLUE = 0.22  # line heights: two fragments closer than this (no space between) cut one word in two


# -- the upright frame ---------------------------------------------------------------------------

class _Frame:
    """Coordinates turned so that the page's text runs left to right (``angle`` is clockwise)."""

    def __init__(self, angle: float) -> None:
        theta = math.radians(angle)
        self.cos, self.sin = math.cos(theta), math.sin(theta)

    def box(self, polygon: Polygon) -> Box:
        us = [x * self.cos + y * self.sin for x, y in polygon]
        vs = [-x * self.sin + y * self.cos for x, y in polygon]
        return min(us), min(vs), max(us), max(vs)

    def polygon(self, box: Box) -> Polygon:
        """The upright ``box`` as a polygon in the image, from the text's top-left corner, clockwise."""
        left, top, right, bottom = box

        def back(u: float, v: float) -> tuple[float, float]:
            return (round(u * self.cos - v * self.sin, 1), round(u * self.sin + v * self.cos, 1))

        return (back(left, top), back(right, top), back(right, bottom), back(left, bottom))


@dataclass
class _Fragment:
    words: list[Word]
    boxes: list[Box]
    zone: int  # the ruled cell its words are in (-1: outside every table)
    source: Line

    @property
    def box(self) -> Box:
        return (min(b[0] for b in self.boxes), min(b[1] for b in self.boxes),
                max(b[2] for b in self.boxes), max(b[3] for b in self.boxes))

    @property
    def height(self) -> float:
        box = self.box
        return box[3] - box[1]


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _y_overlap(a: Box, b: Box) -> float:
    return min(a[3], b[3]) - max(a[1], b[1])


def _x_overlap(a: Box, b: Box) -> float:
    return min(a[2], b[2]) - max(a[0], b[0])


# -- lines ---------------------------------------------------------------------------------------

def assemble(lines: Sequence[Line], angle: float, grids: Sequence[Grid] = ()) -> tuple[Line, ...]:
    """The engine's ``lines`` rebuilt as whole lines (in no particular order): joined across
    wide gaps on one row, cut at column gutters and ruled cell edges (``grids``, in the same
    coordinates as the lines)."""
    if not lines:
        return ()
    frame = _Frame(angle)
    cells = [frame.box(_rect(cell.box)) for grid in grids for cell in grid.cells]
    fragments = _fragments(lines, frame, cells)
    heights = [f.height for f in fragments]
    typical = statistics.median(heights) if heights else 0.0
    chains = _join(fragments, typical)
    result = []
    for chain in chains:
        words, boxes = _glued(chain, frame)
        source = chain[0].source
        if len(chain) == 1 and list(source.words) == words:
            result.append(source)  # as the engine read it: keep its polygon
            continue
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
               max(b[3] for b in boxes))
        result.append(Line(" ".join(w.text for w in words), frame.polygon(box), tuple(words), source.handwritten))
    return tuple(result)


def _glued(chain: list[_Fragment], frame: _Frame) -> tuple[list[Word], list[Box]]:
    """The chain's words; where the engine cut a word in two between fragments (Tesseract splits
    "10:" into "10" and ":" at a column edge it imagines), the two halves, touching, are one word."""
    words: list[Word] = list(chain[0].words)
    boxes: list[Box] = list(chain[0].boxes)
    previous = chain[0]
    for fragment in chain[1:]:
        first, box = fragment.words[0], fragment.boxes[0]
        height = max(fragment.height, previous.height)
        previous = fragment
        if box[0] - boxes[-1][2] < _GLUE * height:
            last = boxes[-1]
            union = (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3]))
            words[-1] = Word(words[-1].text + first.text, frame.polygon(union),
                             min(words[-1].confidence, first.confidence))
            boxes[-1] = union
            words.extend(fragment.words[1:])
            boxes.extend(fragment.boxes[1:])
        else:
            words.extend(fragment.words)
            boxes.extend(fragment.boxes)
    return words, boxes


def _rect(box: Box) -> Polygon:
    left, top, right, bottom = box
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def _fragments(lines: Sequence[Line], frame: _Frame, cells: list[Box]) -> list[_Fragment]:
    fragments: list[_Fragment] = []
    for line in lines:
        placed = sorted(((frame.box(w.polygon), w) for w in line.words), key=lambda item: item[0][0])
        if not placed:
            continue
        height = max(b[3] - b[1] for b, _ in placed)
        current: _Fragment | None = None
        for box, word in placed:
            zone = next((i for i, cell in enumerate(cells) if _inside(_centre(box), cell)), -1)
            if (current is None or zone != current.zone
                    or box[0] - current.boxes[-1][2] > _SPACE * height):
                current = _Fragment([], [], zone, line)
                fragments.append(current)
            current.words.append(word)
            current.boxes.append(box)
    return fragments


def _join(fragments: list[_Fragment], typical: float) -> list[list[_Fragment]]:
    """Fragments joined into lines: each to its nearest neighbour to the right on the same row,
    unless a gutter lies between them."""
    boxes = np.array([f.box for f in fragments], dtype=float).reshape(-1, 4)
    heights = boxes[:, 3] - boxes[:, 1]
    centres = (boxes[:, 0] + boxes[:, 2]) / 2
    zones = np.array([f.zone for f in fragments])
    candidates = []
    for i, a in enumerate(boxes):
        height = np.minimum(heights, heights[i])
        overlap = np.minimum(boxes[:, 3], a[3]) - np.maximum(boxes[:, 1], a[1])
        gaps = boxes[:, 0] - a[2]
        ok = ((zones == zones[i]) & (overlap >= _ROW_OVERLAP * height) & (gaps >= -0.3 * height)
              & (centres > centres[i]))
        ok[i] = False
        if ok.any():
            j = int(np.flatnonzero(ok)[np.argmin(gaps[ok])])
            candidates.append((float(gaps[j]), i, j))
    words = _Words(fragments)
    right_of: dict[int, int] = {}
    left_of: dict[int, int] = {}
    for gap, i, j in sorted(candidates):
        if i in right_of or j in left_of:
            continue
        height = max(heights[i], heights[j], typical * 0.5)
        if gap > _SPACE * height and _gutter(i, j, boxes, words, height):
            continue
        right_of[i], left_of[j] = j, i
    chains = []
    for i in range(len(fragments)):
        if i in left_of:
            continue
        chain = [fragments[i]]
        seen = {i}
        while i in right_of and right_of[i] not in seen:
            i = right_of[i]
            seen.add(i)
            chain.append(fragments[i])
        chains.append(chain)
    return chains


class _Words:
    """Every word's box, and the fragment it belongs to, as arrays."""

    def __init__(self, fragments: list[_Fragment]) -> None:
        self.boxes = np.array([b for f in fragments for b in f.boxes], dtype=float).reshape(-1, 4)
        self.owner = np.array([k for k, f in enumerate(fragments) for _ in f.boxes])
        self.count = np.array([len(f.words) for f in fragments])


def _gutter(i: int, j: int, boxes: np.ndarray, words: _Words, height: float) -> bool:
    """Whether the gap between fragment ``i`` and fragment ``j`` (right of it, same row) is a
    column gutter rather than a wide space inside one line."""
    a, b = boxes[i], boxes[j]
    # The band probed is the strip just left of the right fragment: a ragged left column's
    # longer lines reach further into this row's gap, never into the gutter itself.
    left, right = max(a[2], b[0] - 0.8 * _SPACE * height) + 0.05 * height, b[0] - 0.2 * height
    row_top, row_bottom = min(a[1], b[1]), max(a[3], b[3])
    w = words.boxes
    crossing = (w[:, 2] > left) & (w[:, 0] < right) & (words.owner != i) & (words.owner != j)
    above = crossing & (w[:, 3] <= row_top + 0.2 * height)
    below = crossing & ~above & (w[:, 1] >= row_bottom - 0.2 * height)
    if (crossing & ~above & ~below).any():
        return True  # something sits in the gap itself: keep the two apart
    top = w[above, 3].max() if above.any() else -math.inf
    bottom = w[below, 1].min() if below.any() else math.inf
    # Rows of the band: right of it, starting where the right fragment starts; left of it, text.
    column = np.flatnonzero((boxes[:, 1] >= top - 0.2 * height) & (boxes[:, 3] <= bottom + 0.2 * height)
                            & (np.abs(boxes[:, 0] - b[0]) <= _ALIGN * height))
    heights = boxes[:, 3] - boxes[:, 1]
    leftward = boxes[:, 2] <= left + 0.25 * height
    rows = []
    for k in column:
        overlap = np.minimum(boxes[:, 3], boxes[k, 3]) - np.maximum(boxes[:, 1], boxes[k, 1])
        beside = np.flatnonzero(leftward & (overlap >= _ROW_OVERLAP * np.minimum(heights, heights[k])))
        if beside.size:
            rows.append((k, int(beside[np.argmax(boxes[beside, 2])])))
    if len(rows) < _GUTTER_ROWS:
        return False
    right_words = statistics.mean(int(words.count[k]) for k, _ in rows)
    left_words = statistics.mean(int(words.count[m]) for _, m in rows)
    return right_words >= _TEXT_WORDS and left_words >= _TEXT_WORDS


# -- reading order -------------------------------------------------------------------------------

@dataclass
class _Block:
    lines: list[tuple[Box, Line]]
    table: Grid | None = None

    @property
    def box(self) -> Box:
        boxes = [b for b, _ in self.lines]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))


def reading_order(lines: Sequence[Line], angle: float, grids: Sequence[Grid] = ()) -> tuple[Line, ...]:
    """``lines`` in reading order: columns one after the other, top to bottom; a table's lines
    row by row, cell by cell."""
    if len(lines) < 2:
        return tuple(lines)
    frame = _Frame(angle)
    placed = [(frame.box(line.polygon), line) for line in lines]
    tables = [(frame.box(_rect(grid.box)), grid) for grid in grids]
    blocks: list[_Block] = []
    by_table: dict[int, _Block] = {}
    free = []
    for box, line in placed:
        index = next((t for t, (table_box, _) in enumerate(tables) if _inside(_centre(box), table_box)), None)
        if index is None:
            free.append((box, line))
            continue
        block = by_table.get(index)
        if block is None:
            block = by_table[index] = _Block([], tables[index][1])
            blocks.append(block)
        block.lines.append((box, line))
    for block in blocks:
        block.lines.sort(key=_cell_key(block, frame))
    blocks.extend(_blocks(free))
    return tuple(line for block in _ordered(blocks) for _, line in block.lines)


def _cell_key(block: _Block, frame: _Frame):
    cells = [(frame.box(_rect(cell.box)), cell) for cell in block.table.cells] if block.table else []

    def key(item: tuple[Box, Line]):
        box = item[0]
        cell = next((c for b, c in cells if _inside(_centre(box), b)), None)
        if cell is None:
            return (math.inf, math.inf, box[1], box[0])
        return (cell.row, cell.column, box[1], box[0])

    return key


def _blocks(placed: list[tuple[Box, Line]]) -> list[_Block]:
    """Runs of lines one under the other (a column's lines, a paragraph), top to bottom."""
    placed = sorted(placed, key=lambda item: (item[0][1], item[0][0]))
    blocks: list[_Block] = []
    for index, (box, line) in enumerate(placed):
        height = box[3] - box[1]
        row = [b for k, (b, _) in enumerate(placed) if k != index and _y_overlap(b, box) > 0.5 * min(
            height, b[3] - b[1])]
        best = None
        for block in blocks:
            last = block.lines[-1][0]
            gap = box[1] - last[3]
            if _x_overlap(last, box) <= 0 or gap < -0.3 * height or gap > _BLOCK_GAP * max(height, last[3] - last[1]):
                continue
            # One to one: the line above overlaps no other line of this row, nor this line another
            # line of its row (a title across two columns starts its own block).
            if any(_x_overlap(last, other) > 0 for other in row):
                continue
            last_row = [b for b, _ in placed if b is not last and _y_overlap(b, last) > 0.5 * min(
                last[3] - last[1], b[3] - b[1])]
            if any(_x_overlap(box, other) > 0 for other in last_row):
                continue
            if best is None or gap < best[0]:
                best = (gap, block)
        if best is None:
            blocks.append(_Block([(box, line)]))
        else:
            best[1].lines.append((box, line))
    return blocks


def _ordered(blocks: list[_Block]) -> list[_Block]:
    boxes = [b.box for b in blocks]
    n = len(blocks)
    before: list[set[int]] = [set() for _ in range(n)]  # before[j]: blocks that come before j
    for i in range(n):
        for j in range(n):
            if i != j and _precedes(i, j, boxes):
                before[j].add(i)
    done: list[int] = []
    remaining = set(range(n))
    while remaining:
        ready = [k for k in remaining if not (before[k] & remaining)]
        # A cycle (an odd layout) is broken by taking the top-left-most block.
        pick = min(ready or remaining, key=lambda k: (boxes[k][1], boxes[k][0]))
        done.append(pick)
        remaining.discard(pick)
    return [blocks[k] for k in done]


def _precedes(i: int, j: int, boxes: list[Box]) -> bool:
    a, b = boxes[i], boxes[j]
    if _x_overlap(a, b) > 0:
        return (a[1], a[0]) < (b[1], b[0]) and _centre(a)[1] < _centre(b)[1]
    if a[2] > b[0]:
        return False  # a is not left of b
    if _y_overlap(a, b) > 0:
        return True
    upper, lower = (a, b) if a[3] <= b[1] else (b, a)
    if upper is b and not any(k not in (i, j) and _x_overlap(c, b) > 0 and c[3] >= a[1]
                              for k, c in enumerate(boxes)):
        return False  # b's column ends above a: a (a footer, say) is read after it, not before
    for k, c in enumerate(boxes):
        if k in (i, j):
            continue
        if c[1] >= upper[3] - 1 and c[3] <= lower[1] + 1 and _x_overlap(c, a) > 0 and _x_overlap(c, b) > 0:
            return False
    return True
