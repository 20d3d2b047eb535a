"""Heldout floors for prebuilt-idDocument and prebuilt-businessCard fields (issue 17) on
tests/data/quality/id_documents.jsonl / business_cards.jsonl (tests/quality/id_documents.py scores them).

Measured once, 2026-12-04 (Tesseract; heldout 10 ID documents: 4 passports, 3 identity cards,
3 US driving licences; 10 business cards over 4 layouts): before this slice both models answered
ModelNotFound (0 / 0); after, idDocument micro P 0.980 / R 0.980, businessCard micro P 0.944 /
R 0.904. Floors sit just under the measured figures, so a change that loses quality fails here.
The issue asks for the figures in docs/models.md, not a target.
"""

from __future__ import annotations

import pytest

from tests.quality.id_documents import evaluate


@pytest.fixture(scope="module")
def heldout() -> dict:
    return evaluate("heldout")


def test_id_document_heldout_micro(heldout):
    micro = heldout["idDocument"]["micro"]
    assert micro["p"] >= 0.96 and micro["r"] >= 0.96, micro


def test_business_card_heldout_micro(heldout):
    micro = heldout["businessCard"]["micro"]
    assert micro["p"] >= 0.92 and micro["r"] >= 0.88, micro


@pytest.mark.parametrize(("model", "field", "recall"), [
    ("idDocument", "docType", 1.0), ("idDocument", "DocumentNumber", 0.9), ("idDocument", "DateOfBirth", 0.9),
    ("idDocument", "DateOfExpiration", 0.9), ("idDocument", "MachineReadableZone.DocumentNumber", 0.9),
    ("idDocument", "Address", 0.9),
    ("businessCard", "Emails", 0.9), ("businessCard", "ContactNames.LastName", 0.75),
    ("businessCard", "WorkPhones", 0.9), ("businessCard", "Addresses", 0.85),
])
def test_field_recall_floors(heldout, model, field, recall):
    assert heldout[model]["fields"][field]["r"] >= recall, heldout[model]["fields"][field]
