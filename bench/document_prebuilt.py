"""Document prebuilt models: the server over HTTP vs. the layout engine and field logic in process.

Same documents for every path: DEV rows of the issue-17 evaluation set
(tests/data/quality/invoices.py), invoices and receipts, each as a born-digital PDF and as a
200 dpi PNG scan. Per workload it times, in process, the layout engine alone (read + lay out, as
prebuilt-layout does) and layout + field extraction (tests/quality/invoices.py `analyze`), and
over the REST API (`documentintelligence` 2024-11-30 analyze + poll) prebuilt-layout and the
workload's own model (prebuilt-invoice or prebuilt-receipt). Prints pages/s and p50/p99 per
document, the ratios (fields vs layout, API vs in process) and the server's RSS afterwards.

The API is polled every --poll seconds rather than at the `Retry-After: 1` the SDKs honour, so
the figures show the service's cost, not the client's poll interval.

    .venv/bin/python bench/document_prebuilt.py [--per-medium 2] [--rounds 1] [--poll 0.05]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.ocr import make_engine  # noqa: E402
from airgap.ocr.pages import open_document  # noqa: E402
from airgap.ocr.reading import read_pages  # noqa: E402
from airgap.services.document.engines import extract_fields  # noqa: E402
from airgap.services.document.layout import lay_out  # noqa: E402
from tests.quality.invoices import analyze, generator  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

API = "2024-11-30"
MODEL = {"invoices": "invoice", "receipts": "receipt"}


def workloads(per_medium: int) -> dict[str, tuple[str, list[bytes]]]:
    """name -> (field model, documents): the first `per_medium` DEV rows per kind and medium."""
    data = generator()
    loads = {}
    for kind in ("invoices", "receipts"):
        rows = data.rows(kind, "dev")
        for medium in ("pdf", "png"):
            chosen = [r for r in rows if r["medium"] == medium][:per_medium]
            loads[f"{kind}-{medium}"] = (MODEL[kind], [data.render(r) for r in chosen])
    return loads


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarize(latencies: list[float], pages: int, wall: float) -> dict[str, float]:
    return {"pages_s": pages / wall, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000}


def read_and_lay_out(engine, data: bytes):
    """What prebuilt-layout, -invoice and -receipt share: OCR (or the PDF's text layer) and layout.
    Returns (layout, pages)."""
    pages = read_pages(engine, open_document(data), None, tables=True,
                       pdf=data if data.startswith(b"%PDF-") else None)
    return lay_out(pages, tables=True), len(pages)


def run_layout(engine, docs: list[bytes], rounds: int) -> tuple[dict[str, float], list, int]:
    """Layout alone: its figures, the layouts (to time the field logic on) and the pages per round."""
    latencies, layouts, pages = [], [], 0
    start = time.perf_counter()
    for _ in range(rounds):
        for data in docs:
            t = time.perf_counter()
            layout, count = read_and_lay_out(engine, data)
            latencies.append(time.perf_counter() - t)
            layouts.append(layout)
            pages += count
    wall = time.perf_counter() - start
    return summarize(latencies, pages, wall), layouts, pages // rounds


def time_fields(model: str, layouts: list) -> float:
    """Mean seconds of field extraction alone on already laid-out documents: the field logic's own
    cost, free of OCR run-to-run noise."""
    start = time.perf_counter()
    for layout in layouts:
        extract_fields(model, layout)
    return (time.perf_counter() - start) / max(1, len(layouts))


def run_fields(engine, model: str, docs: list[bytes], rounds: int, pages: int) -> dict[str, float]:
    latencies = []
    start = time.perf_counter()
    for _ in range(rounds):
        for data in docs:
            t = time.perf_counter()
            analyze(engine, data, model)
            latencies.append(time.perf_counter() - t)
    return summarize(latencies, pages * rounds, time.perf_counter() - start)


def run_api(client: httpx.Client, url: str, model: str, docs: list[bytes], rounds: int,
            poll: float) -> dict[str, float]:
    latencies, pages = [], 0
    start = time.perf_counter()
    for _ in range(rounds):
        for data in docs:
            t = time.perf_counter()
            r = client.post(f"{url}/documentintelligence/documentModels/{model}:analyze?api-version={API}",
                            content=data, headers={"Content-Type": "application/octet-stream"})
            r.raise_for_status()
            location = r.headers["Operation-Location"]
            while True:
                body = client.get(location).raise_for_status().json()
                if body["status"] not in ("notStarted", "running"):
                    break
                time.sleep(poll)
            latencies.append(time.perf_counter() - t)
            if body["status"] != "succeeded":
                raise RuntimeError(f"{model}: {body.get('error')}")
            pages += len(body["analyzeResult"]["pages"])
    return summarize(latencies, pages, time.perf_counter() - start)


def server_rss_mib(pid: int) -> tuple[float, float, int]:
    """(peak RSS of the server process, current RSS summed over its process group, processes):
    analyze jobs run in worker processes of the same group."""
    def field(status: str, key: str) -> float:
        for line in status.splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
        return 0.0

    peak = field(Path(f"/proc/{pid}/status").read_text(), "VmHWM:")
    total, count = 0.0, 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pid:
                continue
            total += field((entry / "status").read_text(), "VmRSS:")
            count += 1
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
    return peak, total, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-medium", type=int, default=2, help="DEV rows per kind and medium")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between polls of the operation")
    args = parser.parse_args()

    engine = make_engine("tesseract")
    engine.load()
    loads = workloads(args.per_medium)
    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-"))
    (tmp / "shared").mkdir()
    server = ServerProcess(settings=["Services=document", f"Mounts:Shared={tmp / 'shared'}"],
                           log_path=tmp / "server.log").start()
    rows, field_ms = [], {}
    try:
        client = httpx.Client(timeout=300)
        # Warm-up, untimed: first imports, the API's worker processes and their engines.
        for model, docs in loads.values():
            analyze(engine, docs[0], model)
            run_api(client, server.url, f"prebuilt-{model}", docs[:1], 1, args.poll)
        for name, (model, docs) in loads.items():
            layout, layouts, pages = run_layout(engine, docs, args.rounds)
            fields = run_fields(engine, model, docs, args.rounds, pages)
            field_ms[name] = time_fields(model, layouts) * 1000
            api_layout = run_api(client, server.url, "prebuilt-layout", docs, args.rounds, args.poll)
            api_model = run_api(client, server.url, f"prebuilt-{model}", docs, args.rounds, args.poll)
            rows.append((name, "in-process", "layout", layout, 1.0))
            rows.append((name, "in-process", model, fields, layout["pages_s"] / fields["pages_s"]))
            rows.append((name, "API", "prebuilt-layout", api_layout, layout["pages_s"] / api_layout["pages_s"]))
            rows.append((name, "API", f"prebuilt-{model}", api_model, fields["pages_s"] / api_model["pages_s"]))
        client.close()
        peak, group, processes = server_rss_mib(server.process.pid)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if server.output_dir:
            shutil.rmtree(server.output_dir, ignore_errors=True)
    # cost: in process, the model's time per page over layout's; over the API, the API's time per
    # page over the same work in process.
    print(f"{'workload':<13} {'path':<10} {'model':<16} {'pages/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cost x':>7}")
    for name, path, model, r, ratio in rows:
        print(f"{name:<13} {path:<10} {model:<16} {r['pages_s']:>8.2f} {r['p50_ms']:>8.0f} {r['p99_ms']:>8.0f}"
              f" {ratio:>7.2f}")
    print("field extraction alone on a laid-out document (mean ms): "
          + ", ".join(f"{name} {ms:.1f}" for name, ms in field_ms.items()))
    print(f"server RSS after the runs: peak {peak:.0f} MiB (server process), "
          f"{group:.0f} MiB now over its {processes} processes (workers included)")


if __name__ == "__main__":
    main()
