"""Change points: where the level before a point and the level after it differ by more than the
noise explains. The service does not publish its method; this is a robust two-window test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airgap.services.anomaly.engines.decompose import expected_values
from airgap.services.anomaly.engines.period import detect_period
from airgap.services.anomaly.engines.windows import centered_mean

DEFAULT_WINDOW = 10
DEFAULT_THRESHOLD = 0.99
BASE_SCALES = 2.5  # a shift this many noise scales is a change point at threshold 1.0


@dataclass(frozen=True)
class ChangePoints:
    period: int
    is_change_point: np.ndarray
    confidence: np.ndarray


def detect_change_points(values: np.ndarray, period: int | None = None, stable_window: int = DEFAULT_WINDOW,
                         threshold: float = DEFAULT_THRESHOLD) -> ChangePoints:
    x = np.asarray(values, dtype=float)
    n = len(x)
    found = detect_period(x) if period is None else int(period)
    if found >= 2:
        # Compare levels without the season: subtract the seasonal part only (expected minus
        # its own trend would need the trend; the profile is what repeats).
        expected, _ = expected_values(x, found)
        x = x - (expected - _cycle_mean(expected, found))
    w = max(2, int(stable_window))
    # The noise scale: the mean step between neighbours. A mean, not a median: metrics such as
    # counters move in rare large steps, and a shift must stand out of those, not of the calm.
    steps = np.abs(np.diff(x))
    scale = float(steps.mean()) if n > 2 else 0.0
    scale = max(scale, 1e-9 * (float(np.max(np.abs(x))) or 1.0))
    stat = np.zeros(n)
    for i in range(1, n):
        before = x[max(0, i - w):i]
        after = x[i:min(n, i + w)]
        if len(before) < 2 or len(after) < 2:
            continue
        stat[i] = abs(float(np.median(after)) - float(np.median(before))) / scale
    # A lower threshold tolerates a larger trend error, hence fewer change points (the spec's words).
    cutoff = BASE_SCALES / max(float(threshold), 1e-6)
    confidence = np.minimum(1.0, stat / cutoff)
    flagged = np.zeros(n, dtype=bool)
    for i in np.argsort(-stat, kind="stable"):
        if stat[i] < cutoff:
            break
        lo, hi = max(0, i - w), min(n, i + w + 1)
        if flagged[lo:hi].any():
            continue
        # The medians peak mid-ramp; the change starts at the largest step near there.
        near_lo, near_hi = max(1, i - w // 2), min(n, i + w // 2 + 1)
        at = near_lo + int(np.argmax(steps[near_lo - 1:near_hi - 1])) if near_hi > near_lo else i
        if not flagged[max(0, at - w):min(n, at + w + 1)].any():
            flagged[at] = True
    # The service's example gives exactly 1 to its change points and less to every other point.
    confidence = np.where(flagged, 1.0, np.minimum(confidence, 0.999))
    return ChangePoints(period=found, is_change_point=flagged, confidence=confidence)


def _cycle_mean(expected: np.ndarray, period: int) -> np.ndarray:
    return centered_mean(expected, period | 1)
