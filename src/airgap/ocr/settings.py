"""The OCR section of the settings: owned here, read by every service that uses OCR."""

from __future__ import annotations

from dataclasses import dataclass

from airgap.platform.settings import Section, SettingSpec

ENGINES = ("tesseract", "ocrust")
# Memory one page may take while it is read (airgap.ocr.pages): the default takes every page
# Azure takes (10000 x 10000 pixels, in colour) at its full resolution.
DEFAULT_PAGE_MEMORY_MB = 640


def _parse_engine(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ENGINES:
        raise ValueError(f"expected one of {', '.join(ENGINES)}, got {raw!r}")
    return value


def _parse_page_memory(raw: str) -> int:
    value = int(raw.strip())
    if value < 64:
        raise ValueError(f"expected at least 64 (MB), got {raw!r}")
    return value


@dataclass(frozen=True)
class OcrSettings:
    engine: str = "tesseract"
    page_memory_mb: int = DEFAULT_PAGE_MEMORY_MB


OCR_SETTINGS: Section[OcrSettings] = Section(
    specs=(
        SettingSpec("Ocr:Engine", "engine", _parse_engine, "tesseract",
                    "OCR engine for Vision Read and Document Intelligence: tesseract (fast, 64 MB, reads turned "
                    "pages) or ocrust (PP-OCRv6 ONNX: more accurate on noisy upright scans, slower, ~800 MB)."),
        SettingSpec("Ocr:PageMemoryMb", "page_memory_mb", _parse_page_memory, DEFAULT_PAGE_MEMORY_MB,
                    "Memory one page may take while it is read (Vision Read, Document Intelligence), in MB, beside "
                    "the OCR engine's own: pages are read one at a time, a page whose decoding alone would take more "
                    "is refused from its header (400 InvalidImageSize), a larger one is read at a lower resolution. "
                    "At least 64."),
    ),
    build=OcrSettings,
)
