"""OCR shared by the Vision and Document Intelligence services.

Engines (``types.OcrEngine``; ``tesseract.TesseractOcr``) turn one image into
lines and words; ``pages`` turns uploaded bytes (images, multi-page TIFF, PDF)
into page sources; ``reading.read_pages`` reads them, taking a born-digital
PDF's own text layer where there is one. Nothing here knows HTTP or Azure JSON.
"""

from airgap.ocr.settings import ENGINES


def make_engine(name: str):
    """The OCR engine chosen by the ``Ocr:Engine`` setting (imported only when chosen)."""
    if name == "tesseract":
        from airgap.ocr.tesseract import TesseractOcr

        return TesseractOcr()
    if name == "ocrust":
        from airgap.ocr.ocrust_engine import OcrustOcr

        return OcrustOcr()
    raise ValueError(f"Unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}.")
