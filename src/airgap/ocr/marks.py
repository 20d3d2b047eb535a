"""Selection marks (check boxes) in page images, and whether each is ticked.

A check box is a small square outline: a maximal dark run along its top edge,
one of the same extent along its bottom edge a side-length below, and dark
columns joining them. Long ruling lines never qualify (their runs are too long),
so table cells are not mistaken for boxes. A box is ``selected`` when enough of
its inside is inked (a tick, a cross or a fill).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from airgap.ocr.grids import dark_pixels
from airgap.ocr.types import Line, Polygon, rectangle

_SELECTED_INK = 0.12  # share of the inner area that is dark for a ticked box


@dataclass(frozen=True)
class Mark:
    selected: bool
    polygon: Polygon
    confidence: float


def find_marks(image: Image.Image, min_side: int = 10, max_side: int = 90) -> list[Mark]:
    dark = dark_pixels(image)
    height, width = dark.shape
    runs: dict[int, list[tuple[int, int]]] = {}
    for y in np.nonzero(dark.sum(axis=1) >= min_side)[0]:  # row by row: no page-sized temporaries
        changes = np.diff(np.concatenate(([0], dark[y].view(np.int8), [0])))
        starts = np.nonzero(changes == 1)[0]
        ends = np.nonzero(changes == -1)[0]
        found = [(int(s), int(e)) for s, e in zip(starts, ends, strict=True) if min_side <= e - s <= max_side]
        if found:
            runs[int(y)] = found
    boxes: list[tuple[int, int, int, int]] = []
    for top, row in runs.items():
        for x0, x1 in row:
            side = x1 - x0
            for bottom in range(top + int(side * 0.85), min(height, top + int(side * 1.15) + 1)):
                if not any(abs(a - x0) <= 2 and abs(b - x1) <= 2 for a, b in runs.get(bottom, ())):
                    continue
                left = dark[top:bottom + 1, max(0, x0):x0 + 3].any(axis=1).mean()
                right = dark[top:bottom + 1, max(0, x1 - 3):x1].any(axis=1).mean()
                if left > 0.9 and right > 0.9 and _square_corners(dark, x0, top, x1 - 1, bottom):
                    boxes.append((x0, top, x1, bottom))
                    break
    marks = []
    for box in _distinct(boxes):
        x0, y0, x1, y1 = box
        side = x1 - x0
        inset = max(2, side // 5)
        inner = dark[y0 + inset:y1 - inset + 1, x0 + inset:x1 - inset]
        ink = float(inner.mean()) if inner.size else 0.0
        selected = ink >= _SELECTED_INK
        # Far from the threshold either way is a sure call; near it, less so.
        confidence = round(min(0.99, 0.6 + abs(ink - _SELECTED_INK) * 3), 3)
        marks.append(Mark(selected, rectangle(x0, y0, x1, y1), confidence))
    return marks


def _square_corners(dark: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> bool:
    """Sharp corners that end there: a drawn box has them; round letters (o, d, p) lack the
    inked corner, and stems (d, b, h) run on past it."""
    height, width = dark.shape
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        if not dark[y, x]:
            return False
        outside_x, outside_y = x + 2 * dx, y + 2 * dy
        if 0 <= outside_x < width and dark[y, outside_x]:
            return False
        if 0 <= outside_y < height and dark[outside_y, x]:
            return False
    return True


def _distinct(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """One box per check box: a thick outline yields several nested candidates."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        slack = max(4, (box[2] - box[0]) // 4)
        if any(box[0] >= k[0] - slack and box[1] >= k[1] - slack and box[2] <= k[2] + slack and box[3] <= k[3] + slack
               for k in kept):
            continue
        kept.append(box)
    return sorted(kept, key=lambda b: (b[1], b[0]))


def _box(polygon: Polygon) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a, b) -> float:
    """The share of box ``a`` that box ``b`` covers."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / ((a[2] - a[0]) * (a[3] - a[1]) or 1)


def outside_words(marks: list[Mark], lines: tuple[Line, ...]) -> list[Mark]:
    """The marks that are not letters of a word: a closed glyph ('o', 'd', 'e' in bold type)
    looks like a small box to ``find_marks``, in a scan and in a born-digital page alike."""
    kept = []
    for mark in marks:
        m = _box(mark.polygon)
        inside_word = any(len(w.text) >= 2 and _overlap(m, _box(w.polygon)) > 0.5 and (m[2] - m[0]) < 0.7 * (
            _box(w.polygon)[2] - _box(w.polygon)[0]) for line in lines for w in line.words)
        if not inside_word:
            kept.append(mark)
    return kept


def reconcile(marks: list[Mark], lines: tuple[Line, ...]) -> tuple[list[Mark], tuple[Line, ...]]:
    """Marks that are really letters (an 'o' or 'd' inside a recognised word) are dropped;
    words that are really marks (a box OCR'd as 'O' or '[]') are dropped from the lines."""
    box, overlap = _box, _overlap
    kept = outside_words(marks, lines)
    if not kept:
        return kept, lines
    cleaned = []
    for line in lines:
        words = tuple(w for w in line.words
                      if not (len(w.text) <= 2 and any(overlap(box(w.polygon), box(k.polygon)) > 0.5 for k in kept)))
        if words:
            cleaned.append(Line(" ".join(w.text for w in words), line.polygon, words, line.handwritten))
    return kept, tuple(cleaned)
