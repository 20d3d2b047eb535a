"""prebuilt-invoice and prebuilt-receipt fields on the issue-17 set (tests/data/quality/invoices.py),
in process: render each document, read it (Tesseract) and lay it out as the analyze job does,
extract the fields, and score them against the hand-written truth.

Per model and field: precision (of the values returned, how many are right) and recall (of the
values in the truth, how many were returned right). Strings compare folded with spaces
collapsed, amounts to the cent, dates and times exactly, phone numbers as E.164, addresses by
their words. Items are matched in order and scored per item field (`Items.Amount`, ...).
A receipt's quantity of one is not scored (tills print it or not). Only aggregates are returned, so the heldout half can be measured without reading its rows.
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
from airgap.services.document.engines.invoice import extract_invoice
from airgap.services.document.engines.parsers import Money, find_phone, fold
from airgap.services.document.engines.receipt import extract_receipt
from airgap.services.document.layout import lay_out

_GENERATOR = Path(__file__).resolve().parents[1] / "data" / "quality" / "invoices.py"

INVOICE_FIELDS = ("VendorName", "VendorAddress", "CustomerName", "CustomerAddress", "InvoiceId", "InvoiceDate",
                  "DueDate", "SubTotal", "TotalTax", "InvoiceTotal")
INVOICE_ITEM_FIELDS = ("Description", "Quantity", "UnitPrice", "Amount")
RECEIPT_FIELDS = ("MerchantName", "MerchantAddress", "MerchantPhoneNumber", "TransactionDate", "TransactionTime",
                  "Subtotal", "TotalTax", "Tip", "Total")
RECEIPT_ITEM_FIELDS = ("Description", "Quantity", "TotalPrice")
_REGIONS = {"en": "US", "de": "DE", "fr": "FR"}


def generator():
    spec = importlib.util.spec_from_file_location("quality_invoices", _GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality_invoices", module)
    spec.loader.exec_module(module)
    return module


def analyze(engine, data: bytes, model: str):
    pages = read_pages(engine, open_document(data), None, tables=True, pdf=data if data.startswith(b"%PDF-") else None)
    layout = lay_out(pages, tables=True)
    return (extract_invoice if model == "invoice" else extract_receipt)(layout)


def _text(value) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    return re.sub(r"\s+", " ", fold(str(value)).replace("|", " ").replace("·", " ")).strip(" .,:")


def _same(name: str, gold, found, region: str) -> bool:
    if found is None:
        return False
    if isinstance(found, Money):
        found = found.amount
    if isinstance(gold, float | int) and not isinstance(gold, bool):
        return isinstance(found, float | int) and abs(float(found) - float(gold)) < 0.005
    if name == "MerchantPhoneNumber":
        phone = find_phone(gold, region)
        return phone is not None and phone[0] == found
    return _text(gold) == _text(found)


def _value(field):
    if field is None:
        return None
    if field.kind == "address":  # the address as printed: its content
        return field.content
    return field.value


def _score(counts: Counter, key: str, gold, found, region: str) -> None:
    if gold is not None:
        counts[key, "gold"] += 1
    if found is not None:
        counts[key, "found"] += 1
    if gold is not None and _same(key.split(".")[-1], gold, found, region):
        counts[key, "right"] += 1


def evaluate(split: str, models: tuple[str, ...] = ("invoice", "receipt")) -> dict:
    if split not in ("dev", "heldout"):
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")
    data = generator()
    engine = make_engine("tesseract")
    engine.load()
    figures: dict = {}
    for model in models:
        kind = "invoices" if model == "invoice" else "receipts"
        fields, item_fields = ((INVOICE_FIELDS, INVOICE_ITEM_FIELDS) if model == "invoice"
                               else (RECEIPT_FIELDS, RECEIPT_ITEM_FIELDS))
        counts: Counter = Counter()
        rows = data.rows(kind, split)
        for row in rows:
            document = analyze(engine, data.render(row), model)
            region = _REGIONS.get(row["lang"], "US")
            for name in fields:
                _score(counts, name, row["fields"].get(name), _value(document.fields.get(name)), region)
            found_items = document.fields.get("Items")
            found_items = found_items.value if found_items is not None else []
            gold_items = row["fields"]["Items"]
            for i in range(max(len(gold_items), len(found_items))):
                gold = gold_items[i] if i < len(gold_items) else {}
                found = found_items[i].value if i < len(found_items) else {}
                for name in item_fields:
                    if model == "receipt" and name == "Quantity" and gold.get(name) == 1:
                        continue  # a till prints a quantity of one or not, as it likes
                    _score(counts, f"Items.{name}", gold.get(name), _value(found.get(name)), region)
        per_field = {}
        for key in [*fields, *(f"Items.{n}" for n in item_fields)]:
            gold, found, right = counts[key, "gold"], counts[key, "found"], counts[key, "right"]
            per_field[key] = {"p": round(right / found, 3) if found else 1.0,
                              "r": round(right / gold, 3) if gold else 1.0, "gold": gold}
        gold = sum(counts[k, "gold"] for k in per_field)
        found = sum(counts[k, "found"] for k in per_field)
        right = sum(counts[k, "right"] for k in per_field)
        figures[model] = {"documents": len(rows), "micro": {"p": round(right / max(1, found), 3),
                                                            "r": round(right / max(1, gold), 3)},
                          "fields": per_field}
    return figures


def _print(figures: dict) -> None:
    for model, f in figures.items():
        print(f"{model}: {f['documents']} documents, micro P {f['micro']['p']:.3f} R {f['micro']['r']:.3f}")
        for name, s in f["fields"].items():
            print(f"  {name:24} P {s['p']:.2f} R {s['r']:.2f}  gold {s['gold']}")


if __name__ == "__main__":
    _print(evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev",
                    tuple(sys.argv[2:]) or ("invoice", "receipt")))
