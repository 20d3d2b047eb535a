"""The OCR section of the settings: owned here, read by every service that uses OCR."""

from __future__ import annotations

from dataclasses import dataclass

from airgap.platform.settings import Section, SettingSpec

ENGINES = ("tesseract", "ocrust")


def _parse_engine(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ENGINES:
        raise ValueError(f"expected one of {', '.join(ENGINES)}, got {raw!r}")
    return value


@dataclass(frozen=True)
class OcrSettings:
    engine: str = "tesseract"


OCR_SETTINGS: Section[OcrSettings] = Section(
    specs=(
        SettingSpec("Ocr:Engine", "engine", _parse_engine, "tesseract",
                    "OCR engine for Vision Read and Document Intelligence: tesseract (fast, 64 MB, reads turned "
                    "pages) or ocrust (PP-OCRv6 ONNX: more accurate on noisy upright scans, slower, ~800 MB)."),
    ),
    build=OcrSettings,
)
