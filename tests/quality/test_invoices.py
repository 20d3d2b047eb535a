"""Heldout floors for prebuilt-invoice and prebuilt-receipt fields (issue 17) on
tests/data/quality/invoices.jsonl / receipts.jsonl (tests/quality/invoices.py scores them).

Measured 2026-12-04 (Tesseract; heldout 20 invoices over 8 layouts, 16 receipts over 4 layouts):
before this slice both models answered ModelNotFound (0 / 0); after, invoice micro P 0.990 / R 0.938,
receipt micro P 0.918 / R 0.814. Floors sit just under the measured figures, so a change that loses
quality fails here. The misses are mostly OCR's (single digits in ruled cells, words misread on
noisy scans); the issue asks for figures in docs/models.md, not a target.
"""

from __future__ import annotations

import pytest

from tests.quality.invoices import evaluate


@pytest.fixture(scope="module")
def heldout() -> dict:
    return evaluate("heldout")


def test_invoice_heldout_micro(heldout):
    micro = heldout["invoice"]["micro"]
    assert micro["p"] >= 0.97 and micro["r"] >= 0.92, micro


def test_receipt_heldout_micro(heldout):
    micro = heldout["receipt"]["micro"]
    assert micro["p"] >= 0.90 and micro["r"] >= 0.79, micro


@pytest.mark.parametrize(("model", "field", "recall"), [
    ("invoice", "InvoiceTotal", 0.95), ("invoice", "InvoiceId", 0.95), ("invoice", "InvoiceDate", 0.95),
    ("invoice", "VendorName", 0.9), ("invoice", "CustomerName", 0.9), ("invoice", "Items.Amount", 0.9),
    ("receipt", "Total", 0.95), ("receipt", "MerchantName", 0.85), ("receipt", "TransactionDate", 0.95),
    ("receipt", "MerchantPhoneNumber", 0.95), ("receipt", "Items.TotalPrice", 0.78),
])
def test_field_recall_floors(heldout, model, field, recall):
    assert heldout[model]["fields"][field]["r"] >= recall, heldout[model]["fields"][field]
