"""The platform job store: atomic files, one claim per job, expiry, cancel, billing order."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from airgap.platform.context import RequestContext
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.jobs import (
    JobKind,
    CANCELLED, CANCELLING, FAILED, MAX_ATTEMPTS, NOT_STARTED, PARTIAL, RUNNING, SUCCEEDED,
    JobClaim, JobRunner, JobStore, job_root,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def new_job(store: JobStore, tasks: int = 2) -> dict:
    return store.create(service="language", handler="test", input={"documents": ["a"]},
                        tasks=[{"name": f"t{i}", "kind": "K"} for i in range(tasks)], display_name="d")


def test_create_writes_one_whole_file_and_a_pending_marker(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    state = new_job(store)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == [f"pending/{state['jobId']}.lock", f"state/{state['jobId']}.json"]  # no temp file left
    on_disk = orjson.loads((tmp_path / "state" / f"{state['jobId']}.json").read_bytes())
    assert on_disk["status"] == NOT_STARTED and [t["status"] for t in on_disk["tasks"]] == [NOT_STARTED] * 2
    assert store.get(state["jobId"]) == on_disk
    assert store.pending_ids() == [state["jobId"]]


def test_unknown_and_malformed_ids_read_as_absent(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    assert store.get("00000000-0000-0000-0000-000000000000") is None
    assert store.get("../../etc/passwd") is None
    assert store.request_cancel("not-a-uuid") is None


def test_a_job_is_claimed_by_one_store_at_a_time(tmp_path: Path) -> None:
    first, second = JobStore(tmp_path), JobStore(tmp_path)  # two servers on one folder
    job_id = new_job(first)["jobId"]
    claim = first.try_claim(job_id)
    assert claim is not None
    assert second.try_claim(job_id) is None
    claim.release()  # given up unfinished (e.g. shutdown): still pending, claimable again
    again = second.try_claim(job_id)
    assert again is not None
    again.start()
    again.tasks[0]["status"] = again.tasks[1]["status"] = SUCCEEDED
    again.finish()
    assert first.get(job_id)["status"] == SUCCEEDED
    assert first.pending_ids() == [] and first.try_claim(job_id) is None


def test_a_claim_dies_with_its_process(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store)["jobId"]
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from airgap.platform.jobs import JobStore
        claim = JobStore({str(tmp_path)!r}).try_claim({job_id!r})
        claim.start()
        print("claimed", flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert holder.stdout.readline().strip() == "claimed"
        assert store.try_claim(job_id) is None
        assert store.get(job_id)["status"] == RUNNING
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs
        holder.wait()
    claim = store.try_claim(job_id)
    assert claim is not None and claim.state["attempts"] == 1
    claim.release()


def test_expired_jobs_read_as_absent_and_are_swept(tmp_path: Path) -> None:
    clock = Clock()
    store = JobStore(tmp_path, ttl=timedelta(hours=24), clock=clock)
    done = new_job(store)
    waiting = new_job(store)
    claim = store.try_claim(done["jobId"])
    claim.start()
    claim.tasks[0]["status"] = claim.tasks[1]["status"] = SUCCEEDED
    claim.finish()
    assert done["expirationDateTime"] == "2026-12-02T12:00:00Z"
    clock.now += timedelta(hours=23, minutes=59)
    assert store.sweep_expired() == 0 and store.get(done["jobId"]) is not None
    clock.now += timedelta(minutes=1)
    assert store.get(done["jobId"]) is None and store.get(waiting["jobId"]) is None
    assert store.sweep_expired() == 2
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_sweep_leaves_an_expired_job_that_is_still_running(tmp_path: Path) -> None:
    clock = Clock()
    store = JobStore(tmp_path, ttl=timedelta(hours=1), clock=clock)
    job_id = new_job(store)["jobId"]
    claim = JobStore(tmp_path, clock=clock).try_claim(job_id)
    clock.now += timedelta(hours=2)
    assert store.sweep_expired() == 0
    claim.release()
    assert store.sweep_expired() == 1


def test_cancel_before_start_is_immediate(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store)["jobId"]
    state = store.request_cancel(job_id)
    assert state["status"] == CANCELLED
    assert [t["status"] for t in state["tasks"]] == [CANCELLED, CANCELLED]
    assert store.pending_ids() == []
    assert store.request_cancel(job_id)["status"] == CANCELLED  # idempotent


def test_cancel_while_running_keeps_finished_tasks(tmp_path: Path) -> None:
    runner_side, api_side = JobStore(tmp_path), JobStore(tmp_path)
    job_id = new_job(runner_side)["jobId"]
    claim = runner_side.try_claim(job_id)
    claim.start()
    asyncio.run(claim.complete_task(0, {"documents": []}, RequestContext("r")))
    assert api_side.request_cancel(job_id)["status"] == CANCELLING
    assert claim.cancel_requested()
    claim.finish()
    state = api_side.get(job_id)
    assert state["status"] == CANCELLED
    assert [t["status"] for t in state["tasks"]] == [SUCCEEDED, CANCELLED]
    assert state["tasks"][0]["results"] == {"documents": []}


def test_cancel_after_finish_changes_nothing(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store, tasks=1)["jobId"]
    claim = store.try_claim(job_id)
    claim.start()
    claim.fail_task(0, {"code": "InvalidRequest", "message": "no"})
    claim.finish()
    assert store.request_cancel(job_id)["status"] == FAILED
    assert store.get(job_id)["errors"] == [{"code": "InvalidRequest", "message": "no", "target": "#/tasks/items/0"}]


class Recorder:
    """Records what was visible in the job store at the moment usage was recorded."""

    def __init__(self, store: JobStore, fail: bool = False) -> None:
        self.store, self.fail = store, fail
        self.seen: list[tuple[str, str]] = []

    async def record(self, ctx: RequestContext) -> None:
        job_id = ctx.request_id.split("/")[0]
        self.seen.append((ctx.request_id, self.store.get(job_id)["tasks"][0]["status"]))
        if self.fail:
            raise ServiceUnavailable("disk full", inner_code="OutputVolumeFull")

    def close(self) -> None: ...


def test_usage_is_recorded_before_the_result_is_visible(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store, tasks=1)["jobId"]
    claim = store.try_claim(job_id)
    claim.recorder = Recorder(store)
    claim.start()
    usage = RequestContext(f"{job_id}/tasks/0", service="language")
    usage.meter("M", 2)
    asyncio.run(claim.complete_task(0, {"documents": ["r"]}, usage))
    assert claim.recorder.seen == [(f"{job_id}/tasks/0", RUNNING)]
    assert store.get(job_id)["tasks"][0]["status"] == SUCCEEDED


def test_a_task_whose_usage_cannot_be_recorded_fails_without_results(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store, tasks=2)["jobId"]
    claim = store.try_claim(job_id)
    claim.recorder = Recorder(store, fail=True)
    claim.start()
    usage = RequestContext(f"{job_id}/tasks/0")
    usage.meter("M", 1)
    asyncio.run(claim.complete_task(0, {"documents": ["r"]}, usage))
    asyncio.run(claim.complete_task(1, {"documents": ["unmetered"]}, RequestContext(f"{job_id}/tasks/1")))
    claim.finish()
    state = store.get(job_id)
    assert state["status"] == PARTIAL
    assert "results" not in state["tasks"][0]
    assert state["errors"][0]["code"] == "ServiceUnavailable"


def run_runner(runner: JobRunner, until, polls: int = 500) -> None:
    async def main() -> None:
        task = asyncio.create_task(runner.run_forever())
        for _ in range(polls):
            await asyncio.sleep(0.02)
            if until():
                break
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    asyncio.run(main())


def test_runner_runs_pending_jobs_from_any_store_on_the_folder(tmp_path: Path) -> None:
    submitter = JobStore(tmp_path)
    ids = [new_job(submitter)["jobId"] for _ in range(3)]
    runner = JobRunner(JobStore(tmp_path), poll_interval=0.05)

    async def handler(claim: JobClaim) -> None:
        for index, _ in enumerate(claim.tasks):
            usage = RequestContext(f"{claim.job_id}/tasks/{index}")
            await claim.complete_task(index, {"n": index}, usage)

    runner.register(JobKind("test", handler))
    run_runner(runner, lambda: all(submitter.get(i)["status"] == SUCCEEDED for i in ids))
    for job_id in ids:
        state = submitter.get(job_id)
        assert state["status"] == SUCCEEDED and state["attempts"] == 1
        assert [t["results"] for t in state["tasks"]] == [{"n": 0}, {"n": 1}]


def test_runner_waits_until_ready_and_fails_a_job_that_keeps_killing_runners(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store)["jobId"]
    for _ in range(MAX_ATTEMPTS):  # each attempt "died" after starting
        claim = store.try_claim(job_id)
        claim.start()
        claim.release()
    ready = {"value": False}
    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02, ready=lambda: ready["value"])
    runner.register(JobKind("test", lambda claim: asyncio.sleep(0)))
    run_runner(runner, lambda: False, polls=10)  # not ready: nothing is claimed
    assert store.get(job_id)["status"] == RUNNING and store.get(job_id)["attempts"] == MAX_ATTEMPTS
    ready["value"] = True
    run_runner(runner, lambda: store.get(job_id)["status"] == FAILED)
    state = store.get(job_id)
    assert state["status"] == FAILED and "abandoned" in state["errors"][0]["message"]


def test_runner_says_in_its_log_when_it_takes_over_a_job_a_dead_runner_left(tmp_path: Path, caplog) -> None:
    store = JobStore(tmp_path)
    job_id = new_job(store)["jobId"]
    claim = store.try_claim(job_id)
    claim.start()
    claim.release()  # the process running it died here
    runner = JobRunner(JobStore(tmp_path), poll_interval=0.02)

    async def handler(claim: JobClaim) -> None:
        for index, _ in enumerate(claim.tasks):
            await claim.complete_task(index, {}, RequestContext("-"))

    runner.register(JobKind("test", handler))
    with caplog.at_level("WARNING", logger="airgap.jobs"):
        run_runner(runner, lambda: store.get(job_id)["status"] == SUCCEEDED)
    assert f"Taking over job {job_id} (test): attempt 2 of {MAX_ATTEMPTS}" in caplog.text


def test_job_root_prefers_the_shared_mount(tmp_path: Path) -> None:
    assert job_root(tmp_path / "out", tmp_path / "shared") == tmp_path / "shared" / "jobs"
    assert job_root(tmp_path / "out", None) == tmp_path / "out" / "jobs"


def test_sweep_removes_temp_files_a_dead_writer_left(tmp_path: Path) -> None:
    clock = Clock()
    store = JobStore(tmp_path, clock=clock)
    job_id = new_job(store)["jobId"]
    stale = tmp_path / "state" / f".{job_id}.json.123.abcd1234.tmp"
    stale.write_bytes(b"{half")
    fresh = tmp_path / "state" / f".{job_id}.json.124.abcd1234.tmp"
    fresh.write_bytes(b"{half")
    old = clock.now.timestamp() - 7200
    os.utime(stale, (old, old))
    os.utime(fresh, (clock.now.timestamp(), clock.now.timestamp()))
    assert store.sweep_expired() == 0
    assert not stale.exists() and fresh.exists() and store.get(job_id) is not None
