"""``airgap records report|verify|export``: read the usage records in an output folder offline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import orjson

from airgap.platform.usage.reader import instances, iter_chain, verify
from airgap.platform.usage.reports import summary


def add_parser(commands) -> None:
    records = commands.add_parser("records", help="report, verify or export usage records",
                                  description="Read the usage records under Mounts:Output.")
    sub = records.add_subparsers(dest="records_command", required=True)
    for name, text in (("report", "totals per meter (optionally for one month)"),
                       ("verify", "check every hash chain; names the first bad record"),
                       ("export", "write every record of every instance to one JSON-lines file, "
                                  "chain order, each line tagged with its instance")):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("--output", type=Path, default=Path("/output"),
                       help="the Mounts:Output folder (default /output)")
        if name == "report":
            p.add_argument("--month", type=int, choices=range(1, 13), metavar="M")
            p.add_argument("--year", type=int, metavar="Y")
            p.add_argument("--json", action="store_true", help="print JSON (the /records/usage-logs shape)")
            p.add_argument("--by-day", action="store_true",
                           help="also each UTC day's totals (JSON: the ?by=day shape, an airgap extension)")
        if name == "export":
            p.add_argument("--to", type=Path, default=None, help="file to write (default: stdout)")


def run(args: argparse.Namespace) -> int:
    if not args.output.is_dir():
        print(f"airgap: output folder {args.output} not found; pass --output DIR.", file=sys.stderr)
        return 2
    if args.records_command == "verify":
        problems = verify(args.output)
        for p in problems:
            print(p)
        print("ok: every chain is intact" if not problems else f"{len(problems)} broken journal(s)")
        return 1 if problems else 0
    if args.records_command == "export":
        out = open(args.to, "wb") if args.to else sys.stdout.buffer
        # Chain order per instance, each line tagged with its instance, so that the
        # receiving side can re-check every chain (drop "instance", then hash as usual).
        for instance, files in instances(args.output).items():
            for rec in iter_chain(files):
                out.write(orjson.dumps({"instance": instance, **rec}) + b"\n")
        if args.to:
            out.close()
        return 0
    if (args.month is None) != (args.year is None):
        print("airgap: give both --month and --year, or neither.", file=sys.stderr)
        return 2
    report = summary(args.output, [], month=args.month, year=args.year, by_day=args.by_day)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for service in report if isinstance(report, list) else [report]:
        print(f"{service['serviceName']} ({service['apiType']})")
        for m in service["meters"]:
            print(f"  {m['name']}: {m['quantity']:g}")
        for day in service.get("days", ()):
            print(f"  {day['date']}")
            for m in day["meters"]:
                print(f"    {m['name']}: {m['quantity']:g}")
    return 0
