"""The Studio's figures (issue 18): bundle size, time to interactive, page memory after requests.

- Bundle: every file the page loads (``index.html`` and the assets of
  ``airgap.platform.studio.FILES``; ``studio.js`` imports every module at start), in bytes as
  served (the server does not compress) and gzipped (level 6, what a compressing proxy sends).
- Time to interactive: headless Chromium (tests/support/cdp.py) opens ``/studio`` ``--runs``
  times, cold (HTTP cache off) and warm (cache on); a script added to every new document through
  the DevTools protocol notes ``performance.now()`` (milliseconds since navigation start) when the
  shell has built its tabs and shown the first panel (``body[data-studio=started]`` and a
  visible ``section.page``). DOMContentLoaded and load from the Navigation Timing entry beside it.
  Medians.
- Memory: the page's JS heap (``Performance.getMetrics`` ``JSHeapUsedSize``, after
  ``HeapProfiler.collectGarbage``) once loaded, after ``--requests`` detections run from the
  Anomaly Detector panel (one click, one request, its chart and JSON drawn each time), and after
  the Operations panel has loaded (15 requests).

Starts its own ``airgap serve Services=anomaly`` (the lightest service) on a free port.

    .venv/bin/python bench/studio.py [--runs 5] [--requests 100]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airgap.platform import studio  # noqa: E402
from tests.support import cdp  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

# Runs in each new document before the page's own scripts: when is the first panel usable?
WATCH = """(() => {
  const watch = new MutationObserver(() => {
    const body = document.body;
    if (body && body.dataset.studio === "started" && document.querySelector("section.page:not([hidden])")) {
      window.studioInteractive = performance.now();
      watch.disconnect();
    }
  });
  watch.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-studio", "hidden"]});
})();"""


def bundle() -> list[tuple[str, int, int]]:
    folder = resources.files("airgap.platform.studio")
    rows = []
    for name in ("index.html", *studio.FILES):
        data = (folder / name).read_bytes()
        rows.append((name, len(data), len(gzip.compress(data, compresslevel=6))))
    return rows


def open_once(browser: cdp.Browser, url: str) -> dict:
    browser.send("Page.navigate", url="about:blank")
    browser.wait_for("location.href === 'about:blank'")
    browser.send("Page.navigate", url=url)
    browser.wait_for("typeof window.studioInteractive === 'number' && document.readyState === 'complete'")
    return browser.evaluate("""(() => { const n = performance.getEntriesByType('navigation')[0];
        return {interactive: window.studioInteractive, domContentLoaded: n.domContentLoadedEventEnd,
                load: n.loadEventEnd}; })()""")


def timings(browser: cdp.Browser, url: str, runs: int, cold: bool) -> dict[str, float]:
    browser.send("Network.setCacheDisabled", cacheDisabled=cold)
    samples = [open_once(browser, url) for _ in range(runs)]
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def heap(browser: cdp.Browser) -> dict[str, float]:
    browser.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in browser.send("Performance.getMetrics")["metrics"]}
    return {k: metrics[k] for k in ("JSHeapUsedSize", "JSHeapTotalSize", "Nodes", "JSEventListeners")}


def detections(browser: cdp.Browser, count: int) -> None:
    for i in range(count):
        browser.evaluate("document.getElementById('ad-readable').replaceChildren()")
        browser.click("#ad-run")
        shown = browser.wait_for("document.getElementById('ad-readable').innerText")
        if not shown.startswith("Period"):
            raise RuntimeError(f"request {i + 1} did not detect: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if cdp.chromium() is None:
        sys.exit("headless Chromium is not installed (apt-get install chromium)")

    rows = bundle()
    print("Bundle (bytes as served, gzip -6):")
    for name, raw, packed in rows:
        print(f"  {name:18} {raw:8,} {packed:8,}")
    print(f"  {'total':18} {sum(r[1] for r in rows):8,} {sum(r[2] for r in rows):8,}  ({len(rows)} files)")

    folder = Path(tempfile.mkdtemp(prefix="bench-studio-"))
    with ServerProcess(settings=["Services=anomaly"], log_path=folder / "server.log") as server:
        browser = cdp.Browser(folder / "profile")
        try:
            browser.send("Performance.enable")
            browser.send("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
            url = server.url + "/studio"
            open_once(browser, url)  # the server's first answers (imports, caches) are not timed
            print(f"\nTime from navigation start, median of {args.runs} (ms):")
            print(f"  {'':6} {'DOMContentLoaded':>17} {'load':>7} {'first panel usable':>19}")
            for label, cold in (("cold", True), ("warm", False)):
                t = timings(browser, url, args.runs, cold)
                print(f"  {label:6} {t['domContentLoaded']:17.0f} {t['load']:7.0f} {t['interactive']:19.0f}")

            open_once(browser, url)
            memory = [("loaded", heap(browser))]
            detections(browser, args.requests)
            memory.append((f"after {args.requests} requests", heap(browser)))
            browser.click("#nav-server button")
            browser.wait_for("document.body.dataset.operations === 'shown'")
            memory.append(("+ Operations panel", heap(browser)))
            print("\nPage memory (after garbage collection):")
            print(f"  {'':24} {'JS heap used':>13} {'JS heap total':>14} {'DOM nodes':>10} {'listeners':>10}")
            for label, m in memory:
                print(f"  {label:24} {m['JSHeapUsedSize'] / 1e6:10.2f} MB {m['JSHeapTotalSize'] / 1e6:11.2f} MB"
                      f" {m['Nodes']:10.0f} {m['JSEventListeners']:10.0f}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
