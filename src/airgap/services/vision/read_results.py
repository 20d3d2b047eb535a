"""The Read 3.2 ``analyzeResult``: pages in, wire JSON out. Shared by the synchronous route
and the job handler, so neither imports the other."""

from __future__ import annotations

from typing import Any

from airgap.ocr.types import Line, Page

MODEL_VERSION = "2022-04-30"  # the Read model version the SDKs know; the engine's own is in /status


def analyze_result(pages: list[Page], language: str | None) -> dict[str, Any]:
    return {
        "version": "3.2.0",
        "modelVersion": MODEL_VERSION,
        "readResults": [_read_result(page, language) for page in pages],
    }


def _read_result(page: Page, language: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "page": page.number,
        "angle": _angle(page.angle),
        "width": page.width,
        "height": page.height,
        "unit": page.unit,
        "lines": [
            _line(line)
            for line in page.lines
        ],
    }
    if language:
        result["language"] = language
    return result


def _line(line: Line) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "boundingBox": _flat(line.polygon),
        "text": line.text,
        "words": [{"boundingBox": _flat(w.polygon), "text": w.text, "confidence": w.confidence} for w in line.words],
    }
    if line.handwritten is not None:  # only engines that can tell say so
        wire["appearance"] = {"style": {"name": "handwriting" if line.handwritten else "other", "confidence": 1.0}}
    return wire


def _flat(polygon) -> list[float]:
    return [v for point in polygon for v in point]


def _angle(angle: float) -> float:
    # Read 3.2 reports angles in [-180, 180).
    return -180.0 if angle >= 180 else angle
