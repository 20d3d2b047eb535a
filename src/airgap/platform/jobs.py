"""Long-running operations: a job store on a shared folder, and the runner that works it.

Any replica (or worker process) sharing the folder can accept a job, answer its
poll, cancel it or run it; a restart loses no accepted job. Layout under the
store's root::

    state/<id>.json     the job: metadata, the handler's input, task states and results.
                        Written only by the process holding the job's claim (or, for a
                        new job, by the submitter before anyone can claim it), always
                        whole: temp file + fsync + rename + directory fsync.
    pending/<id>.lock   exists while the job is not finished. Holding an exclusive
                        ``flock`` on it is the claim: exactly one process runs a job, and
                        the kernel drops the lock when that process dies (kill -9
                        included), so another runner re-claims it on its next poll.
    cancel/<id>         a cancel request. Any process may create it; the claim holder
                        sees it between tasks and finishes the job as ``cancelled``.

Statuses follow the Language API: notStarted, running, succeeded,
partiallyCompleted, failed, cancelled; ``cancelling`` is what a reader sees for
an unfinished job with a cancel request. Jobs expire ``ttl`` after creation
(Azure keeps results 24 h): expired jobs read as absent and are deleted by the
runner's periodic sweep.

The folder must support ``flock`` between the processes that share it (a local
disk, or NFSv4 between hosts).

Billing: a handler hands each finished task's result together with its usage
readings to ``JobClaim.complete_task``, which makes the usage durable through the
same ``UsageRecorder`` the gateway uses, *then* publishes the result. A crash in
between bills that task again when the job is re-run (at least once, never
unbilled).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from airgap.platform.context import RequestContext
from airgap.platform.durable import fsync_dir as _fsync_dir
from airgap.platform.durable import write_atomic
from airgap.platform.errors import ApiError
from airgap.platform.metering import UsageRecorder

log = logging.getLogger("airgap.jobs")

NOT_STARTED, RUNNING, SUCCEEDED, PARTIAL, FAILED, CANCELLED, CANCELLING = (
    "notStarted", "running", "succeeded", "partiallyCompleted", "failed", "cancelled", "cancelling")
TERMINAL = frozenset({SUCCEEDED, PARTIAL, FAILED, CANCELLED})
DEFAULT_TTL = timedelta(hours=24)
# A temp file older than this was left by a writer that died mid-write.
_STALE_TMP_SECONDS = 3600
# A job whose runner died this many times (e.g. it crashes the process) is failed, not retried forever.
MAX_ATTEMPTS = 3

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _valid_id(job_id: str) -> bool:
    try:
        return str(uuid.UUID(job_id)) == job_id.lower()
    except ValueError:
        return False


def job_status(state: dict[str, Any], cancel_requested: bool) -> str:
    if state["status"] not in TERMINAL and cancel_requested:
        return CANCELLING
    return state["status"]


class JobStore:
    """Job files under ``root``; safe to use from many processes and hosts at once."""

    def __init__(self, root: Path, *, ttl: timedelta = DEFAULT_TTL, clock: Clock = _utc_now) -> None:
        self.root = Path(root)
        self.ttl = ttl
        self.clock = clock
        self._state = self.root / "state"
        self._pending = self.root / "pending"
        self._cancel = self.root / "cancel"

    def _ensure_folders(self) -> None:
        # Created on first write, not at start-up: a server that never takes a job touches nothing.
        for folder in (self._state, self._pending, self._cancel):
            folder.mkdir(parents=True, exist_ok=True)

    # -- paths -------------------------------------------------------------------------------
    def _state_path(self, job_id: str) -> Path:
        return self._state / f"{job_id}.json"

    def _lock_path(self, job_id: str) -> Path:
        return self._pending / f"{job_id}.lock"

    def _cancel_path(self, job_id: str) -> Path:
        return self._cancel / job_id

    # -- submit and read ---------------------------------------------------------------------
    def create(self, *, service: str, handler: str, input: dict[str, Any], tasks: list[dict[str, Any]],
               display_name: str | None = None) -> dict[str, Any]:
        """A new ``notStarted`` job; durable (and claimable by any runner) when this returns.

        ``tasks`` are ``{"name", "kind"}`` (plus anything the handler wants kept);
        the store adds each task's ``status`` and ``lastUpdateDateTime``.
        """
        self._ensure_folders()
        now = self.clock()
        job_id = str(uuid.uuid4())
        state: dict[str, Any] = {
            "jobId": job_id,
            "service": service,
            "handler": handler,
            "displayName": display_name,
            "createdDateTime": iso(now),
            "lastUpdatedDateTime": iso(now),
            "expirationDateTime": iso(now + self.ttl),
            "status": NOT_STARTED,
            "attempts": 0,
            "input": input,
            "tasks": [{**task, "status": NOT_STARTED, "lastUpdateDateTime": iso(now)} for task in tasks],
            "errors": [],
        }
        write_atomic(self._state_path(job_id), orjson.dumps(state))
        # The pending marker last: a runner never finds a claimable job without its state.
        fd = os.open(self._lock_path(job_id), os.O_WRONLY | os.O_CREAT, 0o644)
        os.close(fd)
        _fsync_dir(self._pending)
        return state

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job as last published, with ``status`` ``cancelling`` where a cancel is pending."""
        state = self._read(job_id)
        if state is None:
            return None
        if _parse_iso(state["expirationDateTime"]) <= self.clock():
            return None
        return {**state, "status": job_status(state, self._cancel_path(job_id).exists())}

    def _read(self, job_id: str) -> dict[str, Any] | None:
        if not _valid_id(job_id):
            return None
        try:
            return orjson.loads(self._state_path(job_id).read_bytes())
        except FileNotFoundError:
            return None

    def pending_ids(self) -> list[str]:
        """Jobs not yet finished, oldest marker first."""
        entries = []
        if not self._pending.is_dir():
            return []
        with os.scandir(self._pending) as it:
            for entry in it:
                if entry.name.endswith(".lock"):
                    with contextlib.suppress(FileNotFoundError):
                        entries.append((entry.stat().st_mtime_ns, entry.name[:-5]))
        return [job_id for _, job_id in sorted(entries)]

    # -- claim -------------------------------------------------------------------------------
    def try_claim(self, job_id: str) -> JobClaim | None:
        """The claim on an unfinished job, or None if another runner holds it or it is finished."""
        try:
            fd = os.open(self._lock_path(job_id), os.O_RDWR)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                return None
            raise
        claim = JobClaim(self, job_id, fd)
        state = self._read(job_id)
        if state is None or state["status"] in TERMINAL:
            claim.release(done=True)  # finished, or swept away: nothing left to run
            return None
        claim.state = state
        return claim

    # -- cancel and expiry -------------------------------------------------------------------
    def request_cancel(self, job_id: str) -> dict[str, Any] | None:
        """Ask for a job to stop; returns its state as a reader now sees it (None: no such job).

        A job nobody runs yet is cancelled at once; a running one stops after
        its current task, keeping the results of the tasks already finished.
        """
        state = self.get(job_id)
        if state is None or state["status"] in TERMINAL:
            return state
        path = self._cancel_path(job_id)
        if not path.exists():
            write_atomic(path, iso(self.clock()).encode())
        claim = self.try_claim(job_id)
        if claim is not None:
            claim.finish()
        return self.get(job_id)

    def cancel_requested(self, job_id: str) -> bool:
        return self._cancel_path(job_id).exists()

    def sweep_expired(self) -> int:
        """Delete jobs past their expiration (and temp files a crash left); returns how many jobs went."""
        removed = 0
        now = self.clock()
        if not self._state.is_dir():
            return 0
        for folder in (self._state, self._cancel):
            for tmp in folder.glob(".*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    if tmp.stat().st_mtime < now.timestamp() - _STALE_TMP_SECONDS:
                        tmp.unlink()
        for path in list(self._state.glob("*.json")):
            try:
                state = orjson.loads(path.read_bytes())
                expired = _parse_iso(state["expirationDateTime"]) <= now
            except (FileNotFoundError, orjson.JSONDecodeError, KeyError, ValueError):
                continue
            if not expired:
                continue
            job_id = path.stem
            claim = None
            if state["status"] not in TERMINAL and self._lock_path(job_id).exists():
                claim = self.try_claim(job_id)
                if claim is None:
                    continue  # being worked on somewhere (or just finished); the next sweep gets it
            for stale in (path, self._cancel_path(job_id), self._lock_path(job_id)):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            if claim is not None:
                claim.release(done=True)
            removed += 1
        return removed


class JobClaim:
    """The right to run one job; hold it only while running, always ``release`` it."""

    def __init__(self, store: JobStore, job_id: str, fd: int) -> None:
        self.store = store
        self.job_id = job_id
        self._fd: int | None = fd
        self.state: dict[str, Any] = {}
        self.recorder: UsageRecorder | None = None  # set by the runner

    @property
    def input(self) -> dict[str, Any]:
        return self.state["input"]

    @property
    def tasks(self) -> list[dict[str, Any]]:
        return self.state["tasks"]

    def cancel_requested(self) -> bool:
        return self.store.cancel_requested(self.job_id)

    def start(self) -> None:
        self.state["attempts"] = self.state.get("attempts", 0) + 1
        self.state["status"] = RUNNING
        for task in self.tasks:
            if task["status"] not in TERMINAL:
                task["status"] = RUNNING
        self._publish()

    def fail_task(self, index: int, error: dict[str, Any]) -> None:
        """``error`` is the wire error (``code``, ``message``); the store adds ``target``."""
        task = self.tasks[index]
        task.pop("results", None)
        task["status"] = FAILED
        task["lastUpdateDateTime"] = iso(self.store.clock())
        self.state["errors"].append({**error, "target": f"#/tasks/items/{index}"})
        self._publish()

    async def complete_task(self, index: int, results: Any, usage: RequestContext) -> None:
        """Bill the task's usage durably, then make its results visible."""
        if self.recorder is not None and usage.readings:
            try:
                await self.recorder.record(usage)
            except ApiError as error:
                await asyncio.to_thread(self.fail_task, index, {"code": error.code, "message": error.message})
                return
        task = self.tasks[index]
        task["status"] = SUCCEEDED
        task["results"] = results
        task["lastUpdateDateTime"] = iso(self.store.clock())
        await asyncio.to_thread(self._publish)

    def finish(self) -> None:
        """Settle the job's final status from its tasks, publish it, and release the claim."""
        cancelled = self.cancel_requested()
        for task in self.tasks:
            if task["status"] not in TERMINAL:
                task["status"] = CANCELLED if cancelled else FAILED
                task["lastUpdateDateTime"] = iso(self.store.clock())
        statuses = [task["status"] for task in self.tasks]
        if cancelled and CANCELLED in statuses:
            status = CANCELLED
        elif all(s == SUCCEEDED for s in statuses):
            status = SUCCEEDED
        elif any(s == SUCCEEDED for s in statuses):
            status = PARTIAL
        else:
            status = FAILED
        self.state["status"] = status
        self._publish()
        self.release(done=True)

    def fail(self, message: str, code: str = "InternalServerError") -> None:
        """The whole job failed (no more attempts); unfinished tasks fail with it."""
        self.state["errors"].append({"code": code, "message": message})
        for task in self.tasks:
            if task["status"] not in TERMINAL:
                task["status"] = FAILED
                task["lastUpdateDateTime"] = iso(self.store.clock())
        self.finish()

    def _publish(self) -> None:
        self.state["lastUpdatedDateTime"] = iso(self.store.clock())
        write_atomic(self.store._state_path(self.job_id), orjson.dumps(self.state))

    def release(self, done: bool = False) -> None:
        """Give the claim up; ``done`` also removes the pending marker (the job is finished)."""
        if self._fd is None:
            return
        if done:
            # Unlinked while still locked: a runner that opened it before sees a finished job.
            with contextlib.suppress(FileNotFoundError):
                self.store._lock_path(self.job_id).unlink()
            with contextlib.suppress(FileNotFoundError):
                self.store._cancel_path(self.job_id).unlink()
        os.close(self._fd)  # closing the descriptor drops the flock
        self._fd = None


JobHandler = Callable[[JobClaim], Awaitable[None]]


@dataclass(frozen=True)
class JobKind:
    """A kind of job a service runs: the handler its jobs name, and how many run at once.

    Each kind has its own queue, so a kind with long jobs (multi-page OCR) never holds
    the slots of another (a language job).
    """

    name: str
    handler: JobHandler
    concurrency: int = 1


class JobRunner:
    """Claims and runs pending jobs in one server process.

    Jobs submitted here start at once (``wake``); jobs submitted elsewhere, or
    orphaned by a dead process, are found by polling the pending folder.
    """

    def __init__(self, store: JobStore, *, ready: Callable[[], bool] = lambda: True,
                 recorder: UsageRecorder | None = None, poll_interval: float = 1.0,
                 concurrency: int = 2, sweep_interval: float = 600.0) -> None:
        self.store = store
        self.recorder = recorder
        self.ready = ready
        self.poll_interval = poll_interval
        self.concurrency = concurrency
        self.sweep_interval = sweep_interval
        self.handlers: dict[str, JobHandler] = {}
        self._wake: asyncio.Event | None = None
        self._active: set[asyncio.Task] = set()

    def register(self, kind: JobKind) -> None:
        self.handlers[kind.name] = kind.handler

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def run_forever(self) -> None:
        self._wake = asyncio.Event()
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        try:
            while True:
                if self.ready():
                    await self._claim_some()
                    if loop.time() >= next_sweep:
                        next_sweep = loop.time() + self.sweep_interval
                        removed = await asyncio.to_thread(self.store.sweep_expired)
                        if removed:
                            log.info("Deleted %d expired job(s)", removed)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                self._wake.clear()
        finally:
            for task in self._active:
                task.cancel()
            if self._active:
                await asyncio.gather(*self._active, return_exceptions=True)

    async def _claim_some(self) -> None:
        try:
            pending = await asyncio.to_thread(self.store.pending_ids)
        except OSError:
            log.exception("Cannot list pending jobs in %s", self.store.root)
            return
        for job_id in pending:
            if len(self._active) >= self.concurrency:
                return
            claim = await asyncio.to_thread(self.store.try_claim, job_id)
            if claim is None:
                continue
            task = asyncio.create_task(self._run(claim), name=f"job-{job_id}")
            self._active.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._active.discard(task)
        self.wake()  # a slot is free: look for more work now

    async def _run(self, claim: JobClaim) -> None:
        try:
            handler = self.handlers.get(claim.state.get("handler", ""))
            if claim.cancel_requested():
                await asyncio.to_thread(claim.finish)
                return
            if handler is None:
                # Another build of the server wrote it; leave it for a runner that knows it.
                claim.release()
                return
            if claim.state.get("attempts", 0) >= MAX_ATTEMPTS:
                await asyncio.to_thread(
                    claim.fail, f"The job was abandoned after {MAX_ATTEMPTS} attempts: the server running it "
                                "stopped each time (see the server log).")
                return
            claim.recorder = self.recorder
            await asyncio.to_thread(claim.start)
            await handler(claim)
            await asyncio.to_thread(claim.finish)
        except asyncio.CancelledError:
            claim.release()  # server shutting down: the job stays pending for the next runner
            raise
        except Exception:
            log.exception("Job %s failed", claim.job_id)
            with contextlib.suppress(Exception):
                await asyncio.to_thread(claim.fail, "The job failed in the server; the error is in the server log.")
        finally:
            claim.release()


def job_root(output_dir: Path, shared_dir: Path | None) -> Path:
    """``<Mounts:Shared>/jobs``, or ``<Mounts:Output>/jobs`` when no shared folder is set."""
    return (shared_dir if shared_dir is not None else output_dir) / "jobs"
