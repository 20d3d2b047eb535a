"""Spectral Residual saliency (Ren et al., KDD 2019, "Time-Series Anomaly Detection Service at
Microsoft", section 4.1), written here from the paper's equations.

The log amplitude spectrum of a series is mostly smooth; what sticks out of its local average
(the spectral residual) carries the "innovation". Transforming the residual back with the
original phase gives a saliency map whose peaks sit on the points that are unlike their
surroundings, whatever the series' seasonality.
"""

from __future__ import annotations

import numpy as np

from airgap.services.anomaly.engines.windows import trailing_mean

SPECTRUM_WINDOW = 3  # q in the paper: the local average of the log amplitude
SALIENCY_WINDOW = 21  # z in the paper: the local average a saliency value is compared with
EXTENSION = 5  # points appended so that the last real point is not at the FFT's edge
SLOPE_POINTS = 5  # m in the paper: points whose slopes to the last point estimate the next one
EPS = 1e-8


def extend(x: np.ndarray) -> np.ndarray:
    """The series followed by ``EXTENSION`` points continuing its recent slope, so the detection
    of the latest point (streaming) is not dominated by the wrap-around of the transform."""
    m = min(SLOPE_POINTS, len(x) - 1)
    if m < 1:
        return np.concatenate((x, np.repeat(x[-1:], EXTENSION)))
    steps = np.arange(1, m + 1)
    slope = float(np.mean((x[-1] - x[-1 - steps]) / steps))
    # The paper's estimate: the point m - 1 steps back moved forward by m average slopes.
    estimate = x[-m] + slope * m
    return np.concatenate((x, np.full(EXTENSION, estimate)))


def saliency(x: np.ndarray) -> np.ndarray:
    """The saliency map of ``x`` (one value per point, the extension removed)."""
    n = len(x)
    spectrum = np.fft.fft(extend(np.asarray(x, dtype=float)))
    amplitude = np.abs(spectrum)
    log_amplitude = np.log(amplitude + EPS)
    residual = log_amplitude - _centered_average(log_amplitude, SPECTRUM_WINDOW)
    # exp(R) replaces the amplitude; the phase is kept, so the saliency is aligned with the input.
    phase = spectrum / np.maximum(amplitude, EPS)
    return np.abs(np.fft.ifft(np.exp(residual) * phase))[:n]


def scores(x: np.ndarray) -> np.ndarray:
    """How much each point's saliency exceeds the average saliency before it, relative to it
    (the paper's O(x_i) = (S_i - mean(S_{i-z..i})) / mean(S_{i-z..i})), never negative."""
    s = saliency(x)
    local = trailing_mean(s, SALIENCY_WINDOW)
    return np.maximum(0.0, (s - local) / np.maximum(local, EPS))


def _centered_average(x: np.ndarray, window: int) -> np.ndarray:
    kernel = np.ones(window) / window
    padded = np.concatenate((np.repeat(x[:1], window // 2), x, np.repeat(x[-1:], window // 2)))
    return np.convolve(padded, kernel, mode="valid")
