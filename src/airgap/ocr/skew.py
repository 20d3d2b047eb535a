"""How far a page's text lines lean, from its ink alone (projection profiles).

An engine that finds no text on a page cannot say how the page is turned: Tesseract's layout
analysis finds no lines on a page skewed much past 5 degrees and reads it as blank. The ink can:
projected along the direction of its lines, a page of text gives sharp peaks (the lines) and
gaps (the leading between them); along any other direction the peaks smear. The direction with
the sharpest profile is the lines' direction, whether they run across the page or down it (a page
turned a quarter), so the answer is the lean modulo 90 degrees and the quarter turns are left to
the engine's own orientation detection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

# The profile is taken on a copy of the page about this wide: wide enough that 8-point type at
# 150 dpi still leaves each line a few rows of its own, small enough to take ~0.1 s a page.
_WORK_SIDE = 1200
_MAX_POINTS = 60_000  # ink pixels sampled; more changes the answer by less than the fine step
_COARSE_STEP = 1.0  # degrees
_FINE_STEP = 0.1
_LIMIT = 45.0  # a lean beyond +-45 is the same lines read the other way (modulo 90)
_INK_LEVEL = 0.5  # darker than this share of the way from paper to ink is ink
# A profile bin belongs to a text row when it holds this share of the fullest bin's ink: grain
# and speckle spread evenly over the gaps stay under it.
_ROW_INK = 0.2


@dataclass(frozen=True)
class Skew:
    angle: float  # clockwise lean of the lines in degrees, in [-45, 45)
    rows: int  # text rows the profile shows at that angle (0: no text-like ink)


def _ink_points(image: Image.Image) -> tuple[np.ndarray, np.ndarray] | None:
    gray = image.convert("L")
    scale = min(1.0, _WORK_SIDE / max(gray.size))
    if scale < 1.0:
        gray = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))),
                           Image.Resampling.BOX)
    pixels = np.asarray(gray, dtype=np.float32)
    paper, ink = np.percentile(pixels, 90), np.percentile(pixels, 0.5)
    if paper - ink < 40:  # no contrast: a blank or flat page
        return None
    ys, xs = np.nonzero(pixels < paper - (paper - ink) * _INK_LEVEL)
    if len(xs) < 50:
        return None
    if len(xs) > _MAX_POINTS:
        pick = np.random.default_rng(0).choice(len(xs), _MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    return xs.astype(np.float64) - gray.width / 2, ys.astype(np.float64) - gray.height / 2


def _sharpness(coordinate: np.ndarray) -> float:
    """Sum of squared bin counts of the projection: high when ink piles up in lines."""
    low = np.floor(coordinate.min())
    counts = np.bincount((coordinate - low).astype(np.int64))
    return float(np.dot(counts, counts))


def _best(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    best_angle, best_score = 0.0, -1.0
    for angle in angles:
        theta = np.radians(angle)
        # A line leaning clockwise by ``angle`` (y down) has constant y*cos - x*sin along it;
        # lines down the page, constant x*cos + y*sin.
        across = ys * np.cos(theta) - xs * np.sin(theta)
        down = xs * np.cos(theta) + ys * np.sin(theta)
        score = max(_sharpness(across), _sharpness(down))
        if score > best_score:
            best_angle, best_score = float(angle), score
    return best_angle, best_score


def _rows(coordinate: np.ndarray) -> int:
    """Runs of profile bins holding ink, each at least 2 bins: the text rows."""
    low = np.floor(coordinate.min())
    counts = np.bincount((coordinate - low).astype(np.int64))
    inked = counts > max(2, counts.max() * _ROW_INK)
    rows, run = 0, 0
    for filled in inked:
        if filled:
            run += 1
        else:
            rows += run >= 2
            run = 0
    return rows + (run >= 2)


def estimate_skew(image: Image.Image) -> Skew:
    """The page's line direction modulo 90 degrees, and how many text rows run that way."""
    points = _ink_points(image)
    if points is None:
        return Skew(0.0, 0)
    xs, ys = points
    coarse, _ = _best(xs, ys, np.arange(-_LIMIT, _LIMIT, _COARSE_STEP))
    fine, _ = _best(xs, ys, np.arange(coarse - _COARSE_STEP, coarse + _COARSE_STEP + 1e-9, _FINE_STEP))
    fine = (fine + _LIMIT) % 90 - _LIMIT
    theta = np.radians(fine)
    across = ys * np.cos(theta) - xs * np.sin(theta)
    down = xs * np.cos(theta) + ys * np.sin(theta)
    lines = across if _sharpness(across) >= _sharpness(down) else down
    return Skew(round(fine, 1), _rows(lines))
