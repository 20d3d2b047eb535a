"""A well-formed series read as numpy columns in a few C-level passes, instead of point by point.

Reading each point's value and timestamp in Python was most of an API request's time (the
detection itself is numpy). Each function here returns None as soon as a series needs more than
the common form (a key in another case, a value that is not a finite number, a timestamp with an
offset other than ``Z`` or a short form): ``series.py`` then reads it point by point, which also
words the error. So both paths agree on every series the fast one accepts.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import numpy as np

_VALUE = itemgetter("value")
_TIMESTAMP = itemgetter("timestamp")


def values(points: list[Any]) -> np.ndarray | None:
    """The finite float values of a list of ``{"value": number, ...}`` objects."""
    if set(map(type, points)) != {dict}:
        return None
    try:
        raw = list(map(_VALUE, points))
    except KeyError:
        return None
    # bool is a subclass of int but not a number here; type() keeps it out.
    if not set(map(type, raw)) <= {int, float}:
        return None
    try:
        array = np.array(raw, dtype=np.float64)
    except OverflowError:
        return None
    return array if np.isfinite(array).all() else None


def timestamps(points: list[dict[str, Any]]) -> list[Any] | None:
    """Each point's ``timestamp`` (None for a point without that exact key)."""
    try:
        return list(map(_TIMESTAMP, points))
    except KeyError:
        return None


def parse(stamps: list[Any]) -> np.ndarray | None:
    """ISO 8601 date-times in UTC (``Z`` or no offset) as datetime64[us], in one numpy call."""
    if set(map(type, stamps)) != {str}:
        return None
    bare = np.array([s[:-1] if s[-1:] in ("Z", "z") else s for s in stamps])
    # numpy would read an offset (with a warning) and also accept "2026" or "2026-01", which
    # datetime.fromisoformat refuses: those go to the point-by-point reading.
    if (np.strings.str_len(bare) < 10).any() or (np.strings.find(bare, "+") >= 0).any() \
            or (np.strings.rfind(bare, "-") > 7).any():
        return None
    try:
        parsed = bare.astype("datetime64[us]")
    except ValueError:
        return None
    return None if np.isnat(parsed).any() else parsed


def first_disorder(stamps: np.ndarray) -> int | None:
    """The first index whose timestamp is not later than the one before it."""
    bad = np.flatnonzero(np.diff(stamps) <= np.timedelta64(0, "us"))
    return int(bad[0]) + 1 if bad.size else None


def grid(stamps: np.ndarray, step_us: int | None, step_months: int | None) -> tuple[np.ndarray, int | None]:
    """Each timestamp's index on the grid that starts at the first one, and the first index off
    that grid (None when all are on it). Months: the same day and time of month, whole steps."""
    if step_months is not None:
        months = stamps.astype("datetime64[M]")
        count = months.astype(np.int64)
        count -= count[0]
        within = (stamps - months.astype("datetime64[us]")).astype(np.int64)
        off = (within != within[0]) | (count % step_months != 0)
        positions = count // step_months
    else:
        delta = (stamps - stamps[0]).astype(np.int64)
        off = delta % step_us != 0
        positions = delta // step_us
    bad = np.flatnonzero(off)
    return positions, (int(bad[0]) if bad.size else None)
