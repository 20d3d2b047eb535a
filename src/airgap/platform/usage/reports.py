"""Usage summaries in Azure's ``/records/usage-logs`` shape.

One service: exactly Azure's ``{"apiType","serviceName","meters":[{"name","quantity"}]}``.
Several services on one server: a JSON list of such objects, one per service
(each object keeps Azure's shape, so a client that reads one element works).
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


def summary(output_dir: Path, services: list[tuple[str, str]], *,
            month: int | None = None, year: int | None = None) -> Any:
    """``services``: (serviceName, apiType) of the hosted services, in order."""
    since = until = None
    if month is not None and year is not None:
        since, until = month_bounds(month, year)
    per: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    api: dict[str, str] = dict(services)
    for rec in iter_records(output_dir, since, until):
        name = rec.get("serviceName") or ""
        api.setdefault(name, rec.get("apiType") or name)
        for m in rec["meters"]:
            per[name][m["name"]] += m["quantity"]
    names = [n for n, _ in services] + sorted(n for n in per if n not in dict(services))
    out = [{"apiType": api[n], "serviceName": n,
            "meters": [{"name": k, "quantity": _number(v)} for k, v in sorted(per[n].items())]}
           for n in names]
    return out[0] if len(out) == 1 else out
