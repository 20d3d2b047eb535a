"""OCR on the issue-20 pages (tests/data/quality/ocr_pages.jsonl), in process.

`evaluate(split)` renders each page of the split (`ocr_pages.render`: skew, rotation, noise,
several fonts), reads it the way Vision Read does (`ocr.work.read_document`: `pages.open_document`
then `reading.read_pages`) with the process's shared engine (`engines.ocr.ocr_engine`), and
returns word recall (bag of words, case-sensitive, punctuation stripped at word ends), the pages
that came back empty, the words read with low confidence, and recall per condition (skew bucket,
rotation, noise). Only aggregates are returned, so the heldout half can be measured without
reading its rows.

Issue 20's goal on heldout: word recall >= 0.97 and no empty page.
"""

from __future__ import annotations

import importlib.util
import os
import string
from collections import Counter, defaultdict
from pathlib import Path

from airgap.engines.ocr import ocr_engine
from airgap.ocr.settings import OcrSettings
from airgap.ocr.work import read_document

DATA = Path(__file__).resolve().parents[1] / "data" / "quality"
# Azure Read's documented threshold for a word worth a second look.
LOW_CONFIDENCE = 0.5
_PUNCTUATION = string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2022\u00b7"


def _pages_module():
    spec = importlib.util.spec_from_file_location("quality_ocr_pages", DATA / "ocr_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(text: str) -> Counter:
    """Bag of words: split on white space, punctuation stripped at both ends, case kept."""
    bag: Counter = Counter()
    for token in text.split():
        token = token.strip(_PUNCTUATION)
        if token:
            bag[token] += 1
    return bag


def _engine():
    settings = OcrSettings(engine=os.environ.get("AIRGAP_OCR_ENGINE", "tesseract"))
    engine = ocr_engine({}, settings)
    engine.load()
    return engine


def evaluate(split: str) -> dict:
    pages = _pages_module()
    rows = [r for r in pages.load() if r["split"] == split]
    engine = _engine()
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    empty = 0
    read_words = low = 0
    for row in rows:
        result = read_document(engine, pages.render(row), None, None)
        text = "\n".join(page.text for page in result)
        if not text.strip():
            empty += 1
        for page in result:
            for line in page.lines:
                read_words += len(line.words)
                low += sum(w.confidence < LOW_CONFIDENCE for w in line.words)
        gold, got = words(row["text"]), words(text)
        hit = sum(min(n, got[w]) for w, n in gold.items())
        total = sum(gold.values())
        keys = ("all", f"skew_{pages.skew_class(row['skew_deg'])}", f"rotation_{row['rotation']}",
                f"noise_{row['noise']}")
        for key in keys:
            found[key][0] += hit
            found[key][1] += total
    figures: dict = {"word_recall": round(found["all"][0] / found["all"][1], 4) if rows else None}
    figures["empty_pages"] = empty
    figures["pages"] = len(rows)
    figures["words"] = found["all"][1]
    figures["low_confidence_words"] = round(low / read_words, 4) if read_words else None
    for key in sorted(k for k in found if k != "all"):
        hit, total = found[key]
        figures[f"recall_{key}"] = round(hit / total, 4)
    figures["engine"] = engine.name
    return figures


if __name__ == "__main__":
    import sys

    for name, value in evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev").items():
        print(f"{name:28} {value}")
