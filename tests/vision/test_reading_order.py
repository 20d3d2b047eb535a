"""Whole lines and reading order (issue 11): the page as it was reported, through Read 3.2 on a
real server (Document Intelligence: tests/document/test_layout_reading_order.py), and the
reading-order metric of both engines on the held-out evaluation pages (tests/vision/reading_pages.py).

The floors are the held-out figures measured when the line assembly was tuned (on the tuning
pages only; docs/models.md): a drop below them is a regression.
"""

from __future__ import annotations

import httpx
import pytest

from airgap.ocr import make_engine
from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.services.document.layout import lay_out
from tests.vision import reading_pages
from tests.vision.pages import encode

OCTET = {"Content-Type": "application/octet-stream"}
# Held-out floors: share of lines whole, Kendall's tau of word order, edit distance of line order (at most).
FLOORS = {
    ("tesseract", "read"): (0.97, 0.99, 0.03), ("tesseract", "layout"): (0.97, 0.99, 0.03),
    ("ocrust", "read"): (0.97, 0.99, 0.03), ("ocrust", "layout"): (0.97, 0.99, 0.03),
}


@pytest.fixture(scope="module")
def issue_page() -> tuple[dict, bytes]:
    spec = reading_pages.issue_spec()
    return spec, encode(reading_pages.render(spec), "PNG")


def numbered(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("Page 1 line")]


def test_issue_page_lines_whole_in_vision_read(vision_server, issue_page):
    spec, data = issue_page
    r = httpx.post(f"{vision_server.url}/vision/v3.2/read/syncAnalyze", content=data, headers=OCTET, timeout=120)
    assert r.status_code == 200, r.text
    lines = r.json()["analyzeResult"]["readResults"][0]["lines"]
    texts = [line["text"] for line in lines]
    truth = reading_pages.truth_lines(spec)
    assert numbered(texts) == truth[:25]  # 25 of 25 whole, in order
    placed = [[(w["text"], _pairs(w["boundingBox"])) for w in line["words"]] for line in lines]
    score = reading_pages.score(spec, placed)
    assert score.whole == 1.0 and score.tau == 1.0 and score.edit == 0.0, str(score)


def _pairs(flat: list[float]):
    return list(zip(flat[0::2], flat[1::2], strict=True))


@pytest.fixture(scope="module", params=["tesseract", "ocrust"])
def engine(request):
    ocr = make_engine(request.param)
    ocr.load()
    return ocr


def test_reading_order_on_the_held_out_pages(engine):
    scores: dict[str, list[reading_pages.Score]] = {"read": [], "layout": []}
    for spec in reading_pages.heldout_set():
        data = encode(reading_pages.render(spec), "PNG")
        [page] = read_pages(engine, open_document(data), None)
        scores["read"].append(reading_pages.score(spec, [[(w.text, w.polygon) for w in line.words]
                                                          for line in page.lines]))
        layout = lay_out(read_pages(engine, open_document(data), None, tables=True))
        scores["layout"].append(reading_pages.score(spec, [[(w.text, w.polygon) for w in line.words]
                                                            for line in layout.pages[0].lines]))
    report = {mode: reading_pages.mean(values) for mode, values in scores.items()}
    print("\n".join(f"{engine.name} held-out {mode}: {score}" for mode, score in report.items()))
    for mode, score in report.items():
        whole, tau, edit = FLOORS[(engine.name, mode)]
        assert score.whole >= whole and score.tau >= tau and score.edit <= edit, f"{engine.name} {mode}: {score}"


def test_the_held_out_part_is_frozen():
    """The held-out pages are data, not code: regenerating them must not be how a test passes."""
    pages = reading_pages.heldout_set()
    assert [p["name"] for p in pages] == [f"{kind}-{seed}" for kind in reading_pages.KINDS
                                          for seed in reading_pages.HELDOUT_SEEDS]
    assert not {p["name"] for p in pages} & {s["name"] for s in reading_pages.tuning_set()}
