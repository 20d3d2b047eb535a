"""Form Recognizer v2.1 on the wire: the layout ``AnalyzeResult`` and the v2.x error envelope.

The same ``Layout`` as every later version (``layout.py``), written the v2.1 way:

* ``readResults``: one per page, ``lines`` (text, ``boundingBox`` as 8 numbers, ``words`` with
  text, boundingBox and confidence, ``appearance``) and ``selectionMarks`` (state, boundingBox,
  confidence). Check boxes are not words in v2.1: they leave the lines they stood in (a line of
  check boxes only is dropped) and are reported in ``selectionMarks`` alone; barcodes do not
  exist in v2.1 and are left out.
* ``pageResults``: one per page, in the same order (the SDK pairs them by index), with the page's
  ``tables``: rows, columns, boundingBox, and cells with rowIndex/columnIndex/spans, text,
  boundingBox, confidence, ``isHeader``, and ``elements``: JSON pointers to the words in the cell
  (``#/readResults/0/lines/3/words/1``) and to its check boxes (``#/readResults/0/selectionMarks/0``).
* ``version``: ``2.1.0``.

Errors: v2.x writes ``{"error": {"code", "message"}}`` and nothing else (``ErrorInformation``);
``DIALECT`` puts the specific code, when there is one, in ``code``.
"""

from __future__ import annotations

from typing import Any

from airgap.ocr.types import rectangle
from airgap.platform.errors import ApiError, AzureDialect, Rendered
from airgap.services.document.layout import Layout, Span

API_VERSION = "2.1"
RESULT_VERSION = "2.1.0"
CELL_CONFIDENCE = 1.0  # cells come from ruled grids or aligned words, not a scored model


class FlatDialect(AzureDialect):
    """``{"error": {"code", "message"}}``: the specific (inner) code when there is one."""

    def render(self, error: ApiError) -> Rendered:
        code = error.inner_code or error.code
        body = {"code": code, "message": error.message}
        return Rendered(error.status, {"error": body}, {"x-ms-error-code": code, **error.headers})


DIALECT = FlatDialect()


def _box(polygon) -> list[float]:
    return [round(v, 4) for point in polygon for v in point]


def _around(polygons):
    points = [p for polygon in polygons for p in polygon]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    right, bottom = max(x for x, _ in points), max(y for _, y in points)
    return rectangle(left, top, right, bottom)


def _inside(span: Span, spans) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def analyze_result(layout: Layout) -> dict[str, Any]:
    read_results: list[dict[str, Any]] = []
    page_results: list[dict[str, Any]] = []
    for i, laid in enumerate(layout.pages):
        page = laid.page
        refs: list[tuple[Span, str]] = []  # word and mark spans -> their JSON pointers
        lines = []
        for line in laid.lines:
            if not line.words:
                continue  # check boxes or barcodes only
            j = len(lines)
            words = []
            for k, word in enumerate(line.words):
                words.append({"text": word.text, "boundingBox": _box(word.polygon),
                              "confidence": round(word.confidence, 3)})
                refs.append((word.span, f"#/readResults/{i}/lines/{j}/words/{k}"))
            text = " ".join(w.text for w in line.words)
            # A line that held check boxes is drawn around its words alone.
            polygon = line.polygon if text == line.text else _around(w.polygon for w in line.words)
            lines.append({"text": text, "boundingBox": _box(polygon), "words": words,
                          "appearance": {"style": {"name": "other", "confidence": 1.0}}})
        marks = []
        for m, mark in enumerate(laid.marks):
            marks.append({"boundingBox": _box(mark.polygon), "confidence": round(mark.confidence, 3),
                          "state": "selected" if mark.selected else "unselected"})
            refs.append((mark.span, f"#/readResults/{i}/selectionMarks/{m}"))
        read_results.append({"page": page.number, "angle": page.angle, "width": page.width,
                             "height": page.height, "unit": page.unit, "lines": lines, "selectionMarks": marks})
        tables = [t for t in layout.tables if t.region.page == page.number]
        page_results.append({"page": page.number, "tables": [
            {"rows": t.rows, "columns": t.columns, "boundingBox": _box(t.region.polygon), "cells": [
                {"rowIndex": c.row, "columnIndex": c.column,
                 **({"rowSpan": c.row_span} if c.row_span > 1 else {}),
                 **({"columnSpan": c.column_span} if c.column_span > 1 else {}),
                 "text": c.text, "boundingBox": _box(c.region.polygon), "confidence": CELL_CONFIDENCE,
                 **({"isHeader": True} if c.kind == "columnHeader" else {}),
                 "elements": [ref for span, ref in refs if _inside(span, c.spans)]}
                for c in t.cells]}
            for t in tables]})
    return {"version": RESULT_VERSION, "readResults": read_results, "pageResults": page_results}


def failed_result(error: dict[str, Any]) -> dict[str, Any]:
    """The ``analyzeResult`` of a failed operation: v2.1 reports why in ``errors``."""
    code, message = str(error.get("code", "InternalServerError")), str(error.get("message", ""))
    return {"version": RESULT_VERSION, "readResults": [], "errors": [{"code": code, "message": message}]}
