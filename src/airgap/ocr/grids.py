"""Ruled tables: finding their grids, and the cells of a grid.

A grid is a list of cell boxes; rows and columns come from the distinct edges
of the boxes, so a merged cell spans as many rows or columns as there are edges
inside it. Born-digital PDFs give cell boxes from their drawing (pdfplumber);
images give them from their ruling lines, found here with numpy alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class GridCell:
    row: int
    column: int
    row_span: int
    column_span: int
    box: Box


@dataclass(frozen=True)
class Grid:
    rows: int
    columns: int
    cells: tuple[GridCell, ...]
    box: Box


def _cluster(values: list[float], tolerance: float) -> list[float]:
    merged: list[float] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= tolerance:
            continue
        merged.append(value)
    return merged


def _index(edges: list[float], value: float, tolerance: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value)) if edges else 0


def grid_from_cells(boxes: list[Box], tolerance: float) -> Grid | None:
    if len(boxes) < 2:
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells = []
    for box in boxes:
        left, top = _index(xs, box[0], tolerance), _index(ys, box[1], tolerance)
        right, bottom = _index(xs, box[2], tolerance), _index(ys, box[3], tolerance)
        if right <= left or bottom <= top:
            continue
        cells.append(GridCell(top, left, bottom - top, right - left, box))
    if not cells:
        return None
    cells.sort(key=lambda c: (c.row, c.column))
    return Grid(len(ys) - 1, len(xs) - 1, tuple(cells), (xs[0], ys[0], xs[-1], ys[-1]))


# -- ruled tables in images ------------------------------------------------------------------

_DARK = 128
_MIN_LINE = 0.08  # a ruling line is at least this share of the page's width / height


def _runs(mask: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """(index, start, end) of dark runs at least ``min_length`` long along axis 1, row by row."""
    found = []
    # Row by row: a page-sized temporary per step would cost several times the page's pixels.
    for index in np.nonzero((mask.sum(axis=1) >= min_length))[0]:
        changes = np.diff(np.concatenate(([0], mask[index].view(np.int8), [0])))
        starts = np.nonzero(changes == 1)[0]
        ends = np.nonzero(changes == -1)[0]
        for start, end in zip(starts, ends, strict=True):
            if end - start >= min_length:
                found.append((int(index), int(start), int(end)))
    return found


def _lines(runs: list[tuple[int, int, int]]) -> list[tuple[float, int, int]]:
    """Merges runs on neighbouring rows (a line several pixels thick) into (position, start, end)."""
    lines: list[list[float]] = []
    for index, start, end in sorted(runs):
        if lines and index - lines[-1][3] <= 1 and abs(start - lines[-1][1]) < 10:
            line = lines[-1]
            line[1], line[2], line[3] = min(line[1], start), max(line[2], end), index
            line[4] += index
            line[5] += 1
        else:
            lines.append([index, start, end, index, index, 1])
    return [(line[4] / line[5], int(line[1]), int(line[2])) for line in lines]


def dark_pixels(image: Image.Image) -> np.ndarray:
    """A boolean array, True where the page is inked (one byte per pixel, no other page-sized copy kept)."""
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    dark = gray < _DARK
    del gray
    return dark


def find_ruled_grids(image: Image.Image) -> list[Grid]:
    """Grids of the ruled tables in a page image (pixel coordinates)."""
    dark = dark_pixels(image)
    height, width = dark.shape
    horizontal = _lines(_runs(dark, int(width * _MIN_LINE)))
    vertical = _lines(_runs(dark.T, int(height * _MIN_LINE)))
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    grids = []
    # One table per group of horizontal lines that share vertical lines.
    used: set[int] = set()
    for i, (_, x0, x1) in enumerate(horizontal):
        if i in used:
            continue
        rows = [j for j, (yy, a, b) in enumerate(horizontal) if j not in used and a < x1 - 5 and b > x0 + 5]
        ys = sorted(horizontal[j][0] for j in rows)
        columns = [v for v in vertical if v[1] <= ys[-1] + 3 and v[2] >= ys[0] - 3 and x0 - 3 <= v[0] <= x1 + 3]
        if len(rows) < 2 or len(columns) < 2:
            continue
        used.update(rows)
        xs = sorted(v[0] for v in columns)
        grid = _cells(dark, xs, ys)
        if grid is not None:
            grids.append(grid)
    return grids


def _cells(dark: np.ndarray, xs: list[float], ys: list[float]) -> Grid | None:
    """Cells of the grid ``xs`` x ``ys``; a missing separator merges neighbours."""

    def vertical_rule(x: float, top: float, bottom: float) -> bool:
        column = dark[int(top) + 2:int(bottom) - 1, max(0, int(x) - 2):int(x) + 3].any(axis=1)
        return column.size > 0 and column.mean() > 0.8

    def horizontal_rule(y: float, left: float, right: float) -> bool:
        row = dark[max(0, int(y) - 2):int(y) + 3, int(left) + 2:int(right) - 1].any(axis=0)
        return row.size > 0 and row.mean() > 0.8

    owner: dict[tuple[int, int], tuple[int, int]] = {}
    boxes: list[Box] = []
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if (r, c) in owner:
                continue
            right = c + 1
            while right < len(xs) - 1 and not vertical_rule(xs[right], ys[r], ys[r + 1]):
                right += 1
            bottom = r + 1
            while bottom < len(ys) - 1 and not horizontal_rule(ys[bottom], xs[c], xs[right]):
                bottom += 1
            for rr in range(r, bottom):
                for cc in range(c, right):
                    owner[(rr, cc)] = (r, c)
            boxes.append((xs[c], ys[r], xs[right], ys[bottom]))
    return grid_from_cells(boxes, tolerance=3)


def erase_rules(image: Image.Image, grids: list[Grid]) -> Image.Image:
    """The page without its ruling lines: Tesseract reads a ruled cell's text far better."""
    if not grids:
        return image
    pixels = np.array(image.convert("L"))
    for grid in grids:
        for cell in grid.cells:
            left, top, right, bottom = (int(round(v)) for v in cell.box)
            for y in (top, bottom):
                pixels[max(0, y - 3):y + 4, max(0, left - 3):right + 4] = 255
            for x in (left, right):
                pixels[max(0, top - 3):bottom + 4, max(0, x - 3):x + 4] = 255
    return Image.fromarray(pixels)
