"""Whole lines and reading order in Document Intelligence (issue 11): the page as it was reported
(25 numbered lines, a ruled table, a footer) through prebuilt-read and prebuilt-layout on a real
server; in layout, ``content``, ``paragraphs`` and ``tables[].spans`` agree."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.vision import reading_pages
from tests.vision.pages import encode
from tests.vision.test_reading_order import numbered

OCTET = {"Content-Type": "application/octet-stream"}


@pytest.fixture(scope="module")
def issue_page() -> tuple[dict, bytes]:
    spec = reading_pages.issue_spec()
    return spec, encode(reading_pages.render(spec), "PNG")


def _analyze(server, model: str, data: bytes) -> dict:
    r = httpx.post(f"{server.url}/formrecognizer/documentModels/{model}:analyze?api-version=2023-07-31",
                   content=data, headers=OCTET, timeout=60)
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 120
    while True:
        body = httpx.get(r.headers["Operation-Location"], timeout=30).json()
        if body["status"] not in ("notStarted", "running"):
            assert body["status"] == "succeeded", body
            return body["analyzeResult"]
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize("model", ["prebuilt-read", "prebuilt-layout"])
def test_issue_page_in_document_intelligence(document_server, issue_page, model):
    spec, data = issue_page
    result = _analyze(document_server, model, data)
    content = result["content"]
    texts = [line["content"] for line in result["pages"][0]["lines"]]
    truth = reading_pages.truth_lines(spec)
    assert numbered(texts) == truth[:25]
    # Content is the lines in reading order: the 25 lines, the table row by row, the footer last.
    assert content.split("\n") == texts
    assert texts[:25] == truth[:25] and texts[-1] == truth[-1]
    assert texts[25:-1] == truth[25:-1]  # the cells, row by row
    if model == "prebuilt-layout":
        _assert_spans_agree(result)


def _assert_spans_agree(result: dict) -> None:
    """``content``, ``paragraphs`` and ``tables[].spans`` tell one story."""
    content = result["content"]

    def text(spans):
        return [content[s["offset"]:s["offset"] + s["length"]] for s in spans]

    paragraphs = result["paragraphs"]
    offsets = [p["spans"][0]["offset"] for p in paragraphs]
    assert offsets == sorted(offsets)  # paragraphs in content order
    for paragraph in paragraphs:
        assert "\n".join(text(paragraph["spans"])) == paragraph["content"]
    [table] = result["tables"]
    start = table["spans"][0]["offset"]
    end = table["spans"][-1]["offset"] + table["spans"][-1]["length"]
    assert content[start:end].split("\n") == [c["content"] for c in sorted(
        table["cells"], key=lambda c: (c["rowIndex"], c["columnIndex"]))]
    for cell in table["cells"]:
        assert " ".join(text(cell["spans"])) == cell["content"]
        assert start <= cell["spans"][0]["offset"] < end
    # The footer after the table, the numbered lines before it, in content and in paragraphs.
    footer = next(p for p in paragraphs if p["content"].startswith("Contoso Ltd"))
    assert footer["spans"][0]["offset"] >= end
    assert content.index("Page 1 line 25:") < start
