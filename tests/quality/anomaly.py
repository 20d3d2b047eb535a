"""Anomaly detection quality on generated series (issue 19): seasonal series with injected
spikes, dips, level shifts and trend changes, made deterministically from a seed.

Seeds 0..79: even seeds are ``dev`` (tuning), odd seeds ``heldout`` (the guarded figures).
``evaluate(split)`` runs the engine in process with the service's defaults (sensitivity 95,
maxAnomalyRatio 0.25, period detected) and returns aggregate figures only:

* event recall: an injected event counts as found when any point in its window is flagged
  (a spike or dip: the point and its neighbours; a level shift: from the shift for one period;
  a trend change: the ramp and one period after it), overall and per kind;
* point precision: the share of flagged points that fall inside some event's window;
* period: the share of seasonal series whose detected period is the generated one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEEDS = range(80)
KINDS = ("spike", "dip", "level_shift", "trend_change")


@dataclass(frozen=True)
class Case:
    values: np.ndarray
    period: int
    events: list[tuple[str, int, int]]  # kind, first index of its window, end (exclusive)


def generate(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    period = int(rng.choice([0, 7, 12, 24, 24, 48]))
    span = max(period, 10)
    n = max(int(rng.choice([500, 720, 1000, 1500])), 24 * span)  # room for six events
    level = float(rng.uniform(50, 500))
    t = np.arange(n)
    values = np.full(n, level) + level * rng.uniform(-0.1, 0.1) * t / n  # a slow drift
    if period:
        shape = np.sin(2 * np.pi * t / period) + 0.4 * np.sin(4 * np.pi * t / period + rng.uniform(0, np.pi))
        values += level * rng.uniform(0.1, 0.3) * shape
    values += rng.normal(0.0, level * rng.uniform(0.005, 0.02), n)
    # Events apart from each other and from the ends, so that windows do not overlap.
    slots = np.sort(rng.choice(np.arange(2 * span, n - 3 * span, 3 * span), size=6, replace=False))
    kinds = ["spike", "spike", "dip", "dip", "level_shift", "trend_change"]
    rng.shuffle(kinds)
    events: list[tuple[str, int, int]] = []
    for kind, at in zip(kinds, slots, strict=True):
        at = int(at)
        size = level * rng.uniform(0.15, 0.4)
        if kind == "spike":
            values[at] += size
            events.append((kind, at - 1, at + 2))
        elif kind == "dip":
            values[at] -= size
            events.append((kind, at - 1, at + 2))
        elif kind == "level_shift":
            values[at:] += size * rng.choice([-1, 1])
            events.append((kind, at, at + span))
        else:
            ramp = span
            direction = rng.choice([-1, 1])
            values[at:at + ramp] += direction * size * np.arange(1, ramp + 1) / ramp
            values[at + ramp:] += direction * size
            events.append((kind, at, at + ramp + span))
    return Case(values=values, period=period, events=events)


def split_seeds(split: str) -> list[int]:
    parity = 0 if split == "dev" else 1
    return [s for s in SEEDS if s % 2 == parity]


def evaluate(split: str = "heldout") -> dict:
    from airgap.services.anomaly.engines.detector import detect_entire

    found = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    flagged = inside = 0
    seasonal = period_right = 0
    for seed in split_seeds(split):
        case = generate(seed)
        result = detect_entire(case.values)
        marks = np.flatnonzero(result.is_anomaly)
        covered = np.zeros(len(case.values), dtype=bool)
        for kind, start, end in case.events:
            total[kind] += 1
            found[kind] += bool(result.is_anomaly[start:end].any())
            covered[start:end] = True
        flagged += len(marks)
        inside += int(covered[marks].sum())
        if case.period:
            seasonal += 1
            period_right += result.period == case.period
    events = sum(total.values())
    figures = {"series": len(split_seeds(split)), "events": events,
               "recall": round(sum(found.values()) / events, 3),
               "precision": round(inside / flagged, 3) if flagged else 0.0,
               "period": round(period_right / seasonal, 3) if seasonal else 0.0}
    for kind in KINDS:
        figures[f"recall:{kind}"] = round(found[kind] / total[kind], 3) if total[kind] else 0.0
    return figures
