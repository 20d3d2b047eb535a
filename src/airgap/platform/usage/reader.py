"""Read every instance's journals: totals, record iteration, chain verification.

``<output>/usage/<instance>/<YYYY-MM-DD>.jsonl``; one chain per instance, running
through its day files in date order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from airgap.platform.usage.journal import GENESIS, day_files, record_hash


def instances(output_dir: Path) -> dict[str, list[Path]]:
    """Instance id -> its day files in chain order."""
    usage = Path(output_dir) / "usage"
    if not usage.is_dir():
        return {}
    return {d.name: day_files(d) for d in sorted(usage.iterdir())
            if d.is_dir() and not d.name.startswith(".")}


def journal_files(output_dir: Path) -> list[Path]:
    return [p for files in instances(output_dir).values() for p in files]


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    data = path.read_bytes()
    for i, line in enumerate(data.split(b"\n"), 1):
        if line:
            yield i, line


def iter_chain(files: list[Path]) -> Iterator[dict[str, Any]]:
    """One instance's records in chain order."""
    for path in files:
        for _, line in _lines(path):
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # a torn last line of a live writer: not acknowledged


def iter_records(output_dir: Path, since: datetime | None = None,
                 until: datetime | None = None) -> Iterator[dict[str, Any]]:
    for files in instances(output_dir).values():
        for rec in iter_chain(files):
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


def _check_file(path: Path, prev: str, seq: int) -> tuple[Problem | None, str, int]:
    """Check one day file against the chain state it should continue; returns the
    first problem (if any) and the state the next file should continue from."""
    problem = None
    for lineno, line in _lines(path):
        try:
            rec = orjson.loads(line)
        except orjson.JSONDecodeError:
            problem = problem or Problem(path, lineno, "not valid JSON")
            continue
        if problem is None:
            if rec.get("hash") != record_hash(rec):
                problem = Problem(path, lineno, f"record seq {rec.get('seq')} was altered (hash mismatch)")
            elif rec.get("prev") != prev or rec.get("seq") != seq:
                where = "first record of this day file: a day file or records before it are missing or moved" \
                    if lineno == 1 else "record inserted, deleted or moved"
                problem = Problem(path, lineno,
                                  f"chain broken: expected seq {seq}, found {rec.get('seq')} ({where})")
        # After a problem, keep the file's last record as the next file's anchor so
        # that each day file is still checked against the one before it.
        prev, seq = rec.get("hash", prev), (rec["seq"] + 1 if isinstance(rec.get("seq"), int) else seq + 1)
    return problem, prev, seq


def verify(output_dir: Path) -> list[Problem]:
    """The first broken record of each damaged day file, every instance."""
    problems = []
    for files in instances(output_dir).values():
        prev, seq = GENESIS, 0
        for path in files:
            problem, prev, seq = _check_file(path, prev, seq)
            if problem is not None:
                problems.append(problem)
    return problems
