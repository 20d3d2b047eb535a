"""Language detection on the issue-20 set (tests/data/quality/langid.jsonl), in process.

`evaluate(split)` runs the shared engine (`airgap.engines.langid`) the way the Language service
does, maps its answer to Azure's `iso6391Name` with the service's own table, and returns
accuracy overall and per confusable group, plus in-process throughput. Only aggregates are
returned, so the heldout half can be measured without reading its rows.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from airgap.engines.langid import FastTextLanguageDetector
from airgap.services.language.language_names import azure_language

SET = Path(__file__).resolve().parents[1] / "data" / "quality" / "langid.jsonl"
_THROUGHPUT_PASSES = 3


def _rows(split: str) -> list[dict]:
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["split"] == split]


def evaluate(split: str) -> dict:
    rows = _rows(split)
    engine = FastTextLanguageDetector()
    engine.load()
    texts = [r["text"] for r in rows]
    hints: list[str | None] = [None] * len(texts)
    detections = engine.detect(texts, hints)  # also warms every lazily built second stage
    started = time.perf_counter()
    for _ in range(_THROUGHPUT_PASSES):
        engine.detect(texts, hints)
    elapsed = time.perf_counter() - started

    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, detection in zip(rows, detections, strict=True):
        right = azure_language(detection.language)[1] == row["language"]
        keys = ["all", "confusable", row["group"]] if row["group"] else ["all", "other"]
        for key in keys:
            hits[key][0] += right
            hits[key][1] += 1
    figures: dict = {f"accuracy_{key}": round(h / n, 3) for key, (h, n) in sorted(hits.items())}
    figures["size"] = len(rows)
    figures["docs_per_s"] = round(_THROUGHPUT_PASSES * len(rows) / elapsed) if elapsed else None
    return figures


if __name__ == "__main__":
    import sys

    for name, value in evaluate(sys.argv[1] if len(sys.argv) > 1 else "dev").items():
        print(f"{name:28} {value}")
