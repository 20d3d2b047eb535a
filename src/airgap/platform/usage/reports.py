"""Usage summaries in Azure's ``/records/usage-logs`` shape.

One service: exactly Azure's ``{"apiType","serviceName","meters":[{"name","quantity"}]}``.
Several services on one server: a JSON list of such objects, one per service
(each object keeps Azure's shape, so a client that reads one element works).

``by_day`` (an airgap extension, ``?by=day``): each service object also has ``days``, the same
meters per UTC day, ``[{"date": "YYYY-MM-DD", "meters": [...]}]``, days with usage only, oldest
first; made in the same single pass over the records as the totals.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from airgap.platform.usage.reader import iter_records


def month_bounds(month: int, year: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=timezone.utc)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=timezone.utc)
    return start, end


def _number(value: float) -> float | int:
    # Whole counts (text records, characters, pages) print as integers, as Azure's report does.
    return int(value) if float(value).is_integer() else value


def _utc_day(time: str) -> str:
    # The journal writes UTC as "+00:00"; anything else (a hand-made record) is converted.
    if time.endswith(("+00:00", "Z")):
        return time[:10]
    return datetime.fromisoformat(time).astimezone(timezone.utc).date().isoformat()


def _meters(quantities: dict[str, float]) -> list[dict[str, Any]]:
    return [{"name": k, "quantity": _number(v)} for k, v in sorted(quantities.items())]


def summary(output_dir: Path, services: list[tuple[str, str]], *,
            month: int | None = None, year: int | None = None, by_day: bool = False) -> Any:
    """``services``: (serviceName, apiType) of the hosted services, in order."""
    since = until = None
    if month is not None and year is not None:
        since, until = month_bounds(month, year)
    per: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    # service -> UTC day -> meter -> quantity, filled only when asked for
    daily: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    api: dict[str, str] = dict(services)
    for rec in iter_records(output_dir, since, until):
        name = rec.get("serviceName") or ""
        api.setdefault(name, rec.get("apiType") or name)
        day = daily[name][_utc_day(rec["time"])] if by_day else None
        for m in rec["meters"]:
            per[name][m["name"]] += m["quantity"]
            if day is not None:
                day[m["name"]] += m["quantity"]
    names = [n for n, _ in services] + sorted(n for n in per if n not in dict(services))
    out = [{"apiType": api[n], "serviceName": n, "meters": _meters(per[n])} for n in names]
    if by_day:
        for service in out:
            days = daily.get(service["serviceName"], {})
            service["days"] = [{"date": d, "meters": _meters(days[d])} for d in sorted(days)]
    return out[0] if len(out) == 1 else out
