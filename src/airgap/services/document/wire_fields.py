"""`analyzeResult.documents[]` of the prebuilt models: the extracted fields in Azure's JSON
(`type`, one `value*` key by type, `content`, `boundingRegions`, `spans`, `confidence`), the
same for Form Recognizer 2022-08-31 / 2023-07-31 and Document Intelligence 2024-11-30."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airgap.services.document.engines.parsers import Money
from airgap.services.document.engines.words import Document, Field, union
from airgap.services.document.layout import Layout, Span

VALUE_KEYS = {"string": "valueString", "date": "valueDate", "time": "valueTime", "phoneNumber": "valuePhoneNumber",
              "number": "valueNumber", "integer": "valueInteger", "countryRegion": "valueCountryRegion",
              "address": "valueAddress", "currency": "valueCurrency", "array": "valueArray",
              "object": "valueObject", "selectionMark": "valueSelectionMark", "signature": "valueSignature"}


def wire_document(document: Document, layout: Layout, content: str, api_version: str,
                  word_spans: Callable[[list[Span]], list[dict[str, int]]]) -> dict[str, Any]:
    """One AnalyzedDocument: it covers every page and the whole content, as Azure's do.
    `currencyCode` is 2023-07-31's addition: 2022-08-31 has the amount and symbol only."""
    codes = api_version >= "2023-07-31"
    pages = [{"pageNumber": laid.page.number, "polygon": [0, 0, laid.page.width, 0, laid.page.width,
                                                          laid.page.height, 0, laid.page.height]}
             for laid in layout.pages]
    return {"docType": document.doc_type, "boundingRegions": pages,
            "fields": {name: _field(f, word_spans, codes) for name, f in document.fields.items()},
            "confidence": document.confidence, "spans": [{"offset": 0, "length": len(content)}] if content else []}


def _value(field: Field, word_spans, codes: bool) -> Any:
    if field.kind == "currency" and isinstance(field.value, Money):
        money: dict[str, Any] = {"amount": field.value.amount}
        if field.value.symbol:
            money["currencySymbol"] = field.value.symbol
        if field.value.code and codes:
            money["currencyCode"] = field.value.code
        return money
    if field.kind == "array":
        return [_field(f, word_spans, codes) for f in field.value]
    if field.kind == "object":
        return {name: _field(f, word_spans, codes) for name, f in field.value.items()}
    return field.value


def _field(field: Field, word_spans, codes: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": field.kind}
    if field.value is not None and field.value != {}:
        out[VALUE_KEYS[field.kind]] = _value(field, word_spans, codes)
    if field.kind == "array":  # Azure's Items array carries only its elements
        return out
    if field.words:
        out["content"] = field.content
        by_page: dict[int, list] = {}
        for word in field.words:
            by_page.setdefault(word.page, []).append(word.box)
        out["boundingRegions"] = [_region(page, boxes) for page, boxes in sorted(by_page.items())]
        out["spans"] = word_spans([w.span for w in field.words])
    if field.confidence is not None:
        out["confidence"] = field.confidence
    return out


def _region(page: int, boxes: list) -> dict[str, Any]:
    left, top, right, bottom = union(boxes)
    return {"pageNumber": page, "polygon": [left, top, right, top, right, bottom, left, bottom]}
