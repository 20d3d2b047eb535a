"""The calibration of prebuilt field confidences (engines/calibration.py): tables are monotone,
interpolated between breakpoints, applied to nested fields once, with the raw score kept."""

from __future__ import annotations

import pytest

from airgap.services.document.engines import calibration
from airgap.services.document.engines.calibration import TABLES, calibrate, mapped
from airgap.services.document.engines.words import Document, Field


@pytest.mark.parametrize("model", sorted(TABLES))
def test_tables_are_monotone_and_bounded(model):
    table = TABLES[model]
    assert all(a[0] < b[0] and a[1] <= b[1] for a, b in zip(table, table[1:], strict=False))
    scores = [mapped(model, i / 100) for i in range(101)]
    assert scores == sorted(scores) and 0.05 <= scores[0] and scores[-1] <= 0.99


def test_interpolates_and_clips(monkeypatch):
    monkeypatch.setitem(calibration.TABLES, "toy", ((0.0, 0.05), (0.5, 0.55), (0.8, 0.95)))
    assert mapped("toy", 0.25) == 0.3
    assert mapped("toy", 0.65) == 0.75
    assert mapped("toy", 1.0) == 0.95
    assert mapped("no such model", 0.42) == 0.42


def test_weaker_evidence_below_the_dev_range_still_reports_less():
    # A failed MRZ check digit scores 0.4, below every idDocument score dev saw.
    assert mapped("idDocument", 0.4) < mapped("idDocument", 0.99)


def test_calibrate_walks_items_and_arrays_once(monkeypatch):
    monkeypatch.setitem(calibration.TABLES, "toy", ((0.0, 0.05), (1.0, 0.85)))
    amount = Field("number", 3.0, confidence=0.5)
    item = Field("object", {"Amount": amount}, confidence=0.5)
    shared = Field("string", "ACME", confidence=0.5)
    document = Document("toy", {"Items": Field("array", [item]), "VendorName": shared, "Alias": shared,
                                "Empty": Field("string", None)})
    calibrate("toy", document)
    assert (amount.confidence, amount.evidence) == (0.45, 0.5)
    assert item.confidence == 0.45 and shared.confidence == 0.45 and shared.evidence == 0.5
    assert document.fields["Items"].confidence is None and document.fields["Empty"].confidence is None
