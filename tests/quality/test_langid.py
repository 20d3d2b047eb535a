"""Heldout floors for language detection (issue 20; tests/data/quality/README.md).

Issue 20's goal: accuracy >= 0.90 on short texts, confusable groups included. Measured after
the second stage (Lingua per confusable group, marker rules, Chinese by script): 0.931 overall,
0.901 on the confusable groups, 0.962 on the rest (216 texts); before it: 0.810 / 0.721 / 0.905.
The floors sit just under the measured figures, so a regression fails here.
"""

from __future__ import annotations

import pytest

from tests.quality.langid import evaluate


@pytest.fixture(scope="module")
def heldout() -> dict:
    return evaluate("heldout")


def test_overall_accuracy_floor(heldout: dict) -> None:
    assert heldout["size"] == 216
    assert heldout["accuracy_all"] >= 0.92


def test_confusable_groups_floor(heldout: dict) -> None:
    assert heldout["accuracy_confusable"] >= 0.89
    assert heldout["accuracy_other"] >= 0.95


@pytest.mark.parametrize(("group", "floor"), [
    ("chinese", 0.99), ("cyrillic", 0.99), ("czech_slovak", 0.99), ("iberian", 0.90),
    ("scandinavian", 0.90), ("malay", 0.85), ("perso_arabic", 0.85), ("devanagari", 0.80),
    ("bcs", 0.60),  # below the goal: see docs/models.md
])
def test_group_floor(heldout: dict, group: str, floor: float) -> None:
    assert heldout[f"accuracy_{group}"] >= floor
