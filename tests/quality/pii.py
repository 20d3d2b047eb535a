"""English PII on the issue-20 set (tests/data/quality/pii_en.jsonl), in process.

`evaluate(split)` runs `PresidioPiiEngine` and its redaction as the Language service does and
returns exact-span precision, recall and F1 (gold offsets and category), how much of the gold
entities `redactedText` hides (characters and whole spans), and how many characters it masks
in the negative snippets (look-alikes only). Only aggregates are returned, so the heldout half
can be measured without reading its rows.

The engine runs with ``domain=phi``: the set labels ages `Age` (as Azure's 2023-04-01
`PiiCategory`), which this service reports as `Quantity`/`Age` under `phi` only; that one
category name is mapped for scoring.
"""

from __future__ import annotations

from airgap.services.language.engines.pii import PresidioPiiEngine
from tests.quality._spans import exact_scores, rows


def _category(category: str, subcategory: str | None) -> str:
    return "Age" if (category, subcategory) == ("Quantity", "Age") else category


def evaluate(split: str) -> dict:
    data = rows("pii_en.jsonl", split)
    engine = PresidioPiiEngine()
    engine.load()
    texts = [r["text"] for r in data]
    found = engine.recognize(texts, phi=True)
    redacted = [engine.redact(text, spans) for text, spans in zip(texts, found, strict=True)]
    gold = [[(e["offset"], e["offset"] + e["length"], e["category"]) for e in r["entities"]] for r in data]
    spans = [[(s.start, s.end, _category(s.category, s.subcategory)) for s in doc] for doc in found]

    chars = hidden = spans_total = spans_hidden = 0
    negative_chars = negative_masked = negatives_touched = 0
    for row, text, masked in zip(data, texts, redacted, strict=True):
        if not row["entities"]:
            negative_chars += len(text)
            changed = sum(1 for a, b in zip(text, masked, strict=True) if a != b)
            negative_masked += changed
            negatives_touched += bool(changed)
        for e in row["entities"]:
            # Spaces inside a span say nothing about the person: count what identifies.
            positions = [i for i in range(e["offset"], e["offset"] + e["length"]) if not text[i].isspace()]
            covered = sum(1 for i in positions if masked[i] == "*")
            chars += len(positions)
            hidden += covered
            spans_total += 1
            spans_hidden += covered == len(positions)
    return {
        "size": len(data), "negatives": sum(1 for r in data if not r["entities"]), "entities": spans_total,
        "exact": exact_scores(gold, spans),
        "redaction": {"chars_hidden": round(hidden / chars, 3) if chars else 1.0,
                      "spans_fully_hidden": round(spans_hidden / spans_total, 3) if spans_total else 1.0,
                      "negatives_with_masking": negatives_touched,
                      "negative_chars_masked": round(negative_masked / negative_chars, 4) if negative_chars else 0.0},
    }


def _print(figures: dict) -> None:
    print(f"snippets {figures['size']} ({figures['negatives']} negatives), entities {figures['entities']}")
    micro = figures["exact"]["micro"]
    print(f"exact: P {micro['p']:.3f} R {micro['r']:.3f} F1 {micro['f1']:.3f}")
    print("redaction:", figures["redaction"])
    for category, s in figures["exact"]["per_category"].items():
        print(f"  {category:36} P {s['p']:.2f} R {s['r']:.2f} F1 {s['f1']:.2f}  gold {s['gold']}")


if __name__ == "__main__":
    import sys

    _print(evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev"))
