"""The bulk (numpy) reading of a series and the point-by-point one agree: a series in a form the
bulk reading does not take (offsets, other key case, odd values) gives the same grid and values,
or the same error, as its plain twin. Parsing only: the HTTP behaviour is in test_errors.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from airgap.platform.errors import ApiError
from airgap.services.anomaly import columns, series

START = datetime(2024, 1, 31, 6, 30)


def _body(stamps: list[str], granularity: str, values: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    values = values if values is not None else [float(i % 7) for i in range(len(stamps))]
    return {"granularity": granularity, "series": [{"timestamp": s, "value": v} for s, v in zip(stamps, values,
                                                                                               strict=True)], **extra}


def _hourly(n: int = 30, fmt: str = "%Y-%m-%dT%H:%M:%SZ", skip: tuple[int, ...] = ()) -> list[str]:
    return [(START + timedelta(hours=i)).strftime(fmt) for i in range(n) if i not in skip]


def _offset(stamps: list[str]) -> list[str]:
    """The same instants written in UTC+02:00, which only the point-by-point reading takes."""
    out = []
    for s in stamps:
        moment = datetime.fromisoformat(s.replace("Z", "+00:00"))
        out.append(moment.astimezone(timezone(timedelta(hours=2))).isoformat())
    return out


def _read(body: dict[str, Any]) -> series.DetectOptions:
    return series.detect_options(body, imputing=True)


def _error(body: dict[str, Any]) -> str:
    with pytest.raises(ApiError) as caught:
        _read(body)
    return caught.value.message


def test_bulk_reading_takes_the_common_form() -> None:
    stamps = _hourly()
    assert columns.parse(stamps) is not None
    assert columns.parse(_offset(stamps)) is None
    assert columns.parse([*stamps[:-1], "2024"]) is None  # numpy reads a year alone; fromisoformat does not
    assert columns.values([{"value": 1}, {"value": True}]) is None
    assert columns.values([{"Value": 1.0}]) is None


@pytest.mark.parametrize("granularity", ["hourly", "minutely"])
def test_offsets_and_key_case_read_as_the_plain_form(granularity: str) -> None:
    stamps = _hourly(skip=(3, 4, 17))
    plain = _read(_body(stamps, granularity))
    shifted = _read(_body(_offset(stamps), granularity))
    cased = _read({"Granularity": granularity, "Series": [{"Timestamp": s, "Value": float(i % 7)}
                                                            for i, s in enumerate(stamps)]})
    for other in (shifted, cased):
        np.testing.assert_array_equal(other.series.positions, plain.series.positions)
        np.testing.assert_array_equal(other.series.values, plain.series.values)
    step = {"hourly": 1, "minutely": 60}[granularity]
    assert list(plain.series.positions[:4]) == [0, step, 2 * step, 5 * step]


def test_monthly_grid_by_calendar_months() -> None:
    stamps = [f"{2020 + m // 12}-{m % 12 + 1:02d}-01T00:00:00Z" for m in range(0, 48, 2)]
    read = _read(_body(stamps, "monthly", customInterval=2))
    assert list(read.series.positions) == list(range(24))
    off = [*stamps[:5], stamps[5].replace("-01T", "-02T"), *stamps[6:]]
    assert "point 5" in _error(_body(off, "monthly", customInterval=2))
    assert "point 5" in _error(_body(_offset(off), "monthly", customInterval=2))


@pytest.mark.parametrize("convert", [lambda s: s, _offset], ids=["bulk", "point-by-point"])
def test_order_errors_name_the_same_points(convert) -> None:
    stamps = _hourly()
    duplicate = convert([*stamps[:9], stamps[8], *stamps[10:]])
    assert _error(_body(duplicate, "hourly")).startswith("Points 8 and 9 have the same timestamp")
    unsorted = convert([*stamps[:9], stamps[10], stamps[9], *stamps[11:]])
    assert _error(_body(unsorted, "hourly")).startswith("Point 10 is earlier than point 9")
    assert _error(_body(unsorted, "none")).startswith("Point 10 is earlier than point 9")
    off_grid = convert([*stamps[:12], _hourly(30, "%Y-%m-%dT%H:%M:01Z")[12], *stamps[13:]])
    assert "point 12 (2024-01-31T18:30:01)" in _error(_body(off_grid, "hourly"))


def test_values_that_are_not_finite_numbers_are_named() -> None:
    stamps = _hourly()
    for bad in (None, True, "3", float("nan")):
        values: list[Any] = [1.0] * len(stamps)
        values[7] = bad
        assert "point 7" in _error(_body(stamps, "hourly", values))
