"""Recompute the calibration tables of src/airgap/services/document/engines/calibration.py from the
DEV half of the issue-17 sets (never heldout): per model, an isotonic regression (scikit-learn,
increasing, clipped) of "was the field right?" on the field's raw evidence score, over every field
tests/quality/document_calibration.py scores. Prints the TABLES literal to paste into the module.

    .venv/bin/python -m tests.quality.calibrate_documents

Offline only: scikit-learn is not needed at run time, the server interpolates the printed table.
Below the lowest raw score dev shows, the table falls linearly to the floor at 0 (a breakpoint
(0.0, 0.05) is prepended) so that weaker evidence than dev ever saw, a failed check digit say,
still reports less, not the lowest dev block's precision.
"""

from __future__ import annotations

import sys

import numpy as np
from sklearn.isotonic import IsotonicRegression

from tests.quality.document_calibration import MODELS, pairs

FLOOR, CEILING = 0.05, 0.99


def fit(found: list[tuple[float, float, bool]]) -> tuple[tuple[float, float], ...]:
    raw = np.array([r for _, r, _ in found], dtype=float)
    right = np.array([1.0 if ok else 0.0 for _, _, ok in found])
    iso = IsotonicRegression(increasing=True, out_of_bounds="clip", y_min=FLOOR, y_max=CEILING).fit(raw, right)
    points: list[tuple[float, float]] = [(0.0, FLOOR)]
    xs, ys = iso.X_thresholds_, iso.y_thresholds_
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        # Keep only the ends of each flat block: the interpolation between them is the same.
        if 0 < i < len(xs) - 1 and ys[i - 1] == y == ys[i + 1]:
            continue
        point = (round(float(x), 3), round(float(y), 3))
        if point[0] > points[-1][0]:
            points.append(point)
    return tuple(points)


def main(models: tuple[str, ...]) -> None:
    found = pairs("dev", models)
    print("TABLES: dict[str, tuple[tuple[float, float], ...]] = {")
    for model in models:
        wrong = sum(1 for *_, ok in found[model] if not ok)
        print(f"    # {len(found[model])} dev fields, {wrong} wrong")
        print(f"    {model!r}: {fit(found[model])},")
    print("}")


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or MODELS)
