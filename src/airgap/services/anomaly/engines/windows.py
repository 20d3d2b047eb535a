"""Moving statistics over 1-D arrays, edges handled by shrinking windows (numpy only)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def trailing_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of the ``window`` points ending at each index (fewer at the start)."""
    window = max(1, int(window))
    csum = np.concatenate(([0.0], np.cumsum(x, dtype=float)))
    idx = np.arange(1, len(x) + 1)
    lo = np.maximum(0, idx - window)
    return (csum[idx] - csum[lo]) / (idx - lo)


def centered_mean(x: np.ndarray, window: int) -> np.ndarray:
    half = max(0, int(window) // 2)
    csum = np.concatenate(([0.0], np.cumsum(x, dtype=float)))
    idx = np.arange(len(x))
    lo = np.maximum(0, idx - half)
    hi = np.minimum(len(x), idx + half + 1)
    return (csum[hi] - csum[lo]) / (hi - lo)


def centered_median(x: np.ndarray, window: int) -> np.ndarray:
    """Median of the ``window`` (made odd) points centred on each index; near the ends the window
    shrinks to what exists, so an edge is not bent toward a mirrored copy of itself."""
    n = len(x)
    half = max(0, int(window) // 2)
    if half == 0 or n == 0:
        return x.astype(float).copy()
    if 2 * half + 1 > n:
        half = (n - 1) // 2
    out = np.empty(n, dtype=float)
    if half == 0:
        return x.astype(float).copy()
    out[half:n - half] = np.median(sliding_window_view(x, 2 * half + 1), axis=1)
    for i in range(half):
        out[i] = np.median(x[:i + half + 1])
        out[n - 1 - i] = np.median(x[n - 1 - i - half:])
    return out


def trailing_median(x: np.ndarray, window: int) -> np.ndarray:
    """Median of the ``window`` points ending at each index; the first full window's median
    stands for the points before it has filled."""
    n = len(x)
    window = min(max(1, int(window)), n)
    out = np.empty(n, dtype=float)
    out[window - 1:] = np.median(sliding_window_view(x, window), axis=1)
    out[:window - 1] = out[window - 1]
    return out


def robust_sigma(x: np.ndarray) -> float:
    """Standard deviation estimated from the median absolute deviation (spikes do not inflate it)."""
    if len(x) == 0:
        return 0.0
    return float(1.4826 * np.median(np.abs(x - np.median(x))))
