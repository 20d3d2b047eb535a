"""The v1.1 spec's examples, read from ../shared/specs, as requests and expected responses."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from tests.support.contract import SPECS

SPEC = "specification/cognitiveservices/data-plane/AnomalyDetector/stable/v1.1/UnivariateAnomalyDetector.json"
EXAMPLES = SPECS / SPEC.rsplit("/", 1)[0] / "examples"


def example(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads((EXAMPLES / f"{name}.json").read_text())
    # The examples name the body parameter differently ("options" in two, "body" in one).
    parameters = data["parameters"]
    return parameters.get("options", parameters.get("body")), data["responses"]["200"]["body"]


def hourly(values: list[float], start: str = "2026-01-01T00:00:00Z") -> list[dict[str, Any]]:
    first = datetime.fromisoformat(start)
    return [{"timestamp": (first + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), "value": v}
            for i, v in enumerate(values)]
