"""The job runner's queues per kind, the worker processes of CPU-heavy kinds, and the one job error."""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

from airgap.platform.errors import AZURE, BadRequest, NestedCodeDialect
from airgap.platform.executor import InferencePool, WorkerLost, WorkerSetup, WorkPool
from airgap.platform.jobs import (
    FAILED, INTERNAL_MESSAGE, SUCCEEDED, JobClaim, JobFailure, JobKind, JobRunner, JobStore, render_job_error,
)


def new_job(store: JobStore, handler: str) -> str:
    return store.create(service="test", handler=handler, input={}, tasks=[{"name": "t", "kind": "K"}])["jobId"]


def complete(claim: JobClaim, result: object) -> asyncio.Future:
    from airgap.platform.context import RequestContext

    return claim.complete_task(0, result, RequestContext(f"{claim.job_id}/t"))


# -- queues per kind -----------------------------------------------------------------------------
def test_a_kind_at_capacity_does_not_stop_another_kind_being_claimed(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    long_ids = [new_job(store, "long") for _ in range(2)]  # oldest first: both long jobs lead the queue
    quick_id = new_job(store, "quick")
    release = asyncio.Event()
    started: list[str] = []

    async def long_handler(claim: JobClaim) -> None:
        started.append(claim.job_id)
        await release.wait()
        await complete(claim, "long")

    async def quick_handler(claim: JobClaim) -> None:
        await complete(claim, "quick")

    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02)
    runner.register(JobKind("long", long_handler, concurrency=1))
    runner.register(JobKind("quick", quick_handler, concurrency=1))

    async def main() -> None:
        task = asyncio.create_task(runner.run_forever())
        for _ in range(500):
            await asyncio.sleep(0.02)
            if store.get(quick_id)["status"] == SUCCEEDED:
                break
        # The quick job ran while the long kind's one slot was taken and its second job waited.
        assert store.get(quick_id)["status"] == SUCCEEDED
        assert started == [long_ids[0]]
        assert store.get(long_ids[1])["status"] == "notStarted"
        release.set()
        for _ in range(500):
            await asyncio.sleep(0.02)
            if all(store.get(i)["status"] == SUCCEEDED for i in long_ids):
                break
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())
    assert started == long_ids and all(store.get(i)["status"] == SUCCEEDED for i in long_ids)


def test_the_pending_marker_names_the_kind_and_an_empty_one_falls_back_to_the_state(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store, "vision.read")
    assert (tmp_path / "pending" / f"{job_id}.lock").read_text() == "vision.read"
    assert store.handler_of(job_id) == "vision.read"
    (tmp_path / "pending" / f"{job_id}.lock").write_bytes(b"")  # as an earlier build wrote it
    assert store.handler_of(job_id) == "vision.read"
    assert store.handler_of("00000000-0000-0000-0000-000000000000") is None


def test_jobs_of_a_kind_this_server_does_not_run_are_left_alone(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    other = new_job(store, "not.here")
    mine = new_job(store, "here")

    async def handler(claim: JobClaim) -> None:
        await complete(claim, 1)

    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02)
    runner.register(JobKind("here", handler))

    async def main() -> None:
        task = asyncio.create_task(runner.run_forever())
        for _ in range(500):
            await asyncio.sleep(0.02)
            if store.get(mine)["status"] == SUCCEEDED:
                break
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())
    assert store.get(mine)["status"] == SUCCEEDED
    assert store.get(other)["status"] == "notStarted" and store.pending_ids() == [other]


def test_a_kind_is_registered_once() -> None:
    runner = JobRunner(JobStore(Path("/nonexistent")))
    runner.register(JobKind("k", lambda claim: asyncio.sleep(0)))
    with pytest.raises(ValueError, match="twice"):
        runner.register(JobKind("k", lambda claim: asyncio.sleep(0)))


# -- worker processes ----------------------------------------------------------------------------
def setup_counter(start: int) -> dict:
    """A worker's setup: runs once per process."""
    return {"pid": os.getpid(), "built": start, "niceness": os.nice(0)}


def read_setup(prepared: dict, extra: int) -> tuple[int, int, int, int]:
    return prepared["pid"], prepared["built"] + extra, prepared["niceness"], os.getpid()


def die(prepared: dict) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def fail(prepared: dict) -> None:
    raise BadRequest("That page cannot be read.", code="InvalidImageFormat")


def test_a_work_pool_runs_module_functions_in_its_own_process_with_what_the_setup_built() -> None:
    pool = WorkPool(1, WorkerSetup("counter", setup_counter, (40,)))

    async def main() -> list[tuple[int, int, int, int]]:
        return [await pool.run(read_setup, extra) for extra in (1, 2)]

    try:
        results = asyncio.run(main())
    finally:
        pool.shutdown()
    (built_in, first, niceness, ran_in), (built_again, second, _, ran_again) = results
    assert built_in == ran_in == built_again == ran_again != os.getpid()  # one process, set up once
    assert (first, second) == (41, 42)
    assert niceness >= os.nice(0) + 1  # below the server's priority


def test_an_error_raised_in_a_worker_comes_back_whole() -> None:
    pool = WorkPool(1, WorkerSetup("counter", setup_counter, (0,)))
    try:
        with pytest.raises(BadRequest) as raised:
            asyncio.run(pool.run(fail))
    finally:
        pool.shutdown()
    assert raised.value.code == "InvalidImageFormat" and raised.value.status == 400


