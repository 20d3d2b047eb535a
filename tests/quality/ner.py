"""English NER on the issue-20 set (tests/data/quality/ner_en.jsonl), in process.

`evaluate(split)` runs `SpacyEntityEngine` as the Language service does and returns exact-span
precision, recall and F1: a found entity counts only with the gold offsets and category
(`exact`), and, stricter, with the subcategory too (`exact_subcategory`). Only aggregates are
returned, so the heldout half can be measured without reading its rows.
"""

from __future__ import annotations

from airgap.services.language.engines.entities import SpacyEntityEngine
from tests.quality._spans import exact_scores, rows


def evaluate(split: str) -> dict:
    data = rows("ner_en.jsonl", split)
    engine = SpacyEntityEngine()
    engine.load()
    found = engine.recognize([r["text"] for r in data])
    gold = [[(e["offset"], e["offset"] + e["length"], e["category"]) for e in r["entities"]] for r in data]
    spans = [[(s.start, s.end, s.category) for s in doc] for doc in found]
    gold_sub = [[(e["offset"], e["offset"] + e["length"], f"{e['category']}/{e.get('subcategory') or ''}")
                 for e in r["entities"]] for r in data]
    spans_sub = [[(s.start, s.end, f"{s.category}/{s.subcategory or ''}") for s in doc] for doc in found]
    return {"size": len(data), "entities": sum(len(g) for g in gold),
            "exact": exact_scores(gold, spans), "exact_subcategory": exact_scores(gold_sub, spans_sub)}


def _print(figures: dict) -> None:
    print(f"sentences {figures['size']}, entities {figures['entities']}")
    for key in ("exact", "exact_subcategory"):
        micro = figures[key]["micro"]
        print(f"{key}: P {micro['p']:.3f} R {micro['r']:.3f} F1 {micro['f1']:.3f}")
    for category, s in figures["exact"]["per_category"].items():
        print(f"  {category:28} P {s['p']:.2f} R {s['r']:.2f} F1 {s['f1']:.2f}  gold {s['gold']}")


if __name__ == "__main__":
    import sys

    _print(evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev"))
