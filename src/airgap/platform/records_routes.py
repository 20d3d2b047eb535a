"""``GET /records/usage-logs[/{MONTH}/{YEAR}]``: the disconnected usage report.

``?by=day`` (an airgap extension, not Azure's) adds each service's usage per UTC day
(``reports.summary(by_day=True)``); without it the answer is Azure's shape, unchanged.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from airgap.platform.errors import BadRequest
from airgap.platform.responses import JSONResponse
from airgap.platform.usage.reports import summary

router = APIRouter(include_in_schema=False)


def _report(request: Request, month: int | None = None, year: int | None = None) -> JSONResponse:
    by_day = _by_day(request)
    runtime = request.app.state.runtime
    services = [(s.name, s.api_type) for s in runtime.services]
    return JSONResponse(summary(runtime.settings.output_dir, services, month=month, year=year, by_day=by_day))


def _by_day(request: Request) -> bool:
    values = request.query_params.getlist("by")
    if not values:
        return False
    if values != ["day"]:
        given = ", ".join(repr(v) for v in values)
        raise BadRequest(f"Query parameter 'by' = {given} is not valid: the only breakdown is by=day (usage per "
                         "UTC day, an airgap extension), e.g. /records/usage-logs/03/2024?by=day; leave 'by' out "
                         "for Azure's report of totals.")
    return True


@router.get("/records/usage-logs")
@router.get("/records/usage-logs/")
async def usage_logs(request: Request) -> JSONResponse:
    return _report(request)


@router.get("/records/usage-logs/{month}/{year}")
async def usage_logs_month(request: Request, month: str, year: str) -> JSONResponse:
    # ASCII digits only: str.isdigit() also accepts "²" (int() then fails) and other scripts' digits.
    if not (_ascii_digits(month) and 1 <= int(month) <= 12):
        raise BadRequest(f"Month {month!r} is not valid: give a month number from 01 to 12, "
                         "e.g. /records/usage-logs/03/2024.")
    if not (_ascii_digits(year) and len(year) == 4 and int(year) >= 1970):
        raise BadRequest(f"Year {year!r} is not valid: give a four-digit year, e.g. /records/usage-logs/03/2024.")
    return _report(request, int(month), int(year))


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