def test_a_worker_that_dies_fails_its_work_and_the_pool_starts_afresh() -> None:
    pool = WorkPool(1, WorkerSetup("counter", setup_counter, (0,)))

    async def main() -> int:
        with pytest.raises(WorkerLost):
            await pool.run(die)
        return (await pool.run(read_setup, 0))[3]

    try:
        pid = asyncio.run(main())
    finally:
        pool.shutdown()
    assert pid != os.getpid()


def test_without_processes_the_work_runs_in_the_inference_threads_with_the_local_object() -> None:
    local = {"pid": os.getpid(), "built": 7, "niceness": os.nice(0)}
    threads = InferencePool(1)
    pool = WorkPool(0, WorkerSetup("counter", setup_counter, (0,), local=lambda: local), threads=threads)
    try:
        assert asyncio.run(pool.run(read_setup, 1)) == (os.getpid(), 8, os.nice(0), os.getpid())
    finally:
        threads.shutdown()
    with pytest.raises(ValueError):
        WorkPool(0, WorkerSetup("counter", setup_counter))


def test_a_worker_kind_runs_one_job_per_process_and_hands_the_pool_to_its_handler(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    ids = [new_job(store, "ocr") for _ in range(2)]

    async def handler(claim: JobClaim) -> None:
        assert claim.work is not None
        pid, _, _, _ = await claim.work.run(read_setup, 0)
        await complete(claim, pid)

    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02, processes=1)
    runner.register(JobKind("ocr", handler, concurrency=3, worker=WorkerSetup("counter", setup_counter, (0,))))
    assert runner.queues["ocr"].slots == 1  # Jobs:Processes decides for worker kinds

    async def main() -> None:
        task = asyncio.create_task(runner.run_forever())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(store.get(i)["status"] == SUCCEEDED for i in ids):
            await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())
    pids = {store.get(i)["tasks"][0]["results"] for i in ids}
    assert len(pids) == 1 and os.getpid() not in pids
    assert runner.queues["ocr"].pool._executor is None  # shut down with the runner


# -- the one job error ---------------------------------------------------------------------------
def test_an_api_error_keeps_its_words_and_anything_else_is_logged_not_shown(caplog) -> None:
    failure = JobFailure.of(BadRequest("Page 3 is 20x20 pixels.", code="InvalidImageSize"), "job x")
    assert failure.to_json() == {"code": "InvalidImageSize", "message": "Page 3 is 20x20 pixels.", "status": 400}
    with caplog.at_level(logging.ERROR, logger="airgap.jobs"):
        try:
            raise KeyError("secret internal detail")
        except KeyError as exc:
            internal = JobFailure.of(exc, "Job 123 (document.analyze)")
    assert internal.to_json() == {"code": "InternalServerError", "message": INTERNAL_MESSAGE}
    assert "secret internal detail" in caplog.text and "Job 123 (document.analyze) failed" in caplog.text


def test_a_job_failure_survives_pickling_and_the_job_file() -> None:
    failure = JobFailure("InvalidRequest", "no", inner_code="InvalidContent", status=400)
    again = pickle.loads(pickle.dumps(failure))
    assert (again.code, again.message, again.inner_code, again.status) == ("InvalidRequest", "no", "InvalidContent",
                                                                           400)
    assert JobFailure.from_json(failure.to_json()).to_json() == failure.to_json()
    # An error an earlier build stored already rendered keeps its inner code.
    legacy = JobFailure.from_json({"code": "InvalidRequest", "message": "m", "innererror": {"code": "InvalidContent"}})
    assert legacy.inner_code == "InvalidContent"


def test_each_dialect_writes_the_stored_error_its_own_way() -> None:
    stored = {**JobFailure.from_error(BadRequest("The file is not a PDF.", code="InvalidImageFormat")).to_json(),
              "target": "#/tasks/items/0"}
    assert render_job_error(stored, AZURE) == {"code": "InvalidImageFormat", "message": "The file is not a PDF.",
                                               "target": "#/tasks/items/0"}
    nested = NestedCodeDialect({"InvalidImageFormat": "InvalidContent"})
    assert render_job_error(stored, nested) == {
        "code": "InvalidRequest", "message": "The file is not a PDF.", "target": "#/tasks/items/0",
        "innererror": {"code": "InvalidContent", "message": "The file is not a PDF."}}
    internal = JobFailure.internal().to_json()
    assert render_job_error(internal, nested) == {"code": "InternalServerError", "message": INTERNAL_MESSAGE}


def test_a_handler_that_breaks_fails_the_job_without_its_exception_text(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store, "broken")

    async def handler(claim: JobClaim) -> None:
        raise RuntimeError("secret internal detail")

    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02)
    runner.register(JobKind("broken", handler))

    async def main() -> None:
        task = asyncio.create_task(runner.run_forever())
        for _ in range(500):
            await asyncio.sleep(0.02)
            if store.get(job_id)["status"] == FAILED:
                break
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(main())
    state = store.get(job_id)
    assert state["status"] == FAILED
    assert state["errors"] == [{"code": "InternalServerError", "message": INTERNAL_MESSAGE}]
