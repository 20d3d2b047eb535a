"""Housekeeping routes every airgap container serves, against real server processes."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate as validate_openapi
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from tests.support.server import ServerProcess

ENGINE = "fasttext-lid176-lite"
V31 = "/text/analytics/v3.1/languages"
LANGUAGE_PATHS = ("/text/analytics/v3.0/languages", V31, "/language/:analyze-text")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href")


def _samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def _detect(url: str, text: str = "Hello world, this is an English sentence.") -> httpx.Response:
    return httpx.post(url + V31, json={"documents": [{"id": "1", "text": text}]}, timeout=60)


def test_home_page_names_services_and_links(language_server):
    r = httpx.get(language_server.url + "/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "language" in r.text and "Text Analytics" in r.text
    parser = _Links()
    parser.feed(r.text)
    for path in ("/ready", "/status", "/swagger", "/metrics", "/records/usage-logs"):
        assert path in parser.hrefs
        assert httpx.get(language_server.url + path).status_code == 200, path


@pytest.mark.parametrize("path", ["/ready", "/ContainerReadiness"])
def test_readiness(language_server, path):
    r = httpx.get(language_server.url + path)
    assert r.status_code == 200
    assert r.json()["status"] == "ready"
    assert r.json()["services"] == {"language": "ready"}


@pytest.mark.parametrize("path", ["/health", "/ContainerLiveness"])
def test_liveness(language_server, path):
    r = httpx.get(language_server.url + path)
    assert r.status_code == 200
    assert r.json()["status"] == "alive"


def test_status(language_server):
    r = httpx.get(language_server.url + "/status")
    assert r.status_code == 200
    body = r.json()
    assert body["service"] == "textanalytics"
    assert body["apiStatus"] == "Valid"
    assert body["apiStatusMessage"]


def test_swagger_page_and_openapi_document(language_server):
    page = httpx.get(language_server.url + "/swagger")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/swagger/v1/swagger.json" in page.text
    r = httpx.get(language_server.url + "/swagger/v1/swagger.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    validate_openapi(doc)  # a structurally valid OpenAPI document, not only valid JSON
    assert doc["info"]["title"] == "airgap"
    for path in LANGUAGE_PATHS:
        assert "post" in doc["paths"][path], path
    # The Language API documents its required api-version.
    params = doc["paths"]["/language/:analyze-text"]["post"]["parameters"]
    assert any(p["name"] == "api-version" and p["required"] for p in params)


def test_unknown_route_is_a_404_envelope(language_server):
    r = httpx.get(language_server.url + "/no/such/route")
    assert r.status_code == 404
    assert r.json()["error"]["code"]
    assert "/swagger" in r.json()["error"]["message"]


def test_metrics(language_server):
    url = language_server.url
    before = _samples(httpx.get(url + "/metrics").text)
    assert _detect(url).status_code == 200
    assert httpx.get(url + "/swagger").status_code == 200
    r = httpx.get(url + "/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    after = _samples(r.text)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("airgap_requests_total", method="POST", route=V31, status="200") == 1
    assert delta("airgap_requests_total", method="GET", route="/swagger", status="200") == 1
    assert delta("airgap_request_seconds_count", method="POST", route=V31) == 1
    assert delta("airgap_request_seconds_bucket", method="POST", route=V31, le="+Inf") == 1
    assert delta("airgap_inference_seconds_count", engine=ENGINE) == 1
    assert _value(after, "airgap_inference_seconds_sum", engine=ENGINE) > 0
    assert delta("airgap_documents_total", service="language", feature="LanguageDetection", outcome="ok") == 1
    assert _value(after, "airgap_model_loaded", service="language", engine=ENGINE) == 1


def _requests_by_process(metrics_dir: Path, scratch: Path) -> dict[str, float]:
    """POSTs to the v3.1 route counted by each worker process, read from its own counter file."""
    counts = {}
    for counter_file in metrics_dir.glob("counter_*.db"):
        alone = scratch / counter_file.stem
        alone.mkdir(parents=True)
        shutil.copy(counter_file, alone)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        counts[counter_file.stem] = sum(
            s.value for family in registry.collect() for s in family.samples
            if s.name == "airgap_requests_total" and s.labels.get("route") == V31
        )
    return counts


def _multiproc_dir_of_workers(pid: int) -> Path:
    """The PROMETHEUS_MULTIPROC_DIR that ``airgap serve`` handed to its worker processes."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for child in children:
        for entry in Path(f"/proc/{child}/environ").read_bytes().split(b"\0"):
            if entry.startswith(b"PROMETHEUS_MULTIPROC_DIR="):
                return Path(entry.split(b"=", 1)[1].decode())
    raise AssertionError(f"no worker of {pid} has PROMETHEUS_MULTIPROC_DIR; children: {children}")


def test_two_workers_serve_and_metrics_add_up(tmp_path, monkeypatch):
    # The default deployment: airgap serve itself creates the folder the workers share.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    server = ServerProcess(settings=["Services=language", "Workers=2"], output_dir=tmp_path,
                           log_path=tmp_path / "server.log")
    with server.start(timeout=300):  # two processes load every model on a shared machine
        total = 120
        # Concurrent requests on fresh connections, so both processes get to accept some.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda i: _detect(server.url, f"Request {i} is plain English.").status_code,
                                     range(total)))
        assert statuses == [200] * total
        samples = _samples(httpx.get(server.url + "/metrics").text)
        # Whichever process answers /metrics, it reports every worker's requests.
        assert _value(samples, "airgap_requests_total", method="POST", route=V31, status="200") == total
        assert _value(samples, "airgap_inference_seconds_count", engine=ENGINE) == total
        assert _value(samples, "airgap_model_loaded", service="language", engine=ENGINE) == 1
        metrics_dir = _multiproc_dir_of_workers(server.process.pid)
        assert len(list(metrics_dir.glob("gauge_livemax_*.db"))) == 2  # both processes loaded the model
        per_process = _requests_by_process(metrics_dir, tmp_path / "scratch")
    served = {name: n for name, n in per_process.items() if n > 0}
    assert len(served) == 2, per_process
    assert sum(served.values()) == total
    assert not metrics_dir.exists()  # the folder airgap made for its workers goes with them
