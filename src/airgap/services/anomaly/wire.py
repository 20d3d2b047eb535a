"""The Anomaly Detector's JSON: responses from engine results, and its own error shape, a
top-level ``{"code", "message"}`` with the code also in ``x-ms-error-code``."""

from __future__ import annotations

from typing import Any

import numpy as np

from airgap.platform.errors import ApiError, Rendered
from airgap.services.anomaly.engines.changepoint import ChangePoints
from airgap.services.anomaly.engines.detector import EntireDetection, LastDetection

# AnomalyDetectorError.code in the v1.1 spec.
CODES = frozenset({"InvalidCustomInterval", "BadArgument", "InvalidGranularity", "InvalidPeriod", "InvalidModelArgument",
                   "InvalidSeries", "InvalidJsonFormat", "RequiredGranularity", "RequiredSeries", "InvalidImputeMode",
                   "InvalidImputeFixedValue"})
# Codes the platform's body reader gives a body it cannot read as JSON.
_JSON_FAULTS = frozenset({"InvalidRequestBodyFormat", "EmptyRequest"})


class AnomalyDialect:
    """Errors as the service writes them. The platform's own 4xx (an unreadable body, a wrong
    content type) take the nearest documented code; other statuses (401, 403, 404, 503) keep theirs."""

    def render(self, error: ApiError) -> Rendered:
        code = error.code
        if code not in CODES and error.status in (400, 415):
            code = "InvalidJsonFormat" if error.inner_code in _JSON_FAULTS else "BadArgument"
        elif code not in CODES and error.status == 413:
            code = "InvalidSeries"
        return Rendered(error.status, {"code": code, "message": error.message},
                        {**dict(error.headers), "x-ms-error-code": code})


DIALECT = AnomalyDialect()


def _floats(values: np.ndarray) -> list[float]:
    # tolist() makes the Python floats in C; orjson then writes them without a per-item call.
    return values.astype(np.float64, copy=False).tolist()


def _bools(values: np.ndarray) -> list[bool]:
    return values.astype(bool, copy=False).tolist()


def entire(result: EntireDetection, positions: np.ndarray, *, severity: bool) -> dict[str, Any]:
    """One entry per input point (``positions`` on the imputed grid), as the spec requires."""
    body: dict[str, Any] = {
        "period": result.period,
        "expectedValues": _floats(result.expected[positions]),
        "upperMargins": _floats(result.upper_margins[positions]),
        "lowerMargins": _floats(result.lower_margins[positions]),
        "isAnomaly": _bools(result.is_anomaly[positions]),
        "isNegativeAnomaly": _bools(result.is_negative[positions]),
        "isPositiveAnomaly": _bools(result.is_positive[positions]),
    }
    if severity:
        body["severity"] = _floats(result.severity[positions])
    return body


def last(result: LastDetection, *, severity: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "period": result.period, "suggestedWindow": result.suggested_window,
        "expectedValue": result.expected, "upperMargin": result.upper_margin, "lowerMargin": result.lower_margin,
        "isAnomaly": result.is_anomaly, "isNegativeAnomaly": result.is_negative, "isPositiveAnomaly": result.is_positive,
    }
    if severity:
        body["severity"] = result.severity
    return body


def change_points(result: ChangePoints, positions: np.ndarray) -> dict[str, Any]:
    return {"period": result.period, "isChangePoint": _bools(result.is_change_point[positions]),
            "confidenceScores": _floats(result.confidence[positions])}
