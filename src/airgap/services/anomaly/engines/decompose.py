"""Expected values: a robust trend plus a seasonal profile, refitted once without outliers."""

from __future__ import annotations

import numpy as np

from airgap.services.anomaly.engines.windows import (
    centered_median,
    robust_sigma,
    trailing_median,
)

FLAT_WINDOW = 9  # trend window of a series without a period: a spike never moves its median
OUTLIER_SIGMAS = 4.0  # residuals past this are left out of the refit


def expected_values(x: np.ndarray, period: int) -> tuple[np.ndarray, float]:
    """The expected value of each point and the robust noise level of what is left."""
    expected = _fit(x, period)
    residual = x - expected
    sigma = robust_sigma(residual)
    outliers = np.abs(residual - np.median(residual)) > OUTLIER_SIGMAS * max(sigma, 1e-12)
    if outliers.any() and not outliers.all():
        # An anomaly pulls the seasonal profile of its phase; fit again with it replaced.
        cleaned = np.where(outliers, expected, x)
        expected = _fit(cleaned, period)
        sigma = robust_sigma(x[~outliers] - expected[~outliers])
    return expected, sigma


def _fit(x: np.ndarray, period: int) -> np.ndarray:
    n = len(x)
    if period < 2 or period * 2 > n:
        return centered_median(x, FLAT_WINDOW)
    window = period | 1
    phases = np.arange(n) % period
    # A median over one whole cycle ignores spikes. Of a skewed cycle, though, the median is not
    # the level; so take the season out with the first profile and take the median again, this
    # time of the cycle *before* each point: a level shift or a new trend is then a departure
    # from what came before for half a cycle (flagged), and never announced before it happens,
    # as a centred window would.
    trend = _edges(centered_median(x, window), window)
    profile = _profile(x - trend, period)
    trend = trailing_median(x - profile[phases], window)
    profile = _profile(x - trend, period)
    return trend + profile[phases]


def _edges(trend: np.ndarray, window: int) -> np.ndarray:
    """Within half a cycle of an end the window holds part of a cycle only: carry the last full
    window's level out instead."""
    half = window // 2
    n = len(trend)
    if n > 2 * half:
        trend[:half] = trend[half]
        trend[n - half:] = trend[n - half - 1]
    return trend


def _profile(detrended: np.ndarray, period: int) -> np.ndarray:
    n = len(detrended)
    cycles = -(-n // period)
    padded = np.full(cycles * period, np.nan)
    padded[:n] = detrended
    profile = np.nanmedian(padded.reshape(cycles, period), axis=0)
    return profile - profile.mean()
