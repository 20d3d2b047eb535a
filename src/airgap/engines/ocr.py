"""The OCR engine of this process, shared by every service that reads pages."""

from __future__ import annotations

from airgap.engines import Cache, shared
from airgap.ocr import make_engine
from airgap.ocr.settings import OcrSettings
from airgap.ocr.types import OcrEngine


def ocr_engine(cache: Cache, settings: OcrSettings) -> OcrEngine:
    return shared(cache, f"ocr:{settings.engine}", lambda: make_engine(settings.engine))
