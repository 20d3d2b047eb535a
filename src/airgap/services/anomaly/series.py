"""A univariate request checked and turned into numbers: the series on its time grid (gaps
filled as ``imputeMode`` says), where each input point sits on it, and the model parameters.

Every way a request can be wrong is an ``ApiError`` with one of the service's documented codes
(``wire.CODES``); nothing malformed reaches an engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from airgap.platform.errors import BadRequest
from airgap.services.anomaly import columns

MIN_POINTS = 12
MAX_POINTS = 8640
GRANULARITIES = ("yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly", "microsecond", "none")
CHANGE_POINT_GRANULARITIES = GRANULARITIES[:7]
IMPUTE_MODES = ("auto", "previous", "linear", "fixed", "zero", "notFill")
_MONTHS = {"yearly": 12, "monthly": 1}
_STEPS = {"weekly": timedelta(weeks=1), "daily": timedelta(days=1), "hourly": timedelta(hours=1),
          "minutely": timedelta(minutes=1), "secondly": timedelta(seconds=1),
          "microsecond": timedelta(microseconds=1)}


def error(code: str, message: str) -> BadRequest:
    return BadRequest(message, code=code)


@dataclass(frozen=True)
class Series:
    values: np.ndarray  # on the grid, gaps filled
    positions: np.ndarray  # index on the grid of each input point, in input order


@dataclass(frozen=True)
class DetectOptions:
    series: Series
    period: int | None
    sensitivity: float
    max_anomaly_ratio: float


@dataclass(frozen=True)
class ChangePointOptions:
    series: Series
    period: int | None
    stable_trend_window: int
    threshold: float


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise error("InvalidJsonFormat", "The request body must be a JSON object with a series.")
    # Field names as the .NET service binds them: case-insensitive.
    return {str(key).lower(): value for key, value in body.items()}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _integer(value: Any) -> int | None:
    number = _number(value)
    if number is None or not math.isfinite(number) or not number.is_integer():
        return None
    return int(number)


def _granularity(fields: dict[str, Any], required: bool) -> str:
    raw = fields.get("granularity")
    if raw is None:
        if required:
            raise error("RequiredGranularity", "granularity is required for change point detection: one of "
                        + ", ".join(CHANGE_POINT_GRANULARITIES) + ".")
        return "none"
    allowed = CHANGE_POINT_GRANULARITIES if required else GRANULARITIES
    match = next((g for g in allowed if isinstance(raw, str) and g.lower() == raw.lower()), None)
    if match is None:
        raise error("InvalidGranularity", f"granularity {raw!r} is not one of {', '.join(allowed)}.")
    return match


def _custom_interval(fields: dict[str, Any]) -> int:
    raw = fields.get("custominterval")
    if raw is None:
        return 1
    value = _integer(raw)
    if value is None or value < 1:
        raise error("InvalidCustomInterval", f"customInterval must be a positive integer, not {raw!r}.")
    return value


def _timestamp(raw: Any, index: int) -> datetime:
    if not isinstance(raw, str):
        raise error("InvalidSeries", f"The timestamp of point {index} is missing or not a string; with a "
                    "granularity other than none every point needs an ISO 8601 timestamp.")
    text = raw.strip()
    try:
        stamp = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" and text else text)
    except ValueError:
        raise error("InvalidSeries", f"The timestamp of point {index}, {raw!r}, is not an ISO 8601 date-time.") from None
    if stamp.tzinfo is not None:
        # Compared in UTC, as the service reads timestamps.
        stamp = stamp.replace(tzinfo=None) - (stamp.utcoffset() or timedelta())
    return stamp


def _raw_points(fields: dict[str, Any]) -> list[Any]:
    raw = fields.get("series")
    if raw is None:
        raise error("RequiredSeries", "series is required: a list of points, each {\"timestamp\", \"value\"}.")
    if not isinstance(raw, list):
        raise error("InvalidSeries", "series must be a list of points, each {\"timestamp\", \"value\"}.")
    if len(raw) < MIN_POINTS:
        raise error("InvalidSeries", f"The series has {len(raw)} points; at least {MIN_POINTS} are needed.")
    if len(raw) > MAX_POINTS:
        raise error("InvalidSeries", f"The series has {len(raw):,} points; at most {MAX_POINTS:,} are accepted.")
    return raw


def _points(raw: list[Any]) -> list[dict[str, Any]]:
    points = []
    for i, point in enumerate(raw):
        if not isinstance(point, dict):
            raise error("InvalidSeries", f"Point {i} of the series is not an object with a value.")
        points.append({str(k).lower(): v for k, v in point.items()})
    return points


def _values(points: list[dict[str, Any]]) -> np.ndarray:
    values = np.empty(len(points))
    for i, point in enumerate(points):
        number = _number(point.get("value"))
        if number is None or not math.isfinite(number):
            raise error("InvalidSeries", f"The value of point {i} is {point.get('value')!r}; every point needs a "
                        "finite number (no NaN, no infinity, not null).")
        values[i] = number
    return values


def _stamps(raw: list[Any]) -> np.ndarray:
    """datetime64[us] in UTC; the per-point reading (and its error) where numpy's does not fit."""
    parsed = columns.parse(raw)
    if parsed is None:
        parsed = np.array([_timestamp(s, i) for i, s in enumerate(raw)], dtype="datetime64[us]")
    return parsed


def _check_order(stamps: np.ndarray) -> None:
    i = columns.first_disorder(stamps)
    if i is None:
        return
    if stamps[i] == stamps[i - 1]:
        raise error("InvalidSeries", f"Points {i - 1} and {i} have the same timestamp; timestamps must be unique.")
    raise error("InvalidSeries", f"Point {i} is earlier than point {i - 1}; sort the series by timestamp, ascending.")


