"""Read every instance's journals: totals, record iteration, chain verification."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import orjson

from airgap.platform.usage.journal import GENESIS, record_hash


def journal_files(output_dir: Path) -> list[Path]:
    return sorted((Path(output_dir) / "usage").glob("*/*.jsonl"))


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    data = path.read_bytes()
    for i, line in enumerate(data.split(b"\n"), 1):
        if line:
            yield i, line


def iter_records(output_dir: Path, since: datetime | None = None,
                 until: datetime | None = None) -> Iterator[dict[str, Any]]:
    for path in journal_files(output_dir):
        for _, line in _lines(path):
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a torn last line of a live writer: not acknowledged
            t = datetime.fromisoformat(rec["time"])
            if (since is None or t >= since) and (until is None or t < until):
                yield rec


def totals(output_dir: Path, since: datetime | None = None,
           until: datetime | None = None) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for rec in iter_records(output_dir, since, until):
        for m in rec["meters"]:
            out[m["name"]] += m["quantity"]
    return dict(out)


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def verify(output_dir: Path) -> list[Problem]:
    """One Problem per broken journal: the first record whose chain fails."""
    problems = []
    for path in journal_files(output_dir):
        prev, seq = GENESIS, 0
        for lineno, line in _lines(path):
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                problems.append(Problem(path, lineno, "not valid JSON"))
                break
            if rec.get("hash") != record_hash(rec):
                problems.append(Problem(path, lineno, f"record seq {rec.get('seq')} was altered (hash mismatch)"))
                break
            if rec.get("prev") != prev or rec.get("seq") != seq:
                problems.append(Problem(path, lineno,
                                        f"chain broken: expected seq {seq}, found {rec.get('seq')} (record inserted or deleted)"))
                break
            prev, seq = rec["hash"], seq + 1
    return problems
