"""AnalyzeResult JSON for Form Recognizer 2022-08-31 / 2023-07-31 and Document
Intelligence 2024-11-30 (text or markdown content)."""

from __future__ import annotations

from typing import Any

from airgap.platform.string_index import StringIndex
from airgap.services.document import wire_v21
from airgap.services.document.engines.words import Document
from airgap.services.document.layout import Layout, Paragraph, Region, Span, Table
from airgap.services.document.wire_fields import wire_document

# Form Recognizer's names for the string index types -> the shared converter's names.
INDEX_TYPES = {"textElements": "TextElements_v8", "unicodeCodePoint": "UnicodeCodePoint",
               "utf16CodeUnit": "Utf16CodeUnit"}


def analyze_result(layout: Layout, model_id: str, api_version: str, string_index_type: str,
                   markdown: bool = False, documents: list[Document] | None = None) -> dict[str, Any]:
    if api_version == wire_v21.API_VERSION:  # Form Recognizer v2.1 (api_v21.py): another shape
        return wire_v21.analyze_result(layout)
    content, remap, table_spans = (_markdown(layout) if markdown else (layout.content, None, {}))
    index = StringIndex(content, INDEX_TYPES[string_index_type])

    def span(s: Span) -> dict[str, int]:
        if remap is not None:
            s = remap.get(s, s)
        offset, length = index.span(*s)
        return {"offset": offset, "length": length}

    def line_spans(line) -> list[dict[str, int]]:
        if remap is None or line.span in remap or not line.words:
            return [span(line.span)]
        # A table row's line is split over cells in markdown: one span per run of its words.
        mapped = sorted(remap.get(w.span, w.span) for w in line.words)
        runs: list[list[int]] = []
        for start, end in mapped:
            if runs and start - runs[-1][1] <= 1:
                runs[-1][1] = end
            else:
                runs.append([start, end])
        return [span((a, b)) for a, b in runs]

    def word_spans(spans: list[Span]) -> list[dict[str, int]]:
        """A field's words as spans of the content: adjacent words (one space apart) merge."""
        mapped = sorted(remap.get(s, s) for s in spans) if remap is not None else sorted(spans)
        runs: list[list[int]] = []
        for start, end in mapped:
            if runs and (start == runs[-1][1] or start - runs[-1][1] == 1 and content[start - 1] == " "):
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        out = []
        for a, b in runs:
            offset, length = index.span(a, b)
            out.append({"offset": offset, "length": length})
        return out

    def region(r: Region) -> dict[str, Any]:
        return {"pageNumber": r.page, "polygon": _flat(r.polygon)}

    def element(p: Paragraph) -> dict[str, Any]:
        return {"content": p.text, "boundingRegions": [region(p.region)], "spans": [span(p.span)]}

    result: dict[str, Any] = {
        "apiVersion": api_version,
        "modelId": model_id,
        "stringIndexType": string_index_type,
    }
    if api_version >= "2024-11-30":
        result["contentFormat"] = "markdown" if markdown else "text"
    result["content"] = content
    result["pages"] = [
        {
            "pageNumber": laid.page.number,
            "angle": laid.page.angle,
            "width": laid.page.width,
            "height": laid.page.height,
            "unit": laid.page.unit,
            "words": [{"content": w.text, "polygon": _flat(w.polygon), "confidence": w.confidence,
                       "span": span(w.span)} for line in laid.lines for w in line.words],
            "lines": [{"content": line.text, "polygon": _flat(line.polygon), "spans": line_spans(line)}
                      for line in laid.lines],
            **({"selectionMarks": [{"state": "selected" if m.selected else "unselected", "polygon": _flat(m.polygon),
                                    "confidence": m.confidence, "span": span(m.span)} for m in laid.marks]}
               if laid.marks else {}),
            **({"barcodes": [{"kind": b.kind, "value": b.value, "polygon": _flat(b.polygon), "span": span(b.span),
                              "confidence": b.confidence} for b in laid.barcodes]} if laid.barcodes else {}),
            "spans": [span(laid.span)] if laid.lines else [],
        }
        for laid in layout.pages
    ]
    result["paragraphs"] = [{**({"role": p.role} if p.role else {}), **element(p)} for p in layout.paragraphs]
    if layout.tables:
        result["tables"] = [_table(t, span, region, table_spans.get(id(t))) for t in layout.tables]
    if layout.key_values:
        result["keyValuePairs"] = [
            {"key": element(kv.key), **({"value": element(kv.value)} if kv.value else {}), "confidence": kv.confidence}
            for kv in layout.key_values
        ]
    result["styles"] = []
    if documents is not None:
        result["documents"] = [wire_document(d, layout, content, api_version, word_spans) for d in documents]
    return result


