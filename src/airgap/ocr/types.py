"""What every OCR engine returns, and the protocol an engine implements.

Geometry is a polygon of four (x, y) points, clockwise from the top-left corner
of the text as a reader sees it, in the page's unit (pixels for images, inches
for PDF pages). Engines that only know axis-aligned boxes report those as
rectangles; the page ``angle`` carries the text orientation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

from airgap.ocr.grids import Grid

Point = tuple[float, float]
Polygon = tuple[Point, Point, Point, Point]


def scale_polygon(polygon: Polygon, factor: float) -> Polygon:
    """``polygon`` in another unit (pixels of a rendering -> inches: ``factor = 1 / dpi``)."""
    return tuple((round(x * factor, 4), round(y * factor, 4)) for x, y in polygon)


def rectangle(left: float, top: float, right: float, bottom: float) -> Polygon:
    return ((left, top), (right, top), (right, bottom), (left, bottom))


@dataclass(frozen=True)
class Word:
    text: str
    polygon: Polygon
    confidence: float  # 0-1


@dataclass(frozen=True)
class Line:
    text: str
    polygon: Polygon
    words: tuple[Word, ...]
    handwritten: bool | None = None  # None: the engine cannot tell


@dataclass(frozen=True)
class Page:
    """One recognised page, 1-based ``number`` as the caller asked for it."""

    number: int
    width: float
    height: float
    unit: str  # "pixel" or "inch"
    angle: float  # clockwise text orientation in degrees, (-180, 180]
    lines: tuple[Line, ...] = field(default_factory=tuple)
    tables: tuple[Grid, ...] = ()  # ruled table grids, when asked for
    marks: tuple = ()  # selection marks (airgap.ocr.marks.Mark), when asked for
    barcodes: tuple = ()  # airgap.ocr.barcodes.Barcode, when asked for

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class OcrEngine(Protocol):
    name: str
    model_version: str

    def load(self) -> None: ...

    @property
    def ready(self) -> bool: ...

    def languages(self) -> tuple[str, ...]:
        """ISO 639-1 codes the engine can read."""
        ...

    def recognize(self, image: Image.Image, language: str | None) -> tuple[float, tuple[Line, ...]]:
        """(angle, lines) for one image, in pixel coordinates of that image."""
        ...
