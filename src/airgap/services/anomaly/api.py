"""``/anomalydetector/{v1.0,v1.1}/timeseries/{entire,last,changepoint}/detect``.

v1.0 is the same contract without ``imputeMode``/``imputeFixedValue`` in requests and without
``severity`` in responses (older samples and the Azure Data Explorer functions still call it).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, Depends, Request

from airgap.platform.body import media_type, read_bytes
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest
from airgap.platform.responses import JSONResponse
from airgap.services.anomaly import series, wire
from airgap.services.anomaly.engines.changepoint import detect_change_points
from airgap.services.anomaly.engines.detector import detect_entire, detect_last

if TYPE_CHECKING:
    from airgap.services.anomaly.service import AnomalyService

PREFIX = "/anomalydetector"
VERSIONS = ("v1.0", "v1.1")
POINTS_PER_TRANSACTION = 1000


async def _body(request: Request, limit: int) -> Any:
    kind = media_type(request)
    if kind and kind not in ("application/json", "text/json") and not kind.endswith("+json"):
        raise BadRequest(f"Content-Type '{kind}' is not supported; send the body as application/json.",
                         code="BadArgument", status=415)
    raw = (await read_bytes(request, limit)).removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        raise BadRequest("The request body is empty: send a JSON object with a series.", code="InvalidJsonFormat")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        problem = exc.msg
    # NaN and Infinity are not JSON, but clients' encoders (Python's json among them) write them
    # for a missing value: say which point holds one rather than only that the JSON is bad.
    try:
        body = json.loads(raw, parse_constant=lambda name: math.nan)
    except (ValueError, RecursionError):
        raise BadRequest(f"The request body is not valid JSON: {problem}.", code="InvalidJsonFormat") from None
    return body


def _transactions(points: int) -> int:
    return -(-points // POINTS_PER_TRANSACTION)


def build_router(service: AnomalyService) -> APIRouter:
    router = APIRouter(tags=["Anomaly Detector (univariate)"])
    for version in VERSIONS:
        _add_version(router, service, version)
    return router


def _add_version(router: APIRouter, service: AnomalyService, version: str) -> None:
    limit = service.runtime.settings.max_request_bytes
    pool = service.runtime.pool
    current = version == "v1.1"
    base = f"{PREFIX}/{version}/timeseries"

    @router.post(f"{base}/entire/detect", summary=f"Detect anomalies in a whole series ({version})")
    async def entire(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        options = series.detect_options(await _body(request, limit), imputing=current)
        result = await pool.run("anomaly", detect_entire, options.series.values, options.period,
                                options.sensitivity, options.max_anomaly_ratio)
        ctx.meter(service.meter, _transactions(len(options.series.positions)))
        return JSONResponse(wire.entire(result, options.series.positions, severity=current))

    @router.post(f"{base}/last/detect", summary=f"Detect whether the last point is an anomaly ({version})")
    async def last(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        options = series.detect_options(await _body(request, limit), imputing=current)
        result = await pool.run("anomaly", detect_last, options.series.values, options.period,
                                options.sensitivity, options.max_anomaly_ratio)
        ctx.meter(service.meter, 1)
        return JSONResponse(wire.last(result, severity=current))

    @router.post(f"{base}/changepoint/detect", summary=f"Detect change points ({version})")
    async def changepoint(request: Request, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        options = series.change_point_options(await _body(request, limit))
        result = await pool.run("anomaly", detect_change_points, options.series.values, options.period,
                                options.stable_trend_window, options.threshold)
        ctx.meter(service.meter, _transactions(len(options.series.positions)))
        return JSONResponse(wire.change_points(result, options.series.positions))
