"""Quality on the held-out evaluation sets (issue 20): one table, every capability.

Each ``tests/quality/<capability>.py`` module defines ``evaluate(split) -> dict`` that runs its
engine in-process on ``tests/data/quality`` (tests/data/quality/README.md: how the sets were made,
the dev/heldout rule). This prints their figures for one split, ``heldout`` by default, the only
figures docs/models.md reports.

    .venv/bin/python bench/quality.py [--split heldout|dev] [capability ...]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUALITY = ROOT / "tests" / "quality"


def capabilities() -> list[str]:
    return sorted(p.stem for p in QUALITY.glob("*.py")
                  if not p.stem.startswith(("test_", "_", "conftest")))


def _flatten(figures: dict, prefix: str = "") -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flatten(value, name + ".")
        else:
            rows.append((name, value))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="heldout", choices=("heldout", "dev"))
    parser.add_argument("capability", nargs="*", help=f"default: all of {', '.join(capabilities())}")
    args = parser.parse_args()
    for name in args.capability or capabilities():
        module = importlib.import_module(f"tests.quality.{name}")
        if not hasattr(module, "evaluate"):
            continue
        start = time.perf_counter()
        figures = module.evaluate(args.split)
        print(f"\n## {name} ({args.split}, {time.perf_counter() - start:.1f} s)")
        for key, value in _flatten(figures):
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"  {key:<48} {shown}")


if __name__ == "__main__":
    main()
