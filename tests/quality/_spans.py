"""Exact-span scoring shared by the NER and PII evaluations: aggregates only, never rows."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "quality"


def rows(name: str, split: str) -> list[dict]:
    if split not in ("dev", "heldout"):
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [r for r in (json.loads(line) for line in lines if line.strip()) if r["split"] == split]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "gold": tp + fn, "found": tp + fp}


def exact_scores(gold_rows: list[list[tuple]], found_rows: list[list[tuple]]) -> dict:
    """Micro and per-category P/R/F1 of (start, end, category) tuples; the category is item[2]."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, found in zip(gold_rows, found_rows, strict=True):
        gold_set, found_set = set(gold), set(found)
        for item in gold_set:
            (tp if item in found_set else fn)[item[2]] += 1
        for item in found_set - gold_set:
            fp[item[2]] += 1
    per = {c: _prf(tp[c], fp[c], fn[c]) for c in sorted(set(tp) | set(fp) | set(fn))}
    return {"micro": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values())), "per_category": per}
