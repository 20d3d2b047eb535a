"""Bad input gets the service's own error shape: HTTP 400, a top-level {code, message} with a
documented code, the code again in x-ms-error-code; through the SDK and over raw HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from azure.ai.anomalydetector import AnomalyDetectorClient
from azure.ai.anomalydetector.models import (
    TimeGranularity,
    TimeSeriesPoint,
    UnivariateDetectionOptions,
)
from azure.core.exceptions import HttpResponseError

from tests.anomaly.series_data import SPEC, hourly
from tests.support.contract import validate_response
from tests.support.server import ServerProcess

VALUES = [float(10 + i % 5) for i in range(48)]


def _series(count: int = 48) -> list[dict[str, Any]]:
    return hourly([float(10 + i % 5) for i in range(count)])


def _post(server: ServerProcess, route: str, body: Any, version: str = "v1.1", **kwargs: Any) -> httpx.Response:
    url = f"{server.url}/anomalydetector/{version}/timeseries/{route}/detect"
    if isinstance(body, (bytes, str)):
        return httpx.post(url, content=body, headers={"content-type": "application/json"}, **kwargs)
    return httpx.post(url, json=body, **kwargs)


def _check(response: httpx.Response, code: str, route: str = "entire") -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code, body
    assert response.headers["x-ms-error-code"] == code
    validate_response(SPEC, f"/timeseries/{route}/detect", "post", 400, body)
    return body["message"]


def test_eleven_points_through_the_sdk(client: AnomalyDetectorClient) -> None:
    points = [TimeSeriesPoint(timestamp=p["timestamp"], value=p["value"]) for p in _series(11)]
    with pytest.raises(HttpResponseError) as caught:
        client.detect_univariate_entire_series(UnivariateDetectionOptions(series=points,
                                                                          granularity=TimeGranularity.HOURLY))
    assert caught.value.status_code == 400
    assert caught.value.error.code == "InvalidSeries" and "at least 12" in caught.value.error.message


@pytest.mark.parametrize("route", ["entire", "last", "changepoint"])
def test_point_counts(anomaly_server: ServerProcess, route: str) -> None:
    assert "at least 12" in _check(_post(anomaly_server, route, {"series": _series(11), "granularity": "hourly"}),
                                   "InvalidSeries", route)
    assert "at most 8,640" in _check(_post(anomaly_server, route, {"series": _series(8641), "granularity": "hourly"}),
                                     "InvalidSeries", route)
    assert _post(anomaly_server, route, {"series": _series(8640), "granularity": "hourly"},
                 timeout=60).status_code == 200


def test_unsorted_and_duplicate_timestamps(anomaly_server: ServerProcess) -> None:
    series = _series()
    series[10], series[11] = series[11], series[10]
    assert "sort the series" in _check(_post(anomaly_server, "entire", {"series": series, "granularity": "hourly"}),
                                       "InvalidSeries")
    series = _series()
    series[11]["timestamp"] = series[10]["timestamp"]
    assert "same timestamp" in _check(_post(anomaly_server, "last", {"series": series}), "InvalidSeries", "last")


def test_nan_and_missing_values(anomaly_server: ServerProcess) -> None:
    raw = '{"granularity": "hourly", "series": [' + ",".join(
        f'{{"timestamp": "{p["timestamp"]}", "value": {"NaN" if i == 5 else p["value"]}}}'
        for i, p in enumerate(_series())) + "]}"
    assert "point 5" in _check(_post(anomaly_server, "entire", raw), "InvalidSeries")
    series = _series()
    series[7]["value"] = None
    assert "point 7" in _check(_post(anomaly_server, "entire", {"series": series}), "InvalidSeries")


def test_wrong_granularity(anomaly_server: ServerProcess) -> None:
    # Hourly points declared daily: they do not fall on a daily grid.
    assert "daily grid" in _check(_post(anomaly_server, "entire", {"series": _series(), "granularity": "daily"}),
                                  "InvalidSeries")
    assert "grid" in _check(_post(anomaly_server, "entire", {"series": _series(), "granularity": "hourly",
                                                             "customInterval": 5}), "InvalidSeries")
    _check(_post(anomaly_server, "entire", {"series": _series(), "granularity": "fortnightly"}), "InvalidGranularity")
    _check(_post(anomaly_server, "changepoint", {"series": _series(), "granularity": "none"}),
           "InvalidGranularity", "changepoint")
    _check(_post(anomaly_server, "changepoint", {"series": _series()}), "RequiredGranularity", "changepoint")
    series = _series()
    del series[3]["timestamp"]
    _check(_post(anomaly_server, "entire", {"series": series, "granularity": "hourly"}), "InvalidSeries")


@pytest.mark.parametrize(("extra", "code"), [
    ({"customInterval": 0}, "InvalidCustomInterval"),
    ({"period": -1}, "InvalidPeriod"),
    ({"period": 25}, "InvalidPeriod"),
    ({"sensitivity": 100}, "InvalidModelArgument"),
    ({"maxAnomalyRatio": 0.6}, "InvalidModelArgument"),
    ({"maxAnomalyRatio": "many"}, "InvalidModelArgument"),
    ({"imputeMode": "spline"}, "InvalidImputeMode"),
    ({"imputeMode": "fixed"}, "InvalidImputeFixedValue"),
])
def test_parameters(anomaly_server: ServerProcess, extra: dict[str, Any], code: str) -> None:
    _check(_post(anomaly_server, "entire", {"series": _series(), "granularity": "hourly", **extra}), code)


def test_change_point_parameters(anomaly_server: ServerProcess) -> None:
    for extra in ({"threshold": 1.5}, {"stableTrendWindow": 1}):
        _check(_post(anomaly_server, "changepoint", {"series": _series(), "granularity": "hourly", **extra}),
               "InvalidModelArgument", "changepoint")


def test_body_problems(anomaly_server: ServerProcess) -> None:
    _check(_post(anomaly_server, "entire", {"granularity": "hourly"}), "RequiredSeries")
    _check(_post(anomaly_server, "entire", b'{"series": ['), "InvalidJsonFormat")
    _check(_post(anomaly_server, "entire", b"[1, 2]"), "InvalidJsonFormat")
    _check(_post(anomaly_server, "entire", {"series": "1,2,3"}), "InvalidSeries")


def test_v1_0_ignores_impute_fields(anomaly_server: ServerProcess) -> None:
    body = {"series": _series(), "granularity": "hourly", "imputeMode": "spline"}
    assert _post(anomaly_server, "entire", body, version="v1.0").status_code == 200
