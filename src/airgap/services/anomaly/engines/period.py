"""The period of a series when the request gives none: the autocorrelation's strongest peak."""

from __future__ import annotations

import numpy as np

from airgap.services.anomaly.engines.windows import centered_mean, robust_sigma

MIN_POINTS = 24  # fewer points than two cycles of anything worth calling seasonal
MIN_CORRELATION = 0.3  # below it a peak is noise, not a cycle
FUNDAMENTAL_SHARE = 0.85  # a shorter lag this close to the best one is its fundamental


def detect_period(x: np.ndarray) -> int:
    """0 when the series has no clear cycle; else the lag, between 2 and a third of the length
    (three cycles at least, so that the seasonal profile is a median of something)."""
    n = len(x)
    if n < MIN_POINTS:
        return 0
    longest = n // 3
    # A slow trend or a level shift correlates at every lag; take away a mean as long as the
    # longest candidate cycle, and clip spikes, before correlating.
    residual = x - centered_mean(x, longest | 1)
    sigma = robust_sigma(residual)
    if sigma <= 0:
        return 0
    centre = float(np.median(residual))
    residual = np.clip(residual, centre - 4 * sigma, centre + 4 * sigma) - centre
    acf = _autocorrelation(residual)
    lags = np.arange(2, longest + 1)
    if len(lags) < 2:
        return 0
    values = acf[lags]
    left = acf[lags - 1]
    right = acf[np.minimum(lags + 1, len(acf) - 1)]
    peaks = lags[(values >= left) & (values >= right) & (values >= MIN_CORRELATION)]
    if len(peaks) == 0:
        return 0
    best = float(acf[peaks].max())
    return int(peaks[acf[peaks] >= FUNDAMENTAL_SHARE * best][0])


def _autocorrelation(x: np.ndarray) -> np.ndarray:
    n = len(x)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(x, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[:n]
    if not np.isfinite(acf[0]) or acf[0] <= 0:  # a flat series, or values too large to square
        return np.zeros(n)
    # Unbiased: each lag divided by the pairs it has, so long lags are not penalised.
    return acf / acf[0] * n / (n - np.arange(n))
