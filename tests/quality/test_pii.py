"""Heldout floors for English PII (issue 20): exact spans and redaction on tests/data/quality/pii_en.jsonl.

The issue's goals are exact F1 >= 0.90 (reached) with >= 98% of gold spans hidden by `redactedText`
(not reached: 94.1%, docs/models.md). Measured 2026-12 (92 snippets, 18 negatives, 153 entities):
before the issue-20 rules P 0.694 / R 0.654 / F1 0.673, gold characters hidden 0.779, spans fully
hidden 0.758, 12.9% of negative-snippet characters masked; first pass P 0.890 / R 0.850 / F1 0.870,
0.932 / 0.876 hidden, 3.7% masked; second pass (licences by label, age forms, names by given name
or cue, named dates, whole addresses) P 0.913 / R 0.895 / F1 0.904, 0.953 / 0.915 hidden, 3.7%
masked; third pass (names from the tagger's proper nouns, whole names and dates, compound roles,
more roles and company heads, code-shaped "names" dropped) P 0.947 / R 0.928 / F1 0.937, 0.965 /
0.941 hidden, 2.3% masked (1 negative touched). Floors sit just under the measured figures.
"""

from __future__ import annotations

import pytest

from tests.quality.pii import evaluate


@pytest.fixture(scope="module")
def heldout() -> dict:
    return evaluate("heldout")


def test_pii_heldout_exact_f1(heldout):
    micro = heldout["exact"]["micro"]
    assert micro["f1"] >= 0.93, micro
    assert micro["p"] >= 0.94 and micro["r"] >= 0.92, micro


def test_pii_heldout_redaction(heldout):
    redaction = heldout["redaction"]
    assert redaction["chars_hidden"] >= 0.96, redaction
    assert redaction["spans_fully_hidden"] >= 0.935, redaction
    assert redaction["negative_chars_masked"] <= 0.03, redaction


@pytest.mark.parametrize(("category", "f1"), [
    ("DateTime", 0.94), ("Person", 0.91), ("Address", 0.9), ("Age", 0.85), ("USDriversLicenseNumber", 1.0),
    ("PersonType", 0.9), ("Organization", 0.8),
    ("Email", 1.0), ("CreditCardNumber", 1.0),
    ("USIndividualTaxpayerIdentification", 1.0), ("USSocialSecurityNumber", 1.0), ("USBankAccountNumber", 1.0),
])
def test_pii_heldout_category_floors(heldout, category, f1):
    assert heldout["exact"]["per_category"][category]["f1"] >= f1, heldout["exact"]["per_category"][category]
