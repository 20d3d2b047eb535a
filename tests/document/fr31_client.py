"""Drives azure-ai-formrecognizer 3.1.x (Form Recognizer v2.1) against a server; runs in .venv-fr31.

Not a test module: tests/document/test_formrecognizer_v21_sdk.py runs it as
``.venv-fr31/bin/python tests/document/fr31_client.py ACTION ENDPOINT FILE`` (that venv holds the
old SDK release, which cannot share .venv with the current one) and reads one JSON object from
its stdout. Actions: ``content`` (begin_recognize_content: the pages, lines and tables as the SDK
sees them), ``receipt`` (begin_recognize_receipts, expected to fail) and ``content-error`` (a file
the server refuses). A failure is ``{"error": {"status", "code", "message"}}``.
"""

from __future__ import annotations

import json
import sys


def _page(page) -> dict:
    return {
        "page_number": page.page_number, "width": page.width, "height": page.height, "unit": page.unit,
        "angle": page.text_angle,
        "lines": [{"text": line.text, "words": [w.text for w in line.words],
                   "bounding_box": [[p.x, p.y] for p in line.bounding_box]} for line in page.lines or []],
        "tables": [{"rows": t.row_count, "columns": t.column_count, "cells": [
            {"row": c.row_index, "column": c.column_index, "text": c.text, "is_header": c.is_header,
             "elements": [e.text for e in c.field_elements or []]} for c in t.cells]} for t in page.tables or []],
        "selection_marks": [m.state for m in page.selection_marks or []],
    }


def main() -> int:
    from azure.ai.formrecognizer import FormRecognizerClient
    from azure.ai.formrecognizer._version import VERSION
    from azure.core.credentials import AzureKeyCredential
    from azure.core.exceptions import HttpResponseError

    action, endpoint, path = sys.argv[1:4]
    client = FormRecognizerClient(endpoint, AzureKeyCredential("any"))
    out: dict = {"sdk": VERSION}
    try:
        with open(path, "rb") as f:
            if action == "receipt":
                out["receipts"] = len(client.begin_recognize_receipts(f, polling_interval=0.2).result())
            else:
                out["pages"] = [_page(p) for p in client.begin_recognize_content(f, polling_interval=0.2).result()]
    except HttpResponseError as exc:
        error = getattr(exc, "error", None)
        out["error"] = {"status": exc.status_code, "code": getattr(error, "code", None), "message": str(exc)}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
