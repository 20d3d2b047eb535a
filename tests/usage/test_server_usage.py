"""Against real servers: exact metering, the report endpoint, kill -9 under load, two servers."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from airgap.platform.usage import iter_records, totals, verify
from tests.support.server import ServerProcess

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
PATH = "/text/analytics/v3.1/languages"


def _detect(url: str, texts: list[str]) -> httpx.Response:
    docs = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    return httpx.post(url + PATH, json={"documents": docs}, timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("output")
    with ServerProcess(settings=["Services=language"], output_dir=out,
                       log_path=out.parent / "usage-server.log").start() as s:
        yield s


def test_exact_counts_and_report(server):
    before = totals(server.output_dir).get(M, 0)
    # 1 record per started 1,000 text elements of each document: 1 + 2 + 1 + 3 = 7
    texts = ["Hello world, this is English.", "Bonjour " * 150, "x" * 1000, "Hallo Welt. " * 210]
    r = _detect(server.url, texts)
    assert r.status_code == 200, r.text
    assert totals(server.output_dir)[M] - before == 7
    report = httpx.get(server.url + "/records/usage-logs/").json()
    assert report["serviceName"] == "language"
    assert {m["name"]: m["quantity"] for m in report["meters"]}[M] == totals(server.output_dir)[M]
    assert verify(server.output_dir) == []


def test_failed_request_is_not_billed(server):
    before = totals(server.output_dir).get(M, 0)
    r = httpx.post(server.url + PATH, json={"documents": "nope"}, timeout=30)
    assert r.status_code == 400
    assert totals(server.output_dir).get(M, 0) == before


@pytest.mark.parametrize("suffix", ["13/2024", "00/2024", "ab/2024", "03/24", "03/year"])
def test_bad_month_year_is_400_envelope(server, suffix):
    r = httpx.get(f"{server.url}/records/usage-logs/{suffix}")
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"]


def test_missing_output_dir_exits_with_azure_message(tmp_path):
    cmd = [sys.executable, "-m", "airgap", "serve", "Eula=accept", "Services=language",
           f"Mounts:Output={tmp_path / 'absent'}"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert "The provided output path was not found" in p.stdout + p.stderr


def test_kill9_under_load_then_two_servers_share_the_folder(tmp_path):
    s1 = ServerProcess(settings=["Services=language"], output_dir=tmp_path,
                       log_path=tmp_path.parent / "s1.log").start()
    ok_ids = []

    def one(i):
        try:
            r = _detect(s1.url, [f"Request {i} is written in plain English."])
        except httpx.HTTPError:
            return
        if r.status_code == 200:
            ok_ids.append(r.headers["apim-request-id"])

    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(one, i) for i in range(400)]
        while len(ok_ids) < 40 and not all(f.done() for f in futures):
            time.sleep(0.05)
        s1.kill()  # kill -9 of the whole process group while requests are in flight
    assert ok_ids
    assert verify(tmp_path) == []
    recorded = [r["requestId"] for r in iter_records(tmp_path)]
    assert len(recorded) == len(set(recorded))  # nothing double counted
    assert set(ok_ids) <= set(recorded)  # every 2xx answered before the kill is on disk
    assert totals(tmp_path)[M] >= len(ok_ids)

    base = totals(tmp_path)[M]
    with ServerProcess(settings=["Services=language"], output_dir=tmp_path).start() as a, \
         ServerProcess(settings=["Services=language"], output_dir=tmp_path).start() as b:
        for _ in range(3):
            assert _detect(a.url, ["one document"]).status_code == 200
            assert _detect(b.url, ["another document"]).status_code == 200
        report = httpx.get(a.url + "/records/usage-logs").json()
    assert totals(tmp_path)[M] == base + 6
    assert {m["name"]: m["quantity"] for m in report["meters"]}[M] == base + 6
    assert verify(tmp_path) == []
    assert len([d for d in (tmp_path / "usage").iterdir() if not d.name.startswith(".")]) == 2  # restart reused slot 0
