"""Sentiment quality on the frozen issue-20 sets (tests/data/quality/sentiment_{en,fr,de,es}.jsonl).

``evaluate(split)`` runs the engine in process, one language at a time, and returns aggregate
figures only: document accuracy, recall per label and accuracy per kind (plain/hard). A language
the engine does not serve scores 0.0, as the server answers every one of its documents with
``UnsupportedLanguageCode``. Never print heldout rows: tests/data/quality/README.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "quality"
LANGUAGES = ("en", "fr", "de", "es")
LABELS = ("positive", "negative", "neutral", "mixed")


def load_rows(language: str, split: str) -> list[dict]:
    with open(DATA / f"sentiment_{language}.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r["split"] == split]


def _engine():
    from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer

    engine = VaderSentimentAnalyzer()
    engine.load()
    return engine


def predictions(engine, language: str, rows: list[dict]) -> list[str | None]:
    """Each row's document label; None where the language is not served."""
    if language not in engine.languages:
        return [None] * len(rows)
    return [d.sentiment for d in engine.analyze([r["text"] for r in rows], language=language)]


def score(rows: list[dict], predicted: list[str | None]) -> dict:
    total, right = Counter(), Counter()
    for row, label in zip(rows, predicted, strict=True):
        for key in ("all", f"label:{row['label']}", f"kind:{row['kind']}", f"domain:{row['domain']}"):
            total[key] += 1
            right[key] += label == row["label"]
    figures = {"n": total["all"], "accuracy": round(right["all"] / total["all"], 3)}
    for key in sorted(total):
        if key != "all":
            figures[key] = round(right[key] / total[key], 3)
    return figures


def evaluate(split: str = "heldout") -> dict:
    """``{language: {"n", "accuracy", "label:<l>" recall, "kind:<k>", "domain:<d>" accuracy}}``."""
    engine = _engine()
    result = {}
    for language in LANGUAGES:
        rows = load_rows(language, split)
        result[language] = score(rows, predictions(engine, language, rows))
    return result


if __name__ == "__main__":
    import sys

    for language, figures in evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev").items():
        print(language, json.dumps(figures))
