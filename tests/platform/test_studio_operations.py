"""The Studio's Operations panel (issue 18) in headless Chromium against a licensed server behind
inbound auth: the page's own calls are refused until the key is typed, then billed; the panel
shows the licence and its expiry, the usage chart filled with those calls, engine health and the
request highlights of /metrics, and its exports hold what the server's usage report says.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.studio import KEY, LICENCE_DAYS, licensed_server, run_sdk_code

CALLS = 3  # detections run from the page; each of the sample's 168 points bills one transaction


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with licensed_server(tmp_path_factory.mktemp("studio-operations")) as running:
        yield running


def _tabs(browser, nav: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll('#{nav} button')].map(b => b.textContent)")


def _detect(browser) -> str:
    browser.evaluate("document.getElementById('ad-readable').replaceChildren()")
    browser.click("#ad-run")
    return browser.wait_for("(t => t && t)(document.getElementById('ad-readable').innerText)")


def _table(browser, caption: str) -> list[list[str]]:
    return browser.evaluate(f"""[...document.querySelectorAll('#page-operations table')]
        .filter(t => t.caption.textContent === {json.dumps(caption)})
        .flatMap(t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)))""")


def _per(browser, period: str) -> None:
    browser.evaluate(f"(s => {{ s.value = '{period}'; s.dispatchEvent(new Event('change')); }})"
                     "(document.getElementById('ops-period'))")


def test_operations_panel_behind_inbound_auth(server, browser, tmp_path):
    server, licence = server
    browser.open(server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    assert _tabs(browser, "nav") == ["Anomaly Detector"]
    assert _tabs(browser, "nav-server") == ["Operations"]

    # Before any billed call: twelve empty months say so, without a chart.
    browser.click("#nav-server button")
    browser.wait_for("document.body.dataset.operations === 'shown'")
    assert browser.evaluate("document.getElementById('ops-chart-note').innerText") == \
        "No usage was recorded in the last twelve months."
    assert browser.evaluate("document.getElementById('ops-chart-svg').hasAttribute('hidden')") is True
    browser.click("#nav button")
    browser.wait_for("!document.getElementById('page-anomaly').hidden")

    # Without the key the server refuses, and the page points at the key field.
    assert "invalid subscription key" in _detect(browser)
    assert "subscription key" in browser.evaluate("document.getElementById('key-note').textContent")
    browser.type_into("#key", KEY)
    for _ in range(CALLS):
        assert _detect(browser).startswith("Period 24")

    browser.click("#nav-server button")  # opened again: the panel asks the server again
    browser.wait_for("document.body.dataset.operations === 'shown'"
                     " && document.querySelectorAll('#ops-chart rect.bar').length === 12")
    assert browser.evaluate("document.getElementById('ops-chart-note').innerText") == ""
    assert browser.evaluate("location.hash") == "#operations"
    assert browser.evaluate("document.getElementById('page-anomaly').hidden") is True

    # The chart: twelve months, this month's bar holds the page's calls.
    assert browser.evaluate("document.getElementById('ops-meter').selectedOptions[0].textContent") == "anomaly · Transactions"
    bars = browser.evaluate("[...document.querySelectorAll('#ops-chart rect.bar')].map(r => Number(r.dataset.value))")
    assert bars[-1] == CALLS and sum(bars) == CALLS, bars
    heights = browser.evaluate("[...document.querySelectorAll('#ops-chart rect.bar')].map(r => r.getBBox().height)")
    assert heights[-1] > 50 and heights[:-1] == [0] * 11, heights
    assert browser.evaluate("document.getElementById('ops-chart-title').textContent") == "Transactions of anomaly per month (UTC)"
    usage = _table(browser, "Usage per service and meter, month by month (UTC)")
    assert usage[0][:2] == ["anomaly", "Transactions"] and usage[0][-1] == str(CALLS)

    # Per day (the report's ?by=day): the last 31 UTC days, the calls on today's bar (or, past
    # midnight UTC during the test, split over the last two).
    _per(browser, "day")
    days = browser.evaluate("[...document.querySelectorAll('#ops-chart rect.bar')].map(r => Number(r.dataset.value))")
    assert len(days) == 31 and sum(days) == CALLS and days[:-2] == [0] * 29, days
    assert browser.evaluate("document.getElementById('ops-chart-title').textContent") == "Transactions of anomaly per day (UTC)"
    [daily] = _table(browser, "Usage per service and meter, day by day (UTC)")
    assert len(daily) == 2 + 31 and daily[:2] == ["anomaly", "Transactions"]
    assert sum(int(v or 0) for v in daily[2:]) == CALLS
    assert "?by=day" in " ".join(u for u in browser.requested if "/records/usage-logs/" in u)
    _per(browser, "month")

    # The licence and its expiry, read from /status.
    licence_text = browser.evaluate("document.getElementById('ops-licence').innerText")
    assert licence_text.startswith("Valid"), licence_text
    [row] = _table(browser, "Licences in force")
    assert row[:2] == ["anomaly", licence.id]
    assert row[2] == licence.expires.strftime("%Y-%m-%d %H:%M:%S")
    assert int(row[3]) in (LICENCE_DAYS - 1, LICENCE_DAYS)

    # Engine health and the request highlights.
    assert _table(browser, "Hosted services") == [["anomaly", "ready"]]
    assert ["anomaly", "spectral-residual", "loaded"] in _table(browser, "Engine models in this process")
    routes = {r[0]: r for r in _table(browser, "API requests by route")}
    detect = routes["POST /anomalydetector/v1.1/timeseries/entire/detect"]
    assert int(detect[1]) >= CALLS and detect[3].endswith(("ms", " s")), detect
    assert ["anomaly"] == [r[0] for r in _table(browser, "Time inside each engine")]
    jobs = browser.evaluate("document.getElementById('ops-jobs').innerText")
    assert "No job in flight." in jobs and "0 websocket streams open now" in jobs, jobs

    # Exports: the blob the page offers for download, caught as it is made.
    browser.evaluate("""window.exported = []; const made = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.exported.push(blob); return made(blob); };
        HTMLAnchorElement.prototype.click = function () { window.exportedName = this.download; };""")
    report = httpx.get(server.url + "/records/usage-logs", headers={"Ocp-Apim-Subscription-Key": KEY}).json()
    browser.click("#ops-export-all")
    browser.wait_for("window.exported.length === 1")
    assert browser.evaluate("window.exportedName") == "usage-logs-all.json"
    assert json.loads(browser.evaluate("window.exported[0].text()")) == report
    assert report["meters"] == [{"name": "CognitiveServices.AnomalyDetector.Container.Transactions", "quantity": CALLS}]
    browser.click("#ops-export-csv")
    browser.wait_for("window.exported.length === 2")
    lines = browser.evaluate("window.exported[1].text()").splitlines()
    assert lines[0].startswith("serviceName,meter,") and len(lines[0].split(",")) == 14
    assert lines[1].startswith("anomaly,CognitiveServices.AnomalyDetector.Container.Transactions,")
    assert lines[1].endswith(f",{CALLS}")
    _per(browser, "day")  # the CSV is the table shown: day by day
    browser.click("#ops-export-csv")
    browser.wait_for("window.exported.length === 3")
    assert browser.evaluate("window.exportedName") == "usage-by-day.csv"
    lines = browser.evaluate("window.exported[2].text()").splitlines()
    assert len(lines[0].split(",")) == 2 + 31 and sum(float(v) for v in lines[1].split(",")[2:]) == CALLS

    # The last detection as sent (the key masked, the long series cut) and the Python the panel
    # shows for it (azure-ai-anomalydetector), run with the key against the server (after the
    # usage checks above: it bills one more call).
    sent = browser.evaluate("document.getElementById('ad-request').textContent")
    assert sent.startswith("POST /anomalydetector/v1.1/timeseries/entire/detect\nContent-Type: application/json\n")
    assert "Ocp-Apim-Subscription-Key: ***" in sent and KEY not in sent
    assert sent.endswith(" in all)") and len(sent) < 4500
    code = browser.evaluate("document.getElementById('ad-code').textContent")
    assert "The 168 points pasted in the page, saved as series.csv" in code
    assert ("result = client.detect_univariate_entire_series(UnivariateDetectionOptions("
            'series=series, granularity="hourly", sensitivity=95))') in code
    (tmp_path / "series.csv").write_text(browser.evaluate("document.getElementById('ad-series').value"))
    period, anomalies = run_sdk_code(code, tmp_path, key=KEY).split(" ", 1)
    assert period == "24"
    shown = browser.evaluate("[...document.querySelectorAll('#ad-readable li')].map(li => Number(li.textContent.slice(1).split(' ')[0]))")
    assert json.loads(anomalies) == shown

    fetched = [u for u in browser.requested if not u.startswith(("blob:", "data:"))]
    assert fetched and all(u.startswith(server.url + "/") for u in fetched), fetched
    assert not [m for m in browser.console if "rror" in m], browser.console


def test_licence_and_usage_parsers_in_the_page(server, browser):
    """The panel's pure helpers, run in the browser on the server's own wording."""
    server, licence = server
    browser.open(server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    message = httpx.get(server.url + "/status").json()["apiStatusMessage"]
    found = browser.evaluate(f"import('./studio/assets/operations.js').then(m => m.licences({json.dumps(message)}))")
    assert found == [{"service": "anomaly", "id": licence.id, "expires": licence.expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "overage": ""}]
    months = browser.evaluate("import('./studio/assets/operations.js')"
                              ".then(m => m.lastMonths(new Date(Date.UTC(2026, 1, 15)), 3).map(x => x.key))")
    assert months == ["2025-12", "2026-01", "2026-02"]
    # Latency buckets: 10 requests under 5 ms, 10 more under 10 ms: the median at the 5 ms bound.
    median = browser.evaluate("import('./studio/assets/operations.js').then(m => m.quantile("
                              "[{le: 0.005, count: 10}, {le: 0.01, count: 20}, {le: Infinity, count: 20}], 0.5))")
    assert median == pytest.approx(0.005)
    assert browser.evaluate("import('./studio/assets/operations.js').then(m => [3, 7, 1200, 0].map(m.niceMax))") == [5, 10, 2000, 1]


def test_jobs_in_flight_from_the_servers_own_exposition(server, browser, tmp_path):
    """The page's reading of /metrics' job gauges, on what job_metrics writes for a real job folder:
    two queued Language jobs and a running Read job, by service, kind and status, the oldest's age."""
    from datetime import UTC, datetime, timedelta

    from airgap.platform import job_metrics
    from airgap.platform.jobs import JobStore

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    clock = {"now": now - timedelta(minutes=10)}
    store = JobStore(tmp_path / "jobs", clock=lambda: clock["now"])
    new = lambda service, handler: store.create(service=service, handler=handler, input={}, tasks=[])["jobId"]  # noqa: E731
    new("language", "language.analyze")
    clock["now"] = now - timedelta(seconds=40)
    new("language", "language.analyze")
    store.try_claim(new("vision", "vision.read")).start()
    clock["now"] = now
    text = job_metrics.exposition(store).decode()
    server, _ = server
    browser.open(server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    rows = browser.evaluate(f"import('./studio/assets/operations.js').then(m => m.jobRows(m.parseMetrics({json.dumps(text)})))")
    assert rows == [
        {"service": "language", "kind": "language.analyze", "status": "notStarted", "jobs": 2, "oldest": 600},
        {"service": "vision", "kind": "vision.read", "status": "running", "jobs": 1, "oldest": 40},
    ]
