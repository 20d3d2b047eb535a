"""Entity and PII quality on our own labelled sentences: precision and recall per category.

``tests/data/entities_en.jsonl`` (113 sentences) and ``tests/data/pii_en.jsonl``
(102 sentences) were written for this project, gold spans in code points. A
prediction counts only with the exact span and category. The floors are the
figures measured when they were set (docs/models.md), less a small margin, so a
change of model or rules that loses quality fails here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.pii import PresidioPiiEngine

DATA = Path(__file__).resolve().parents[1] / "data"

# category -> (precision floor, recall floor); measured 2026-12-02 in the comments
NER_FLOORS = {
    "Person": (0.85, 0.85),        # 0.92 / 0.92
    # 1.00 / 1.00 before issue 20; 0.87 / 1.00 after: this set leaves "subscribers", "users", "visitors"
    # unlabelled, which the issue-20 set (tests/data/quality/ner_en.jsonl) labels PersonType, as Azure does
    "PersonType": (0.85, 0.9),
    "Location": (0.9, 0.85),       # 0.96 / 0.89
    "Organization": (0.7, 0.75),   # 0.76 / 0.83
    "DateTime": (0.9, 0.9),        # 0.97 / 0.98
    "Quantity": (0.9, 0.9),        # 0.98 / 0.98
    "Event": (0.5, 0.4),           # 0.67 / 0.50
    "Product": (0.0, 0.1),         # 1.00 / 0.14  (the small model rarely finds products)
    "Email": (1.0, 1.0),
    "URL": (1.0, 1.0),
    "IP": (1.0, 1.0),
    "PhoneNumber": (1.0, 1.0),
    "Address": (1.0, 1.0),
}
NER_MICRO = (0.9, 0.87)            # 0.93 / 0.91

PII_FLOORS = {
    "Person": (0.95, 0.9),         # 1.00 / 0.95
    "Organization": (0.75, 0.85),  # 0.83 / 0.91
    "Address": (0.9, 0.95),        # 0.95 / 1.00
    "DateTime": (0.85, 0.95),      # 0.93 / 1.00
    "Email": (1.0, 1.0),
    "PhoneNumber": (1.0, 0.95),    # 1.00 / 1.00
    "URL": (1.0, 1.0),
    "IPAddress": (1.0, 1.0),
    "CreditCardNumber": (1.0, 0.85),  # 1.00 / 0.90
    "InternationalBankingAccountNumber": (1.0, 1.0),
    "USSocialSecurityNumber": (1.0, 1.0),
    "ABARoutingNumber": (1.0, 1.0),
}
PII_MICRO = (0.95, 0.95)           # 0.97 / 0.97


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def scores(rows: list[dict], predictions: list[list]) -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for row, spans in zip(rows, predictions, strict=True):
        gold = {(e["offset"], e["offset"] + e["length"], e["category"]) for e in row["entities"]}
        found = {(s.start, s.end, s.category) for s in spans}
        for item in gold:
            (tp if item in found else fn)[item[2]] += 1
        for item in found - gold:
            fp[item[2]] += 1
    per = {}
    for category in set(tp) | set(fp) | set(fn):
        p = tp[category] / (tp[category] + fp[category]) if tp[category] + fp[category] else 1.0
        r = tp[category] / (tp[category] + fn[category]) if tp[category] + fn[category] else 1.0
        per[category] = (p, r)
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return per, (t / (t + f), t / (t + n))


def report(title: str, per: dict, micro: tuple[float, float]) -> None:
    print(f"\n{title}")
    for category, (p, r) in sorted(per.items()):
        print(f"  {category:36s} P={p:.2f} R={r:.2f}")
    print(f"  {'micro':36s} P={micro[0]:.2f} R={micro[1]:.2f}")


def test_gold_data_is_consistent():
    for name in ("entities_en.jsonl", "pii_en.jsonl"):
        rows = load(name)
        assert len(rows) >= 100
        for row in rows:
            for entity in row["entities"]:
                assert row["text"][entity["offset"]:entity["offset"] + entity["length"]] == entity["text"], row


@pytest.mark.parametrize(("name", "floors", "micro_floor"), [
    ("entities_en.jsonl", NER_FLOORS, NER_MICRO),
    ("pii_en.jsonl", PII_FLOORS, PII_MICRO),
], ids=["ner", "pii"])
def test_quality_floors(name, floors, micro_floor):
    rows = load(name)
    if name.startswith("pii"):
        engine = PresidioPiiEngine()
        engine.load()
        predictions = engine.recognize([r["text"] for r in rows])
        # This set was written before PII reported person types and labels none; the issue-20 set
        # (tests/data/quality/pii_en.jsonl, tests/quality/test_pii.py) scores them.
        predictions = [[s for s in spans if s.category != "PersonType"] for spans in predictions]
    else:
        engine = SpacyEntityEngine()
        engine.load()
        predictions = engine.recognize([r["text"] for r in rows])
    per, micro = scores(rows, predictions)
    report(name, per, micro)
    below = {c: per.get(c, (0.0, 0.0)) for c, (pf, rf) in floors.items()
             if per.get(c, (0.0, 0.0))[0] < pf or per.get(c, (0.0, 0.0))[1] < rf}
    assert not below, f"below the floor: {below}"
    assert micro[0] >= micro_floor[0] and micro[1] >= micro_floor[1], micro
