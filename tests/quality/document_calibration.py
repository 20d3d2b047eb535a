"""Are the prebuilt document models' field confidences calibrated? For every field a model returns
where the set has a truth to judge it by, the pair (confidence, right?), scored as
tests/quality/invoices.py and tests/quality/id_documents.py score precision; then, per model, the
expected calibration error over 5 equal-width bins (ECE: the bins' |precision - mean confidence|,
weighted by how many fields fall in each) and each bin's precision.

`docType` is the document's confidence, not a field's, and is left out; so are fields the
precision figures do not score (a receipt's quantity of one, MRZ parts of identity cards and
licences). Only aggregates are returned, so the heldout half can be measured without reading its
rows. `pairs()` also hands back each field's raw evidence score, from which
tests/quality/calibrate_documents.py fits the mapping on dev.
"""

from __future__ import annotations

import sys

from airgap.ocr import make_engine
from tests.quality import id_documents, invoices

MODELS = ("invoice", "receipt", "idDocument", "businessCard")
BINS = 5


def _pair(out: list, field, right: bool) -> None:
    if field is not None and field.confidence is not None:
        raw = field.evidence if field.evidence is not None else field.confidence
        out.append((field.confidence, raw, bool(right)))


def _invoice_pairs(out: list, model: str, row: dict, document) -> None:
    names, item_names = ((invoices.INVOICE_FIELDS, invoices.INVOICE_ITEM_FIELDS) if model == "invoice"
                         else (invoices.RECEIPT_FIELDS, invoices.RECEIPT_ITEM_FIELDS))
    region = invoices._REGIONS.get(row["lang"], "US")
    for name in names:
        field, gold = document.fields.get(name), row["fields"].get(name)
        _pair(out, field, gold is not None and invoices._same(name, gold, invoices._value(field), region))
    found_items = document.fields.get("Items")
    found_items = found_items.value if found_items is not None else []
    gold_items = row["fields"]["Items"]
    for i, item in enumerate(found_items):
        gold = gold_items[i] if i < len(gold_items) else {}
        for name in item_names:
            if model == "receipt" and name == "Quantity" and gold.get(name) == 1:
                continue
            field = item.value.get(name)
            _pair(out, field, gold.get(name) is not None
                  and invoices._same(name, gold.get(name), invoices._value(field), region))


def _id_pairs(out: list, row: dict, document) -> None:
    gold_fields = row["fields"]
    for key in id_documents.ID_FIELDS[1:]:
        name, _, sub = key.partition(".")
        field = document.fields.get(name)
        if sub:
            if row["kind"] != "passport":
                continue
            gold = gold_fields.get(sub)
            field = field.value.get(sub) if field is not None and isinstance(field.value, dict) else None
        else:
            gold = gold_fields.get(name)
            if (name == "Nationality" and row["kind"] == "licence") or (name == "Region" and row["kind"] != "licence"):
                gold = None
        if field is None:
            continue
        gold_norm = None if gold is None else (id_documents._words(gold) if name == "Address"
                                               else id_documents.norm(gold))
        _pair(out, field, bool(gold_norm) and id_documents._found(field) == gold_norm)


def _card_pairs(out: list, row: dict, document) -> None:
    gold_fields = row["fields"]
    norm, found_of = id_documents.norm, id_documents._found
    names = document.fields.get("ContactNames")
    for name in names.value if names is not None else []:
        for part in ("FirstName", "LastName"):
            field = name.value.get(part)
            if field is not None:
                _pair(out, field, found_of(field) in {norm(n[part]) for n in gold_fields["ContactNames"]})
    for key in id_documents.CARD_FIELDS[2:]:
        field = document.fields.get(key)
        if key.endswith("Phones") or key == "Faxes":
            gold = {p[0] for p in (invoices.find_phone(g, "US") for g in gold_fields[key]) if p}
            for f in field.value if field is not None else []:
                _pair(out, f, f.value in gold)
            continue
        gold = ({id_documents._words(g) for g in gold_fields[key]} if key == "Addresses"
                else {norm(g) for g in gold_fields[key]})
        for f in field.value if field is not None else []:
            _pair(out, f, found_of(f) in gold)


def pairs(split: str, models: tuple[str, ...] = MODELS) -> dict[str, list[tuple[float, float, bool]]]:
    """model -> [(confidence, raw evidence score, right?)] over the split's documents."""
    if split not in ("dev", "heldout"):
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")
    engine = make_engine("tesseract")
    engine.load()
    out: dict[str, list] = {}
    for model in models:
        found: list = []
        if model in ("invoice", "receipt"):
            data = invoices.generator()
            for row in data.rows("invoices" if model == "invoice" else "receipts", split):
                _invoice_pairs(found, model, row, invoices.analyze(engine, data.render(row), model))
        else:
            data = id_documents.generator()
            for row in data.rows("id_documents" if model == "idDocument" else "business_cards", split):
                document = id_documents.analyze(engine, data.render(row), model)
                (_id_pairs(found, row, document) if model == "idDocument" else _card_pairs(found, row, document))
        out[model] = found
    return out


def calibration(scored: list[tuple[float, bool]]) -> dict:
    """ECE over 5 equal-width bins, and each bin's count, mean confidence and precision."""
    bins = [[] for _ in range(BINS)]
    for confidence, right in scored:
        bins[min(BINS - 1, int(confidence * BINS))].append((confidence, right))
    ece, table = 0.0, []
    for i, members in enumerate(bins):
        if not members:
            table.append({"bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}", "n": 0})
            continue
        confidence = sum(c for c, _ in members) / len(members)
        precision = sum(r for _, r in members) / len(members)
        ece += len(members) / len(scored) * abs(precision - confidence)
        table.append({"bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}", "n": len(members),
                      "confidence": round(confidence, 3), "precision": round(precision, 3)})
    return {"fields": len(scored), "ece": round(ece, 4), "bins": table}


def evaluate(split: str, models: tuple[str, ...] = MODELS) -> dict:
    """Per model: ECE and per-bin precision of the confidences the model returns."""
    return {model: calibration([(c, r) for c, _, r in found]) for model, found in pairs(split, models).items()}


def _print(figures: dict) -> None:
    for model, f in figures.items():
        print(f"{model}: {f['fields']} fields, ECE {f['ece']:.4f}")
        for b in f["bins"]:
            if b["n"]:
                print(f"  {b['bin']}  n {b['n']:4}  confidence {b['confidence']:.3f}  precision {b['precision']:.3f}")


if __name__ == "__main__":
    _print(evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev", tuple(sys.argv[2:]) or MODELS))