def _grid_positions(stamps: np.ndarray, granularity: str, interval: int) -> np.ndarray:
    if granularity in _MONTHS:
        positions, off = columns.grid(stamps, None, _MONTHS[granularity] * interval)
    else:
        positions, off = columns.grid(stamps, _STEPS[granularity] // timedelta(microseconds=1) * interval, None)
    if off is not None:
        every = f"{interval} " if interval > 1 else ""
        stamp, first = stamps[off].item(), stamps[0].item()
        raise error("InvalidSeries", f"The timestamp of point {off} ({stamp.isoformat()}) does not fall on the "
                    f"{every}{granularity} grid that starts at point 0 ({first.isoformat()}): check "
                    "granularity and customInterval.")
    return positions


def _impute(values: np.ndarray, positions: np.ndarray, mode: str, fixed: float | None) -> np.ndarray:
    size = int(positions[-1]) + 1
    if size > MAX_POINTS:
        raise error("InvalidSeries", f"With its missing points the series spans {size:,} steps of its granularity; "
                    f"at most {MAX_POINTS:,} are accepted.")
    if size == len(values) or mode == "notFill":
        return values
    grid = np.arange(size)
    if mode in ("auto", "linear"):
        return np.interp(grid, positions, values)
    if mode == "previous":
        return values[np.searchsorted(positions, grid, side="right") - 1]
    filled = np.full(size, 0.0 if mode == "zero" else float(fixed or 0.0))
    filled[positions] = values
    return filled


def _series(fields: dict[str, Any], granularity: str, imputing: bool) -> Series:
    raw = _raw_points(fields)
    values = columns.values(raw)
    stamps = columns.timestamps(raw) if values is not None else None
    if values is None or stamps is None:
        points = _points(raw)
        values = _values(points)
        stamps = [p.get("timestamp") for p in points]
    interval = _custom_interval(fields)
    mode, fixed = "auto", None
    if imputing:
        raw_mode = fields.get("imputemode")
        if raw_mode is not None:
            mode = next((m for m in IMPUTE_MODES if isinstance(raw_mode, str) and raw_mode.lower() == m.lower()), "")
            if not mode:
                raise error("InvalidImputeMode", f"imputeMode {raw_mode!r} is not one of {', '.join(IMPUTE_MODES)}.")
        raw_fixed = fields.get("imputefixedvalue")
        if mode == "fixed":
            fixed = _number(raw_fixed)
            if fixed is None or not math.isfinite(fixed):
                raise error("InvalidImputeFixedValue", "imputeMode fixed needs imputeFixedValue, a finite number.")
        elif raw_fixed is not None and (_number(raw_fixed) is None or not math.isfinite(_number(raw_fixed) or 0.0)):
            raise error("InvalidImputeFixedValue", "imputeFixedValue must be a finite number.")
    if granularity == "none":
        if any(s is not None for s in stamps):
            _check_order(_stamps(stamps))
        return Series(values=values, positions=np.arange(len(values)))
    parsed = _stamps(stamps)
    _check_order(parsed)
    positions = _grid_positions(parsed, granularity, interval)
    grid_values = _impute(values, positions, mode, fixed)
    if len(grid_values) == len(values):
        positions = np.arange(len(values))
    return Series(values=grid_values, positions=positions)


def _period(fields: dict[str, Any], length: int) -> int | None:
    raw = fields.get("period")
    if raw is None:
        return None
    value = _integer(raw)
    if value is None or value < 0 or value * 2 > length:
        raise error("InvalidPeriod", f"period must be an integer from 0 (no period) to half the series' length "
                    f"({length // 2}), not {raw!r}; leave it out to have it detected.")
    return value


def detect_options(body: Any, *, imputing: bool) -> DetectOptions:
    """Entire and last detection (``imputing``: the request's imputeMode is read; v1.1)."""
    fields = _object(body)
    series = _series(fields, _granularity(fields, required=False), imputing)
    raw = fields.get("sensitivity")
    sensitivity = 95.0 if raw is None else _number(raw)
    if sensitivity is None or not 0 <= sensitivity <= 99:
        raise error("InvalidModelArgument", f"sensitivity must be a number from 0 to 99, not {raw!r}.")
    raw = fields.get("maxanomalyratio")
    ratio = 0.25 if raw is None else _number(raw)
    if ratio is None or not 0 < ratio <= 0.5:
        raise error("InvalidModelArgument", f"maxAnomalyRatio must be in (0, 0.5], not {raw!r}.")
    return DetectOptions(series, _period(fields, len(series.values)), sensitivity, ratio)


def change_point_options(body: Any) -> ChangePointOptions:
    fields = _object(body)
    series = _series(fields, _granularity(fields, required=True), imputing=False)
    raw = fields.get("stabletrendwindow")
    window = 10 if raw is None else _integer(raw)
    if window is None or not 3 <= window <= len(series.values) // 2:
        raise error("InvalidModelArgument", f"stableTrendWindow must be an integer from 3 to half the series' length "
                    f"({len(series.values) // 2}), not {raw!r}.")
    raw = fields.get("threshold")
    threshold = 0.99 if raw is None else _number(raw)
    if threshold is None or not 0 < threshold <= 1:
        raise error("InvalidModelArgument", f"threshold must be in (0, 1], not {raw!r}.")
    return ChangePointOptions(series, _period(fields, len(series.values)), window, threshold)
