"""Word recall and precision of both OCR engines on the generated evaluation set.

The floors are the figures measured when the engines were chosen (docs/models.md);
a drop below them is a regression.
"""

from __future__ import annotations

import pytest

from airgap.ocr import make_engine
from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from tests.vision.pages import evaluation_set, word_scores

FLOOR_EACH = 0.9
FLOOR_MEAN = 0.98


@pytest.fixture(scope="module", params=["tesseract", "ocrust"])
def engine(request):
    ocr = make_engine(request.param)
    ocr.load()
    return ocr


def test_word_recall_and_precision(engine):
    scores = {}
    for page in evaluation_set():
        [read] = read_pages(engine, open_document(page.png()), None)
        scores[page.name] = word_scores(page.words, [w.text for line in read.lines for w in line.words])
    report = "\n".join(f"{engine.name} {name}: recall {r:.3f} precision {p:.3f}" for name, (r, p) in scores.items())
    print(report)
    assert all(r >= FLOOR_EACH and p >= FLOOR_EACH for r, p in scores.values()), report
    mean_recall = sum(r for r, _ in scores.values()) / len(scores)
    assert mean_recall >= FLOOR_MEAN, report
