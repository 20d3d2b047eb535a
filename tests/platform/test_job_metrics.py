"""Jobs in flight on /metrics (``airgap_jobs``, ``airgap_jobs_oldest_age_seconds``), read from the
job folder at scrape time: queued, running and cancelling jobs of any process sharing the folder
count; finished and expired ones do not."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from starlette.responses import Response

from airgap.app import create_app
from airgap.platform import job_metrics
from airgap.platform.jobs import JobClaim, JobKind, JobStore
from airgap.platform.settings import Settings
from airgap.services.base import Engine, Service

T0 = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _gauges(text: str) -> dict[tuple[str, str, str, str], float]:
    """(family, service, kind, status) -> value, for the two job families."""
    out = {}
    for family in text_string_to_metric_families(text):
        if family.name.startswith("airgap_jobs"):
            for s in family.samples:
                out[(s.name, s.labels["service"], s.labels["kind"], s.labels["status"])] = s.value
    return out


def _create(store: JobStore, service: str = "language", handler: str = "language.analyze") -> str:
    return store.create(service=service, handler=handler, input={"documents": ["x" * 1000]},
                        tasks=[{"name": "t", "kind": "KeyPhraseExtraction"}])["jobId"]


def test_queued_running_and_cancelling_jobs_count_finished_and_expired_do_not(tmp_path):
    clock = Clock(T0 - timedelta(hours=25))
    submitter = JobStore(tmp_path, clock=clock)  # another process (worker, replica) on the same folder
    _create(submitter)  # expires before T0
    clock.now = T0
    queued = _create(submitter)
    clock.now = T0 + timedelta(seconds=10)
    running = submitter.try_claim(_create(submitter))
    running.start()
    cancelling = submitter.try_claim(_create(submitter, "document", "document.analyze"))
    cancelling.start()
    done = submitter.try_claim(_create(submitter))
    done.start()
    done.finish()
    clock.now = T0 + timedelta(seconds=60)
    scraper = JobStore(tmp_path, clock=clock)
    assert scraper.request_cancel(cancelling.job_id)["status"] == "cancelling"  # held by its runner

    assert _gauges(job_metrics.exposition(scraper).decode()) == {
        ("airgap_jobs", "language", "language.analyze", "notStarted"): 1,
        ("airgap_jobs_oldest_age_seconds", "language", "language.analyze", "notStarted"): 60,
        ("airgap_jobs", "language", "language.analyze", "running"): 1,
        ("airgap_jobs_oldest_age_seconds", "language", "language.analyze", "running"): 50,
        ("airgap_jobs", "document", "document.analyze", "cancelling"): 1,
        ("airgap_jobs_oldest_age_seconds", "document", "document.analyze", "cancelling"): 50,
    }

    # A later scrape reads again the jobs that changed: the queued one started, two finished.
    running.finish()
    cancelling.finish()
    submitter.try_claim(queued).start()
    clock.now = T0 + timedelta(seconds=90)
    assert _gauges(job_metrics.exposition(scraper).decode()) == {
        ("airgap_jobs", "language", "language.analyze", "running"): 1,
        ("airgap_jobs_oldest_age_seconds", "language", "language.analyze", "running"): 90,
    }


def test_an_empty_or_missing_job_folder_gives_empty_families(tmp_path):
    text = job_metrics.exposition(JobStore(tmp_path / "never-written")).decode()
    assert "# TYPE airgap_jobs gauge" in text and _gauges(text) == {}


RELEASE = threading.Event()


class WaitingService(Service):
    """One job kind whose jobs run until the test releases them."""

    name = "waiting"
    api_type = "waiting"
    title = "Waiting jobs (test service)"
    meters = ()
    routes = ("/waiting",)

    def routers(self) -> Sequence[APIRouter]:
        router = APIRouter()

        @router.post("/waiting/jobs")
        async def submit() -> Response:
            runner = self.runtime.jobs
            state = runner.store.create(service=self.name, handler="waiting.wait", input={},
                                        tasks=[{"name": "wait", "kind": "Wait"}])
            runner.wake()
            return Response(status_code=202, headers={"operation-location": f"/waiting/jobs/{state['jobId']}"})

        return [router]

    def engines(self) -> Sequence[Engine]:
        return ()

    def job_kinds(self) -> Sequence[JobKind]:
        async def wait(claim: JobClaim) -> None:
            await asyncio.to_thread(RELEASE.wait, 30)
            claim.tasks[0]["status"] = "succeeded"

        return [JobKind("waiting.wait", wait)]


def _scrape_until(client: TestClient, done, what: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        answer = client.get("/metrics")
        assert answer.status_code == 200
        found = _gauges(answer.text)
        if done(found):
            return found
        assert time.monotonic() < deadline, f"{what}: {found}"
        time.sleep(0.05)


@pytest.mark.parametrize("multiprocess", [False, True], ids=["one-process", "multiprocess-mode"])
def test_a_job_accepted_by_the_server_shows_while_it_runs(tmp_path, monkeypatch, multiprocess):
    monkeypatch.setenv("AIRGAP_EXTRA_SERVICES", f"waiting={__name__}:WaitingService")
    if multiprocess:  # Workers>1: the process's own metrics come from the mmap files, the jobs from the folder
        (tmp_path / "prom").mkdir()
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prom"))
    RELEASE.clear()
    app = create_app(Settings.load(["Eula=accept", f"Mounts:Output={tmp_path}", "Services=waiting"]))
    with TestClient(app) as client:
        assert client.post("/waiting/jobs").status_code == 202
        found = _scrape_until(client, lambda g: ("airgap_jobs", "waiting", "waiting.wait", "running") in g,
                              "the job never showed as running")
        assert found[("airgap_jobs", "waiting", "waiting.wait", "running")] == 1
        assert 0 <= found[("airgap_jobs_oldest_age_seconds", "waiting", "waiting.wait", "running")] < 15
        RELEASE.set()
        _scrape_until(client, lambda g: g == {}, "the finished job still counts")
