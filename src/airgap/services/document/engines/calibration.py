"""Field confidences that mean something: each prebuilt model's raw evidence score (label found,
parser success, check digits, totals agreeing, OCR confidence) mapped onto how often a field with
that score was right on the evaluation set's dev half.

The tables are isotonic regressions (scikit-learn, fitted offline, increasing, so a field with more
evidence never reports less confidence) of "field right?" on the raw score over every field the
dev half scores, written here as breakpoints; between them the mapping is linear, outside them
flat. `tests/quality/calibrate_documents.py` recomputes them from dev; never from heldout.
"""

from __future__ import annotations

from bisect import bisect_right

from airgap.services.document.engines.words import Document, Field

# (raw score, calibrated confidence) breakpoints per model, increasing in both; a model without a
# table keeps its raw scores. Printed by `.venv/bin/python -m tests.quality.calibrate_documents`
# (isotonic fit on the dev half, 2026-12-04). Dev had no wrong idDocument or businessCard field, so
# their tables only say "as right as dev allows" (0.99) over the scores dev saw; what the fields
# below that score report still falls with the evidence.
TABLES: dict[str, tuple[tuple[float, float], ...]] = {
    # 417 dev fields, 4 wrong
    "invoice": ((0.0, 0.05), (0.693, 0.8), (0.728, 0.8), (0.729, 0.976), (0.756, 0.976), (0.757, 0.981),
                (0.924, 0.981), (0.927, 0.99), (0.99, 0.99)),
    # 196 dev fields, 19 wrong
    "receipt": ((0.0, 0.05), (0.428, 0.5), (0.698, 0.5), (0.699, 0.667), (0.71, 0.833), (0.714, 0.833),
                (0.715, 0.921), (0.758, 0.921), (0.759, 0.94), (0.833, 0.94), (0.838, 0.957), (0.958, 0.957),
                (0.96, 0.99), (0.99, 0.99)),
    # 91 dev fields, 0 wrong
    "idDocument": ((0.0, 0.05), (0.55, 0.99), (0.99, 0.99)),
    # 91 dev fields, 0 wrong
    "businessCard": ((0.0, 0.05), (0.491, 0.99), (0.95, 0.99)),
}

# Never report certainty from a few hundred dev fields, nor zero for a value that was read.
_FLOOR, _CEILING = 0.05, 0.99


def mapped(model: str, raw: float) -> float:
    table = TABLES.get(model)
    if not table:
        return raw
    xs = [x for x, _ in table]
    i = bisect_right(xs, raw)
    if i == 0:
        value = table[0][1]
    elif i == len(table):
        value = table[-1][1]
    else:
        (x0, y0), (x1, y1) = table[i - 1], table[i]
        value = y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1
    return round(min(_CEILING, max(_FLOOR, value)), 3)


def _walk(model: str, field: Field) -> None:
    if field.confidence is not None and field.evidence is None:
        field.evidence = field.confidence
        field.confidence = mapped(model, field.confidence)
    children = field.value.values() if isinstance(field.value, dict) else field.value if isinstance(field.value, list) else ()
    for child in children:
        if isinstance(child, Field):
            _walk(model, child)


def calibrate(model: str, document: Document) -> Document:
    """Replace every field's confidence (nested items and array elements too) by the calibrated
    one, keeping the raw score in `evidence`. A field object shared by two places is mapped once."""
    for field in document.fields.values():
        _walk(model, field)
    return document
