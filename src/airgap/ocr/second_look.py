"""A second reading of a page the engine read badly: straightened by its ink, and cleaned.

An engine's first pass can come back empty or thin on a page a person reads easily: Tesseract
finds no lines at all on a page skewed past about 6 degrees (its own deskew needs lines to
measure), and reads salt-and-pepper speckle into the letters. When the first pass is weak (no
words, low confidence, or far fewer lines than the ink shows), the page's lean is measured from
the ink (``skew``), speckle is taken out (``speckle``), and the page is read again upright; the
reading with more confident words wins and its geometry is mapped back onto the image the client
sent. A weak reading that nothing improves is returned as it is: its words keep their own low
confidences, which is how Azure's Read result says a word is uncertain.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from airgap.ocr.rotation import mapped, straighten, unrotate
from airgap.ocr.skew import estimate_skew
from airgap.ocr.speckle import despeckle, speckled
from airgap.ocr.types import Line, OcrEngine

# Mean word confidence under which a reading is worth a second look: clean, skewed, blurred and
# JPEG pages read at 0.92-0.97, speckled or badly skewed ones at 0.67-0.83.
WEAK_CONFIDENCE = 0.85
# Words below this confidence count for nothing when two readings are compared (speckle read
# as text comes back at 0.1-0.4).
LOW_CONFIDENCE = 0.5
_MIN_LEAN = 0.5  # degrees; below this turning the page changes nothing an engine reads
_ROWS_PER_LINE = 2  # a reading with fewer lines than the ink's rows / this missed some of them


def _words(lines: Sequence[Line]) -> list[float]:
    return [w.confidence for line in lines for w in line.words]


def weak(lines: Sequence[Line], ink_rows: int) -> bool:
    confidences = _words(lines)
    if not confidences:
        return ink_rows > 0
    if sum(confidences) / len(confidences) < WEAK_CONFIDENCE:
        return True
    return len(lines) * _ROWS_PER_LINE < ink_rows


def score(lines: Sequence[Line]) -> float:
    """How much a reading found: the summed confidence of its confident words."""
    return sum(c for c in _words(lines) if c >= LOW_CONFIDENCE)


def _turned(angle: float) -> float:
    """An angle in (-180, 180]."""
    angle = (angle + 180) % 360 - 180
    return 180.0 if angle == -180 else round(angle, 2)


def recognize(engine: OcrEngine, image: Image.Image, language: str | None) -> tuple[float, tuple[Line, ...]]:
    """``engine.recognize``, read again upright and cleaned when the first reading is weak."""
    angle, lines = engine.recognize(image, language)
    skew = estimate_skew(image)
    if not weak(lines, skew.rows):
        return angle, lines
    page = despeckle(image) if speckled(image) else image
    if abs(skew.angle) < _MIN_LEAN and page is image:
        return angle, lines  # nothing to change: another pass would read the same
    if abs(skew.angle) >= _MIN_LEAN:
        upright = straighten(page, skew.angle)
        again_angle, again = engine.recognize(upright, language)
        back = unrotate(skew.angle, upright.size, page.size)
        again = tuple(mapped(line, back) for line in again)
        again_angle = _turned(again_angle + skew.angle)
    else:
        again_angle, again = engine.recognize(page, language)
    if score(again) > score(lines):
        return again_angle, again
    return angle, lines
