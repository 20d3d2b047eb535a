"""Univariate anomaly detection over a whole series and for its last point.

A point is an anomaly when three things hold: it lies outside the expected value's margin
(wider for a lower sensitivity), it stands out of the noise (``MIN_SIGMAS``), and the Spectral
Residual saliency marks it as unlike its surroundings (or it is far outside the noise,
``CERTAIN_SIGMAS``, where saliency is not needed). ``max_anomaly_ratio`` keeps the most severe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airgap.services.anomaly.engines import spectral
from airgap.services.anomaly.engines.decompose import expected_values
from airgap.services.anomaly.engines.period import detect_period

MIN_SIGMAS = 3.5  # tuned on the dev split of tests/quality/anomaly.py (3.0: precision 0.967, 3.5: 0.990)
CERTAIN_SIGMAS = 6.0
SALIENCY_THRESHOLD = 0.3
# The unit a margin is a share of: the expected value's size, as the service's examples show
# (5% of the expected value at sensitivity 95), but never less than this many noise sigmas, so
# that a series around zero still has a margin.
NOISE_UNITS = 20.0
DEFAULT_SENSITIVITY = 95
DEFAULT_MAX_RATIO = 0.25


@dataclass(frozen=True)
class EntireDetection:
    period: int
    expected: np.ndarray
    upper_margins: np.ndarray
    lower_margins: np.ndarray
    is_anomaly: np.ndarray
    is_positive: np.ndarray
    is_negative: np.ndarray
    severity: np.ndarray


@dataclass(frozen=True)
class LastDetection:
    period: int
    suggested_window: int
    expected: float
    upper_margin: float
    lower_margin: float
    is_anomaly: bool
    is_positive: bool
    is_negative: bool
    severity: float


def suggested_window(period: int) -> int:
    """Four cycles and the point itself, as the service suggests; 28 points without a cycle."""
    return 4 * period + 1 if period > 0 else 28


def detect_entire(values: np.ndarray, period: int | None = None, sensitivity: float = DEFAULT_SENSITIVITY,
                  max_anomaly_ratio: float = DEFAULT_MAX_RATIO) -> EntireDetection:
    x = np.asarray(values, dtype=float)
    n = len(x)
    found = detect_period(x) if period is None else int(period)
    expected, sigma = expected_values(x, found)
    unit = np.maximum(np.abs(expected), NOISE_UNITS * sigma)
    unit = np.where(unit > 0, unit, 1.0)
    margin = unit * (100.0 - float(sensitivity)) / 100.0
    deviation = x - expected
    distance = np.abs(deviation)
    noise = max(sigma, 1e-12 * float(np.max(np.abs(x)) or 1.0))
    salient = spectral.scores(x) > SALIENCY_THRESHOLD
    anomaly = (distance > margin) & (distance > MIN_SIGMAS * noise) & (salient | (distance > CERTAIN_SIGMAS * noise))
    severity = np.where(anomaly, np.minimum(1.0, distance / unit), 0.0)
    limit = int(np.floor(max_anomaly_ratio * n))
    if anomaly.sum() > limit:
        keep = np.argsort(-severity, kind="stable")[:limit]
        mask = np.zeros(n, dtype=bool)
        mask[keep] = True
        anomaly &= mask
        severity = np.where(anomaly, severity, 0.0)
    return EntireDetection(period=found, expected=expected, upper_margins=margin, lower_margins=margin.copy(),
                           is_anomaly=anomaly, is_positive=anomaly & (deviation > 0),
                           is_negative=anomaly & (deviation < 0), severity=severity)


def detect_last(values: np.ndarray, period: int | None = None, sensitivity: float = DEFAULT_SENSITIVITY,
                max_anomaly_ratio: float = DEFAULT_MAX_RATIO) -> LastDetection:
    """The last point judged by the model of the whole window (the service's examples give the
    last point the same expected value in both modes)."""
    result = detect_entire(values, period, sensitivity, max_anomaly_ratio)
    return LastDetection(period=result.period, suggested_window=suggested_window(result.period),
                         expected=float(result.expected[-1]), upper_margin=float(result.upper_margins[-1]),
                         lower_margin=float(result.lower_margins[-1]), is_anomaly=bool(result.is_anomaly[-1]),
                         is_positive=bool(result.is_positive[-1]), is_negative=bool(result.is_negative[-1]),
                         severity=float(result.severity[-1]))


class SpectralResidualEngine:
    """The engine the service declares: numpy code with nothing to load (no weights)."""

    name = "spectral-residual"
    model_version = "2026-12-01"

    def __init__(self) -> None:
        self._ready = False

    def load(self) -> None:
        self._ready = True

    @property
    def ready(self) -> bool:
        return self._ready
