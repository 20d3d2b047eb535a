"""prebuilt-idDocument and prebuilt-businessCard fields on the issue-17 set
(tests/data/quality/id_documents.py), in process: render, read (Tesseract, barcodes on), lay out as
the analyze job does, extract, score against the hand-written truth.

Per model and field: precision (of the values returned, how many are right) and recall (of the
values in the truth, how many were returned right), micro-averaged over fields too. Strings
compare case-folded with spaces collapsed; dates exactly; countries as alpha-3; addresses by
their words; phone numbers as E.164; business-card arrays as sets. `docType` is scored as a
field. Only aggregates are returned, so the heldout half can be measured without reading its rows.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

from airgap.ocr import make_engine
from airgap.ocr.pages import open_document
from airgap.ocr.reading import read_pages
from airgap.services.document.engines.business_card import extract_business_card
from airgap.services.document.engines.id_document import extract_id_document
from airgap.services.document.engines.parsers import find_phone, fold
from airgap.services.document.layout import lay_out

_GENERATOR = Path(__file__).resolve().parents[1] / "data" / "quality" / "id_documents.py"
DOC_TYPES = {"passport": "idDocument.passport", "idcard": "idDocument.nationalIdentityCard",
             "licence": "idDocument.driverLicense"}
ID_FIELDS = ("docType", "FirstName", "LastName", "DocumentNumber", "DateOfBirth", "DateOfExpiration", "Sex",
             "CountryRegion", "Nationality", "Region", "Address", "MachineReadableZone.DocumentNumber",
             "MachineReadableZone.DateOfBirth")
CARD_FIELDS = ("ContactNames.FirstName", "ContactNames.LastName", "CompanyNames", "JobTitles", "Departments",
               "Emails", "Websites", "MobilePhones", "WorkPhones", "Faxes", "Addresses")


def generator():
    spec = importlib.util.spec_from_file_location("quality_id_documents", _GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality_id_documents", module)
    spec.loader.exec_module(module)
    return module


def analyze(engine, data: bytes, model: str):
    pdf = data if data.startswith(b"%PDF-") else None
    # As the analyze job reads for these models: no tables; barcodes for the ID model.
    pages = read_pages(engine, open_document(data), None, tables=False, pdf=pdf, barcodes=model == "idDocument")
    layout = lay_out(pages, tables=False)
    return (extract_id_document if model == "idDocument" else extract_business_card)(layout)


def norm(value) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    return re.sub(r"\s+", " ", re.sub(r"[^\w@.'\-/ ]", " ", fold(str(value)))).strip(" .,")


def _words(value) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    return " ".join(re.findall(r"\w+", fold(str(value))))


def _found(field):
    if field is None:
        return None
    if field.kind == "address":
        return _words(field.content)
    return norm(field.value)


def _score(counts: Counter, key: str, gold: set[str], found: set[str]) -> None:
    counts[key, "gold"] += len(gold)
    counts[key, "found"] += len(found)
    counts[key, "right"] += len(gold & found)


def _figures(counts: Counter, keys, documents: int) -> dict:
    per_field = {}
    for key in keys:
        gold, found, right = counts[key, "gold"], counts[key, "found"], counts[key, "right"]
        per_field[key] = {"p": round(right / found, 3) if found else 1.0,
                          "r": round(right / gold, 3) if gold else 1.0, "gold": gold}
    gold = sum(counts[k, "gold"] for k in keys)
    found = sum(counts[k, "found"] for k in keys)
    right = sum(counts[k, "right"] for k in keys)
    micro = {"p": round(right / max(1, found), 3), "r": round(right / max(1, gold), 3)}
    return {"documents": documents, "micro": micro,
            "fields": per_field}


def _id_row(counts: Counter, row: dict, document) -> None:
    gold_fields = row["fields"]
    _score(counts, "docType", {DOC_TYPES[row["kind"]]}, {document.doc_type})
    for key in ID_FIELDS[1:]:
        name, _, sub = key.partition(".")
        field = document.fields.get(name)
        if sub:
            if row["kind"] != "passport":
                continue
            gold = gold_fields.get(sub)
            field = field.value.get(sub) if field is not None and isinstance(field.value, dict) else None
        else:
            gold = gold_fields.get(name)
            if name == "Nationality" and row["kind"] == "licence":
                gold = None
            if name == "Region" and row["kind"] != "licence":
                gold = None
        found = _found(field)
        gold_norm = None if gold is None else (_words(gold) if name == "Address" else norm(gold))
        _score(counts, key, {gold_norm} if gold_norm else set(), {found} if found else set())


def _card_row(counts: Counter, row: dict, document) -> None:
    gold_fields = row["fields"]
    names = document.fields.get("ContactNames")
    found_names = [f.value for f in names.value] if names is not None else []
    for part in ("FirstName", "LastName"):
        gold = {norm(n[part]) for n in gold_fields["ContactNames"]}
        found = {_found(n.get(part)) for n in found_names if n.get(part) is not None}
        _score(counts, f"ContactNames.{part}", gold, found)
    for key in CARD_FIELDS[2:]:
        field = document.fields.get(key)
        values = field.value if field is not None else []
        if key.endswith("Phones") or key == "Faxes":
            gold = {p[0] for p in (find_phone(g, "US") for g in gold_fields[key]) if p}
            found = {f.value for f in values}
        elif key == "Addresses":
            gold = {_words(g) for g in gold_fields[key]}
            found = {_found(f) for f in values}
        else:
            gold = {norm(g) for g in gold_fields[key]}
            found = {_found(f) for f in values}
        _score(counts, key, gold, found)


def evaluate(split: str, models: tuple[str, ...] = ("idDocument", "businessCard")) -> dict:
    if split not in ("dev", "heldout"):
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")
    data = generator()
    engine = make_engine("tesseract")
    engine.load()
    figures: dict = {}
    for model in models:
        counts: Counter = Counter()
        rows = data.rows("id_documents" if model == "idDocument" else "business_cards", split)
        for row in rows:
            document = analyze(engine, data.render(row), model)
            (_id_row if model == "idDocument" else _card_row)(counts, row, document)
        figures[model] = _figures(counts, ID_FIELDS if model == "idDocument" else CARD_FIELDS, len(rows))
    return figures


def _print(figures: dict) -> None:
    for model, f in figures.items():
        print(f"{model}: {f['documents']} documents, micro P {f['micro']['p']:.3f} R {f['micro']['r']:.3f}")
        for name, s in f["fields"].items():
            print(f"  {name:36} P {s['p']:.2f} R {s['r']:.2f}  gold {s['gold']}")


if __name__ == "__main__":
    _print(evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev", tuple(sys.argv[2:]) or ("idDocument", "businessCard")))
