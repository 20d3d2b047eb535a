"""Deterministic dev/heldout split and sanity checks for the quality evaluation sets.

Every capability's set in this folder is split with `split_rows`, so that rules are written from
`dev` only and `heldout` measures them on text nobody tuned against (issue 20).

Usage:
    python tests/data/quality/split.py            # check every *.jsonl here, print the counts
    python tests/data/quality/split.py --write    # (re)assign `split` in place, then check
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent

LABELS = ("positive", "negative", "neutral", "mixed")
DOMAINS = ("reviews", "news", "support", "clinical", "legal", "social", "email")
KINDS = ("plain", "hard")
SPLITS = ("dev", "heldout")


def check_rows(rows: list[dict], *, labels: Iterable[str] = LABELS) -> None:
    """Raise ValueError on a duplicate id or a label outside `labels`."""
    allowed = set(labels)
    seen: set[str] = set()
    for row in rows:
        row_id = row["id"]
        if row_id in seen:
            raise ValueError(f"duplicate id {row_id!r}")
        seen.add(row_id)
        if row["label"] not in allowed:
            raise ValueError(f"{row_id}: label {row['label']!r} not in {sorted(allowed)}")


def split_rows(
    rows: list[dict], *, key: tuple[str, ...] = ("label", "domain", "kind")
) -> list[dict]:
    """Return copies of `rows` (sorted by id) with `split` set to "dev" or "heldout".

    Within each group of equal `key` values, rows sorted by id alternate dev, heldout, dev, ...
    so both halves hold the same mix of labels and domains; `kind` is in the default key too,
    because hard cases score far lower than plain ones and must not pile up in one half. Other
    capabilities' sets pass their own `key` (the fields they have). Groups with an odd size
    would all give their extra row to dev, so the side a group starts on alternates from one
    odd group to the next (groups in sorted order): the halves stay within one row of each
    other overall. The
    result depends only on the ids and the key fields, never on file order or randomness.
    """
    check_rows(rows, labels={r["label"] for r in rows})
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["id"]):
        groups[tuple(row[k] for k in key)].append(row)
    assigned: dict[str, str] = {}
    odd_groups = 0
    for group_key in sorted(groups):
        members = groups[group_key]
        start = odd_groups % 2
        for i, row in enumerate(members):
            assigned[row["id"]] = SPLITS[(i + start) % 2]
        if len(members) % 2:
            odd_groups += 1
    return [{**row, "split": assigned[row["id"]]} for row in sorted(rows, key=lambda r: r["id"])]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dump(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def check_sentiment(rows: list[dict]) -> None:
    check_rows(rows)
    for row in rows:
        for field, allowed in (("domain", DOMAINS), ("kind", KINDS), ("split", SPLITS)):
            if row.get(field) not in allowed:
                raise ValueError(f"{row['id']}: {field} {row.get(field)!r} not in {allowed}")
        if not row["text"].strip():
            raise ValueError(f"{row['id']}: empty text")
    if split_rows(rows) != sorted(rows, key=lambda r: r["id"]):
        raise ValueError("split field differs from split_rows(); run with --write")


def table(name: str, rows: list[dict]) -> str:
    """Counts per split for every label, domain and kind, as a Markdown table."""
    lines = [f"### {name} ({len(rows)} documents)", ""]
    lines += ["| | dev | heldout | total |", "|---|---|---|---|"]
    for field, values in (("label", LABELS), ("domain", DOMAINS), ("kind", KINDS)):
        counts = Counter((r[field], r["split"]) for r in rows)
        for value in values:
            dev, held = counts[(value, "dev")], counts[(value, "heldout")]
            lines.append(f"| {field} {value} | {dev} | {held} | {dev + held} |")
    dev = sum(r["split"] == "dev" for r in rows)
    lines.append(f"| **all** | {dev} | {len(rows) - dev} | {len(rows)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="assign split in place first")
    args = parser.parse_args()
    for path in sorted(HERE.glob("sentiment_*.jsonl")):
        rows = load(path)
        if args.write:
            rows = split_rows(rows)
            dump(path, rows)
        check_sentiment(rows)
        print(table(path.name, rows))
        print()


if __name__ == "__main__":
    main()