def _table(table: Table, span, region, whole: Span | None) -> dict[str, Any]:
    return {
        "rowCount": table.rows,
        "columnCount": table.columns,
        "cells": [
            {"kind": c.kind, "rowIndex": c.row, "columnIndex": c.column, "rowSpan": c.row_span,
             "columnSpan": c.column_span, "content": c.text, "boundingRegions": [region(c.region)],
             "spans": [span(s) for s in c.spans]}
            for c in table.cells
        ],
        "boundingRegions": [region(table.region)],
        "spans": [span(whole)] if whole else [span(s) for s in table.spans],
    }


def _flat(polygon) -> list[float]:
    return [v for point in polygon for v in point]


# -- markdown (2024-11-30 outputContentFormat=markdown) ---------------------------------------

def _markdown(layout: Layout) -> tuple[str, dict[Span, Span], dict[int, Span]]:
    """Markdown content, and where each text span of the plain layout landed in it.

    Paragraphs become blocks (``#`` title, ``##`` headings), tables HTML tables
    as Document Intelligence writes them, pages are separated by a
    ``<!-- PageBreak -->`` comment. Words keep their text, so every plain span
    maps to one markdown span.
    """
    out: list[str] = []
    size = 0
    remap: dict[Span, Span] = {}
    table_spans: dict[int, Span] = {}

    def emit(text: str) -> int:
        nonlocal size
        start = size
        out.append(text)
        size += len(text)
        return start

    def copy(span: Span) -> None:
        start = emit(layout.content[span[0]:span[1]])
        remap[span] = (start, start + span[1] - span[0])

    def words_in(span: Span) -> None:
        for laid in layout.pages:
            for line in laid.lines:
                for word in line.words:
                    if span[0] <= word.span[0] and word.span[1] <= span[1] and word.span not in remap:
                        offset = remap_start + (word.span[0] - span[0])
                        remap[word.span] = (offset, offset + word.span[1] - word.span[0])
                if span[0] <= line.span[0] and line.span[1] <= span[1] and line.span not in remap:
                    offset = remap_start + (line.span[0] - span[0])
                    remap[line.span] = (offset, offset + line.span[1] - line.span[0])

    tables_by_page: dict[int, list[Table]] = {}
    for table in layout.tables:
        tables_by_page.setdefault(table.region.page, []).append(table)
    paragraphs_by_page: dict[int, list[Paragraph]] = {}
    for paragraph in layout.paragraphs:
        paragraphs_by_page.setdefault(paragraph.region.page, []).append(paragraph)

    for number, laid in enumerate(layout.pages):
        if number:
            emit("\n\n<!-- PageBreak -->\n\n")
        page_start = size
        page = laid.page.number
        tables = tables_by_page.get(page, [])
        placed: set[int] = set()
        for paragraph in paragraphs_by_page.get(page, []):
            table = _table_of(paragraph, tables)
            if table is not None:
                if id(table) not in placed:
                    placed.add(id(table))
                    if size > page_start:
                        emit("\n\n")
                    start = size
                    _emit_table(table, layout, emit, remap)
                    table_spans[id(table)] = (start, size)
                continue
            if size > page_start:
                emit("\n\n")
            prefix = {"title": "# ", "sectionHeading": "## "}.get(paragraph.role or "", "")
            if paragraph.role in ("pageHeader", "pageFooter", "pageNumber"):
                kind = {"pageHeader": "PageHeader", "pageFooter": "PageFooter", "pageNumber": "PageNumber"}[paragraph.role]
                emit(f'<!-- {kind}="')
                remap_start = size
                copy(paragraph.span)
                words_in(paragraph.span)
                emit('" -->')
                continue
            emit(prefix)
            remap_start = size
            copy(paragraph.span)
            words_in(paragraph.span)
        if laid.lines:
            remap[laid.span] = (page_start, size)
    return "".join(out), remap, table_spans


def _table_of(paragraph: Paragraph, tables: list[Table]) -> Table | None:
    for table in tables:
        if any(s[0] <= paragraph.span[0] < s[1] for s in table.spans):
            return table
    return None


def _emit_table(table: Table, layout: Layout, emit, remap: dict[Span, Span]) -> None:
    emit("<table>\n")
    rows: dict[int, list] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell)
    for row in sorted(rows):
        emit("<tr>")
        for cell in rows[row]:
            tag = "th" if cell.kind == "columnHeader" else "td"
            spans = "".join(f' {name}={value}' for name, value in (("rowspan", cell.row_span), ("colspan", cell.column_span))
                            if value > 1)
            emit(f"<{tag}{spans}>")
            for i, s in enumerate(cell.spans):
                if i:
                    emit(" ")
                start = emit(layout.content[s[0]:s[1]])
                remap[s] = (start, start + s[1] - s[0])
                for laid in layout.pages:
                    for line in laid.lines:
                        for word in line.words:
                            if s[0] <= word.span[0] and word.span[1] <= s[1]:
                                offset = start + word.span[0] - s[0]
                                remap[word.span] = (offset, offset + word.span[1] - word.span[0])
            emit(f"</{tag}>")
        emit("</tr>\n")
    emit("</table>")
