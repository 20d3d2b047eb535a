"""Mapping an engine's geometry from a straightened copy of a page back onto the page.

Engines read level lines best, so a skewed page is read from a copy turned upright
(``image.rotate(skew, expand=True)``); what the client gets must still be in the coordinates of
the image it sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image

from airgap.ocr.types import Line, Point, Word


def straighten(image: Image.Image, skew: float) -> Image.Image:
    """``image`` turned counter-clockwise by ``skew`` degrees (a clockwise lean undone), on paper."""
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")


def unrotate(skew: float, rotated_size: tuple[int, int], original_size: tuple[int, int]) -> Callable[[Point], Point]:
    """Maps a point of ``image.rotate(skew, expand=True)`` back onto ``image``."""
    theta = math.radians(skew)
    cos, sin = math.cos(theta), math.sin(theta)
    rcx, rcy = rotated_size[0] / 2, rotated_size[1] / 2
    ocx, ocy = original_size[0] / 2, original_size[1] / 2

    def back(point: Point) -> Point:
        dx, dy = point[0] - rcx, point[1] - rcy
        # PIL turns the picture counter-clockwise by ``skew`` on screen (y down); undo that.
        return (round(ocx + dx * cos - dy * sin, 1), round(ocy + dx * sin + dy * cos, 1))

    return back


def mapped(line: Line, back: Callable[[Point], Point]) -> Line:
    def poly(polygon):
        return tuple(back(p) for p in polygon)

    return Line(line.text, poly(line.polygon),
                tuple(Word(w.text, poly(w.polygon), w.confidence) for w in line.words), line.handwritten)
