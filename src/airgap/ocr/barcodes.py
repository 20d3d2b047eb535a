"""Barcodes in page images, decoded by ZXing (``zxing-cpp``, the C++ library in its wheel).

Only the symbologies Document Intelligence names are looked for, and each is
reported under Azure's kind name. A decoded barcode passed its symbology's
check digits or error correction, so its value is exact; the few symbologies
whose check is optional get a lower confidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image

from airgap.ocr.types import Polygon, scale_polygon

# zxing-cpp format name -> Azure DocumentBarcodeKind.
_KINDS = {
    "QRCode": "QRCode", "QRCodeModel1": "QRCode", "QRCodeModel2": "QRCode", "MicroQRCode": "MicroQRCode",
    "PDF417": "PDF417", "CompactPDF417": "PDF417",
    "UPCA": "UPCA", "UPCE": "UPCE", "EAN8": "EAN8", "EAN13": "EAN13",
    "Code39": "Code39", "Code39Std": "Code39", "Code39Ext": "Code39", "Code93": "Code93", "Code128": "Code128",
    "Codabar": "Codabar", "ITF": "ITF", "ITF14": "ITF",
    "DataBar": "DataBar", "DataBarOmni": "DataBar", "DataBarStk": "DataBar", "DataBarStkOmni": "DataBar",
    "DataBarLtd": "DataBar", "DataBarLimited": "DataBar",
    "DataBarExpanded": "DataBarExpanded", "DataBarExp": "DataBarExpanded", "DataBarExpStk": "DataBarExpanded",
    "Aztec": "Aztec", "AztecCode": "Aztec", "AztecRune": "Aztec", "DataMatrix": "DataMatrix", "MaxiCode": "MaxiCode",
}
_SEARCHED = ("QRCode", "MicroQRCode", "PDF417", "UPCA", "UPCE", "EAN8", "EAN13", "Code39", "Code93", "Code128",
             "Codabar", "ITF", "DataBar", "DataBarExpanded", "Aztec", "DataMatrix", "MaxiCode")
_CHECK_OPTIONAL = {"Code39", "Codabar", "ITF"}  # a misread can still decode: say so
@dataclass(frozen=True)
class Barcode:
    kind: str  # Azure DocumentBarcodeKind
    value: str
    polygon: Polygon
    confidence: float


def find_barcodes(image: Image.Image) -> list[Barcode]:
    """Barcodes in ``image``, polygons in its pixels, top to bottom."""
    import zxingcpp

    formats = tuple(getattr(zxingcpp.BarcodeFormat, name) for name in _SEARCHED)
    found = []
    for result in zxingcpp.read_barcodes(image if image.mode == "L" else image.convert("L"), formats=formats):
        kind = _KINDS.get(result.format.name)
        if kind is None or not result.valid:
            continue
        value = result.text
        if kind == "EAN13" and value.startswith("0") and len(value) == 13:
            # A UPC-A symbol is an EAN-13 with a leading 0; ZXing reports both as EAN-13.
            kind, value = "UPCA", value[1:]
        p = result.position
        polygon = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        found.append(Barcode(kind, value, polygon, 0.9 if kind in _CHECK_OPTIONAL else 1.0))
    return sorted(found, key=lambda b: (min(y for _, y in b.polygon), min(x for x, _ in b.polygon)))


def scaled(barcode: Barcode, scale: float) -> Barcode:
    return Barcode(barcode.kind, barcode.value, scale_polygon(barcode.polygon, scale), barcode.confidence)


def inside_any(polygon: Polygon, barcodes: Iterable[Barcode]) -> bool:
    """Whether the centre of ``polygon`` lies within one of the barcodes' boxes (same unit)."""
    x = sum(p[0] for p in polygon) / len(polygon)
    y = sum(p[1] for p in polygon) / len(polygon)
    for barcode in barcodes:
        xs = [p[0] for p in barcode.polygon]
        ys = [p[1] for p in barcode.polygon]
        if min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys):
            return True
    return False
