"""Measured quality of the bundled English sentiment model on our own labelled sentences.

``tests/data/sentiment_en.jsonl``: 120 English sentences written for this test (40 positive,
40 negative, 40 neutral: reviews, complaints, plain statements; none taken from a corpus).
The floors sit just under the figures measured when the model was chosen (docs/models.md):
a change that makes the model worse fails here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer

DATA = Path(__file__).resolve().parents[1] / "data" / "sentiment_en.jsonl"

# Measured 2026-12-02: accuracy 0.917; recall positive 1.00, negative 0.775, neutral 0.975.
ACCURACY_FLOOR = 0.90
RECALL_FLOOR = {"positive": 0.95, "negative": 0.75, "neutral": 0.95}


def test_sentence_sentiment_accuracy():
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 100
    engine = VaderSentimentAnalyzer()
    engine.load()
    results = engine.analyze([r["text"] for r in rows])
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter(r["label"] for r in rows)
    for row, result in zip(rows, results, strict=True):
        assert len(result.sentences) == 1, row["text"]
        hits[row["label"]] += result.sentiment == row["label"]
    accuracy = sum(hits.values()) / len(rows)
    recall = {label: hits[label] / totals[label] for label in totals}
    print(f"sentiment accuracy {accuracy:.3f}, recall {recall}")
    assert accuracy >= ACCURACY_FLOOR, (accuracy, recall)
    for label, floor in RECALL_FLOOR.items():
        assert recall[label] >= floor, (label, recall)
