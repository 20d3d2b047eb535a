"""OCR with Tesseract, bound in process through tesserocr.

The tesserocr wheel carries libtesseract but no language data; the data comes
from Debian's ``tesseract-ocr-<lang>`` packages (``tesseract-ocr-osd`` for
orientation). A Tesseract API object is not thread-safe, so each inference
thread gets its own.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

from PIL import Image

from airgap.ocr.rotation import mapped, straighten, unrotate
from airgap.ocr.types import Line, Word, rectangle

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)

# ISO 639-1 -> Tesseract traineddata name, for the Debian packages most often installed.
ISO_TO_TESSERACT = {
    "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "da": "dan", "sv": "swe", "nb": "nor", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces",
    "hu": "hun", "ro": "ron", "tr": "tur", "ru": "rus", "uk": "ukr", "el": "ell", "ja": "jpn",
    "ko": "kor", "zh-Hans": "chi_sim", "zh-Hant": "chi_tra", "ar": "ara", "he": "heb", "hi": "hin",
}


class TessdataMissing(RuntimeError):
    pass


def find_tessdata() -> Path:
    for candidate in TESSDATA_CANDIDATES:
        path = Path(candidate)
        if (path / "eng.traineddata").exists():
            return path
    raise TessdataMissing(
        "No Tesseract language data found (looked in " + ", ".join(TESSDATA_CANDIDATES)
        + "); install the Debian packages tesseract-ocr-eng and tesseract-ocr-osd."
    )


class TesseractOcr:
    name = "tesseract"

    def __init__(self, tessdata: Path | None = None) -> None:
        self._tessdata = tessdata
        self._local = threading.local()
        self._languages: tuple[str, ...] = ()
        self.model_version = "unloaded"

    def load(self) -> None:
        import tesserocr

        self._tessdata = self._tessdata or find_tessdata()
        installed = {p.stem for p in self._tessdata.glob("*.traineddata")}
        self._languages = tuple(iso for iso, code in ISO_TO_TESSERACT.items() if code in installed)
        self._osd = "osd" in installed
        version = tesserocr.tesseract_version().split()[1]
        self.model_version = f"tesseract-{version}"
        self._api("en")  # build one API now so the first request does not pay for it

    @property
    def ready(self) -> bool:
        return bool(self._languages)

    def languages(self) -> tuple[str, ...]:
        return self._languages

    def _api(self, language: str):
        import tesserocr

        apis = getattr(self._local, "apis", None)
        if apis is None:
            apis = self._local.apis = {}
        code = ISO_TO_TESSERACT[language]
        api = apis.get(code)
        if api is None:
            # Orientation detection needs the osd data; without it pages are read upright only.
            psm = tesserocr.PSM.AUTO_OSD if self._osd else tesserocr.PSM.AUTO
            api = tesserocr.PyTessBaseAPI(path=str(self._tessdata) + "/", lang=code, psm=psm)
            apis[code] = api
        return api

    def recognize(self, image: Image.Image, language: str | None) -> tuple[float, tuple[Line, ...]]:
        api = self._api(language or "en")
        gray = image if image.mode in ("L", "RGB") else image.convert("RGB")
        angle, lines = self._read(api, gray)
        skew = angle - 90 * round(angle / 90)
        if abs(skew) >= _MIN_SKEW:
            # Tesseract reads level lines best: straighten the page, read again, and map the
            # geometry back onto the image the client sent.
            straight = straighten(gray, skew)
            _, lines = self._read(api, straight)
            back = unrotate(skew, straight.size, gray.size)
            lines = tuple(mapped(line, back) for line in lines)
        turn = _quarter_turns(angle)
        return angle, tuple(_oriented(line, turn) for line in lines)

    def _read(self, api, image: Image.Image) -> tuple[float, tuple[Line, ...]]:
        import tesserocr
        from tesserocr import RIL

        # Raw pixels, not ``SetImage``: tesserocr would encode the picture (PNG or BMP) and Leptonica
        # decode it again, several copies of the page at once (~9 bytes a pixel at the peak).
        pixels = image.tobytes()
        depth = len(image.getbands())
        api.SetImageBytes(pixels, image.width, image.height, depth, image.width * depth)
        api.SetSourceResolution(_resolution(image))
        api.Recognize()
        iterator = api.GetIterator()
        lines: list[Line] = []
        words: list[Word] = []
        line_box: tuple[int, int, int, int] | None = None
        baselines: list[float] = []

        def close_line() -> None:
            if words and line_box is not None:
                lines.append(Line(" ".join(w.text for w in words), rectangle(*line_box), tuple(words)))

        for item in tesserocr.iterate_level(iterator, RIL.WORD):
            try:
                text = (item.GetUTF8Text(RIL.WORD) or "").strip()
            except RuntimeError:  # tesserocr's "No text returned": a blank page yields one empty item
                continue
            box = item.BoundingBox(RIL.WORD)
            if item.IsAtBeginningOf(RIL.TEXTLINE):
                close_line()
                words = []
                line_box = item.BoundingBox(RIL.TEXTLINE)
                baseline = item.Baseline(RIL.TEXTLINE)
                if baseline:
                    (x1, y1), (x2, y2) = baseline
                    baselines.append(math.degrees(math.atan2(y2 - y1, x2 - x1)))
            if not text or box is None:
                continue
            words.append(Word(text, rectangle(*box), round(max(0.0, min(100.0, item.Confidence(RIL.WORD))) / 100, 3)))
        close_line()
        api.Clear()
        del pixels  # Tesseract read them in place until now
        return _page_angle(baselines), tuple(line for line in lines if line.text.strip())


_MIN_SKEW = 0.5  # degrees; below this a second pass does not change what Tesseract reads
# Tesseract's layout analysis scales its thresholds by the resolution: told none (or a screen's
# 72), it takes ordinary printed lines for huge type, reads a column of numbers as vertical
# text and cuts lines at it. An image's own dpi is used when it has a plausible one; otherwise
# the resolution of a document scan.
_DEFAULT_DPI = 300


def _resolution(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 100 <= value <= 1200 else _DEFAULT_DPI


def _quarter_turns(angle: float) -> int:
    return round(angle / 90) % 4


def _oriented(line: Line, turn: int) -> Line:
    """Start each polygon at the text's own top-left corner (Azure's convention) on turned pages."""
    if turn == 0:
        return line

    def spin(polygon):
        return polygon[turn:] + polygon[:turn]

    return Line(line.text, spin(line.polygon),
                tuple(Word(w.text, spin(w.polygon), w.confidence) for w in line.words), line.handwritten)


def _page_angle(baselines: list[float]) -> float:
    """The page's clockwise text angle: the median direction of its line baselines.

    Baselines are reported in the original image's coordinates (y down), so a
    page turned a quarter clockwise has baselines pointing down: +90 degrees.
    """
    if not baselines:
        return 0.0
    ordered = sorted(baselines)
    angle = ordered[len(ordered) // 2]
    if angle >= 180:
        angle -= 360
    return round(angle, 2)
