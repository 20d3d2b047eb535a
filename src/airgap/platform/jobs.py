"""Long-running operations: a job store on a shared folder, and the runner that works it.

Any replica (or worker process) sharing the folder can accept a job, answer its
poll, cancel it or run it; a restart loses no accepted job. Layout under the
store's root::

    state/<id>.json     the job: metadata, the handler's input, task states and results.
                        Written only by the process holding the job's claim (or, for a
                        new job, by the submitter before anyone can claim it), always
                        whole: temp file + fsync + rename + directory fsync.
    pending/<id>.lock   exists while the job is not finished; holds the name of the job's
                        handler (its kind), so a runner picks jobs per kind without
                        reading their state. Holding an exclusive ``flock`` on it is the
                        claim: exactly one process runs a job, and the kernel drops the
                        lock when that process dies (kill -9 included), so another runner
                        re-claims it on its next poll.
    cancel/<id>         a cancel request. Any process may create it; the claim holder
                        sees it between tasks and finishes the job as ``cancelled``.
    blobs/<name>        uploads a job needs (``job_files``), removed when the job finishes.

Statuses follow the Language API: notStarted, running, succeeded,
partiallyCompleted, failed, cancelled; ``cancelling`` is what a reader sees for
an unfinished job with a cancel request. Jobs expire ``ttl`` after creation
(Azure keeps results 24 h): expired jobs read as absent and are deleted by the
runner's periodic sweep.

The folder must support ``flock`` between the processes that share it (a local
disk, or NFSv4 between hosts).

Runner: every job kind (``JobKind``) has its own queue and slots, so a kind with long jobs
never holds another kind's; a CPU-heavy kind runs its work in worker processes
(``executor.WorkPool``), off the threads that answer requests.

Errors: a failed job or task says why in one shape, ``JobFailure`` (code, message, inner
code), never with internal exception text; each API writes it in its own dialect
(``render_job_error``).

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
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from airgap.platform.context import RequestContext
from airgap.platform.durable import write_atomic
from airgap.platform.errors import ApiError, Dialect, ServiceUnavailable
from airgap.platform.executor import InferencePool, WorkerSetup, WorkPool
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


INTERNAL_MESSAGE = "The server failed while processing this job; the reason is in the server log."


class JobFailure(Exception):
    """Why a job, or one task of it, failed: the one job error of every service.

    Its code and message are written for the client. A handler raises it, or fails a task
    with it; ``JobFailure.of(exc)`` turns whatever else a handler meets into one: an
    ``ApiError`` keeps its code, message and inner code (written for clients already),
    any other exception is logged with its traceback and becomes ``internal()``, which
    only points at the server log. The job file keeps it as plain JSON (``to_json``); the
    API that reads the job writes it in its service's dialect (``render_job_error``).
    ``status`` is the HTTP status the same error has on a synchronous request: dialects
    use it (Document Intelligence nests a 4xx file error under ``InvalidRequest``).
    """

    def __init__(self, code: str, message: str, inner_code: str | None = None, status: int = 500) -> None:
        super().__init__(code, message, inner_code, status)  # args: so it pickles across processes
        self.code = code
        self.message = message
        self.inner_code = inner_code
        self.status = status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    @classmethod
    def internal(cls) -> JobFailure:
        return cls("InternalServerError", INTERNAL_MESSAGE)

    @classmethod
    def from_error(cls, error: ApiError) -> JobFailure:
        return cls(error.code, error.message, error.inner_code, error.status)

    @classmethod
    def of(cls, exc: BaseException, what: str) -> JobFailure:
        """The failure to report for ``exc``; unexpected exceptions are logged here, as ``what`` failing."""
        if isinstance(exc, JobFailure):
            return exc
        if isinstance(exc, ApiError):
            return cls.from_error(exc)
        log.error("%s failed", what, exc_info=exc)
        return cls.internal()

    def to_json(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.inner_code:
            wire["innerCode"] = self.inner_code
        if self.status != 500:
            wire["status"] = self.status
        return wire

    @classmethod
    def from_json(cls, error: Mapping[str, Any]) -> JobFailure:
        inner = error.get("innerCode")
        if inner is None and isinstance(error.get("innererror"), Mapping):  # written by an earlier build
            inner = error["innererror"].get("code")
        return cls(str(error.get("code") or "InternalServerError"), str(error.get("message") or INTERNAL_MESSAGE),
                   inner, int(error.get("status") or 500))

    def as_api_error(self, target: str | None = None) -> ApiError:
        return ApiError(self.message, code=self.code, inner_code=self.inner_code, status=self.status, target=target)


def render_job_error(error: Mapping[str, Any], dialect: Dialect) -> dict[str, Any]:
    """A job error as stored (``JobFailure.to_json`` plus ``target``) the way ``dialect`` writes
    an error object: ``{"code", "message", "target"?, "innererror"?}`` in the Azure dialects."""
    failure = JobFailure.from_json(error)
    body = dialect.render(failure.as_api_error(error.get("target"))).body
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        return dict(body["error"])
    return body


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
        self.blobs = self.root / "blobs"  # uploads a job needs (job_files)
        # job id -> (its state file's stat, the few fields `unfinished` reports), so that a
        # scrape reads again only the jobs that changed since the last one.
        self._unfinished_seen: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}

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
        # It names the handler, so runners pick jobs per kind without reading the state.
        write_atomic(self._lock_path(job_id), handler.encode())
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

    def handler_of(self, job_id: str) -> str | None:
        """The handler (kind) of a pending job: from its marker, else (an earlier build's empty
        marker) from its state; None if the job is gone."""
        try:
            name = self._lock_path(job_id).read_bytes().decode("utf-8", "replace").strip()
        except FileNotFoundError:
            return None
        if name:
            return name
        state = self._read(job_id)
        return None if state is None else state.get("handler")

    def unfinished(self) -> list[dict[str, Any]]:
        """Every job not finished yet, of any process sharing the folder: ``jobId``, ``service``,
        ``handler``, ``status`` (notStarted, running, or cancelling) and ``createdDateTime``.

        For /metrics at every scrape: a job's state (which holds its documents) is parsed again
        only when its file changed, so a backlog of queued jobs costs one stat each.
        """
        now = self.clock()
        seen: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        out = []
        for job_id in self.pending_ids():
            path = self._state_path(job_id)
            try:
                st = path.stat()
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                known = self._unfinished_seen.get(job_id)
                if known is None or known[0] != stamp:
                    state = orjson.loads(path.read_bytes())
                    known = (stamp, {key: state.get(key) for key in (
                        "jobId", "service", "handler", "status", "createdDateTime", "expirationDateTime")})
            except (FileNotFoundError, orjson.JSONDecodeError):
                continue  # finished and swept meanwhile, or not a job file
            seen[job_id] = known
            job = known[1]
            if job["status"] in TERMINAL or _parse_iso(job["expirationDateTime"]) <= now:
                continue  # finished a moment ago (its marker is going), or expired and left for the sweep
            out.append({**job, "status": job_status(job, self.cancel_requested(job_id))})
        self._unfinished_seen = seen
        return out

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
        for folder in (self._state, self._cancel, self._pending, self.blobs):
            for tmp in folder.glob(".*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    if tmp.stat().st_mtime < now.timestamp() - _STALE_TMP_SECONDS:
                        tmp.unlink()
        # An upload is written just before its job and removed when the job finishes; one older
        # than the job's lifetime belongs to a job that expired unfinished (or never was created).
        if self.blobs.is_dir():
            for blob in self.blobs.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    if blob.stat().st_mtime < (now - self.ttl).timestamp() - _STALE_TMP_SECONDS:
                        blob.unlink()
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
        # The worker processes of this job's kind (JobKind.worker), set by the runner.
        self.work: WorkPool | None = None

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

    def fail_task(self, index: int, failure: JobFailure | Mapping[str, Any]) -> None:
        """The task failed with ``failure`` (or its JSON form); the store adds ``target``."""
        if not isinstance(failure, JobFailure):
            failure = JobFailure.from_json(failure)
        task = self.tasks[index]
        task.pop("results", None)
        task["status"] = FAILED
        task["lastUpdateDateTime"] = iso(self.store.clock())
        self.state["errors"].append({**failure.to_json(), "target": f"#/tasks/items/{index}"})
        self._publish()

    async def complete_task(self, index: int, results: Any, usage: RequestContext) -> None:
        """Bill the task's usage durably, then make its results visible."""
        if self.recorder is not None and usage.readings:
            try:
                await self.recorder.record(usage)
            except ApiError as error:
                await asyncio.to_thread(self.fail_task, index, JobFailure.from_error(error))
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

    def fail(self, failure: JobFailure) -> None:
        """The whole job failed (no more attempts); unfinished tasks fail with it."""
        self.state["errors"].append(failure.to_json())
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

    Each kind has its own queue and slots in a server process, so a kind with long jobs
    (multi-page OCR) never holds the slots of another (a language job).

    ``worker``: a CPU-heavy kind runs its work in worker processes that build this once
    (its engine); the handler finds them as ``claim.work`` (``executor.WorkPool``). Such a
    kind gets one pool of ``Jobs:Processes`` processes and runs that many jobs at once
    (one per process: a job claimed only to wait for a process is one another replica
    could have run); ``concurrency`` applies when ``Jobs:Processes=0`` (the work then runs
    in the inference threads) and to kinds without a worker.
    """

    name: str
    handler: JobHandler
    concurrency: int = 1
    worker: WorkerSetup | None = None


@dataclass(eq=False)
class _Queue:
    """One kind's slots in this process: the jobs of that kind running here."""

    kind: JobKind
    slots: int
    pool: WorkPool | None = None
    active: set[asyncio.Task] = field(default_factory=set)

    @property
    def full(self) -> bool:
        return len(self.active) >= self.slots


class JobRunner:
    """Claims and runs pending jobs in one server process, each kind in its own slots.

    Jobs submitted here start at once (``wake``); jobs submitted elsewhere, or
    orphaned by a dead process, are found by polling the pending folder. Pending jobs
    are taken oldest first per kind; a kind whose slots are full is skipped, and the
    others are still claimed.
    """

    def __init__(self, store: JobStore, *, ready: Callable[[], bool] = lambda: True,
                 recorder: UsageRecorder | None = None, poll_interval: float = 1.0,
                 sweep_interval: float = 600.0, processes: int = 1, threads: InferencePool | None = None) -> None:
        self.store = store
        self.recorder = recorder
        self.ready = ready
        self.poll_interval = poll_interval
        self.sweep_interval = sweep_interval
        self.processes = processes  # Jobs:Processes
        self.threads = threads  # the inference threads, for worker kinds when processes == 0
        self.queues: dict[str, _Queue] = {}
        self._wake: asyncio.Event | None = None
        self._kinds_of: dict[str, str] = {}  # pending job id -> its handler, as read from its marker
        self._running: set[str] = set()

    def register(self, kind: JobKind) -> None:
        if kind.name in self.queues:
            raise ValueError(f"Job kind {kind.name!r} is registered twice.")
        if kind.concurrency < 1:
            raise ValueError(f"Job kind {kind.name!r}: concurrency must be at least 1.")
        pool = None
        slots = kind.concurrency
        if kind.worker is not None:
            pool = WorkPool(self.processes, kind.worker, threads=self.threads)
            slots = self.processes or kind.concurrency
        self.queues[kind.name] = _Queue(kind, slots, pool)

    @property
    def kinds(self) -> list[JobKind]:
        return [queue.kind for queue in self.queues.values()]

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def run_forever(self) -> None:
        self._wake = asyncio.Event()
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        warmed = False
        try:
            while True:
                if self.ready():
                    if not warmed:  # worker processes start (and load their engine) with the server
                        warmed = True
                        for queue in self.queues.values():
                            if queue.pool is not None:
                                queue.pool.warm()
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
            active = [task for queue in self.queues.values() for task in queue.active]
            for task in active:
                task.cancel()
            if active:
                await asyncio.gather(*active, return_exceptions=True)
            for queue in self.queues.values():
                if queue.pool is not None:
                    queue.pool.shutdown()

    async def _claim_some(self) -> None:
        if all(queue.full for queue in self.queues.values()):
            return
        try:
            pending = await asyncio.to_thread(self._pending_by_kind)
        except OSError:
            log.exception("Cannot list pending jobs in %s", self.store.root)
            return
        for job_id, name in pending:
            queue = self.queues.get(name)
            if queue is None or queue.full:
                continue  # a kind this build does not run (left for a runner that does), or at capacity
            claim = await asyncio.to_thread(self.store.try_claim, job_id)
            if claim is None:
                continue
            claim.work = queue.pool
            self._running.add(job_id)
            task = asyncio.create_task(self._run(queue, claim), name=f"job-{job_id}")
            queue.active.add(task)
            task.add_done_callback(partial(self._done, queue, job_id))

    def _pending_by_kind(self) -> list[tuple[str, str]]:
        """(job id, handler) of the pending jobs this process does not run yet, oldest first."""
        ids = self.store.pending_ids()
        known = self._kinds_of
        for gone in known.keys() - set(ids):
            del known[gone]
        pending = []
        for job_id in ids:
            if job_id in self._running:
                continue
            name = known.get(job_id)
            if name is None:
                name = self.store.handler_of(job_id)
                if name is None:
                    continue  # finished (or swept) meanwhile
                known[job_id] = name
            pending.append((job_id, name))
        return pending

    def _done(self, queue: _Queue, job_id: str, task: asyncio.Task) -> None:
        queue.active.discard(task)
        self._running.discard(job_id)
        self.wake()  # a slot is free: look for more work now

    async def _run(self, queue: _Queue, claim: JobClaim) -> None:
        try:
            if claim.cancel_requested():
                await asyncio.to_thread(claim.finish)
                return
            if claim.state.get("attempts", 0) >= MAX_ATTEMPTS:
                log.error("Abandoning job %s (%s): its server stopped during each of %d attempts.",
                          claim.job_id, queue.kind.name, MAX_ATTEMPTS)
                await asyncio.to_thread(claim.fail, JobFailure(
                    "InternalServerError", f"The job was abandoned after {MAX_ATTEMPTS} attempts: the server "
                    "running it stopped each time (see the server log)."))
                return
            if claim.state.get("attempts", 0) > 0:
                # Started before and never finished: the process running it died or was stopped.
                log.warning("Taking over job %s (%s): attempt %d of %d; the previous attempt stopped before "
                            "finishing (its server or worker process ended while running it).", claim.job_id,
                            queue.kind.name, claim.state["attempts"] + 1, MAX_ATTEMPTS)
            claim.recorder = self.recorder
            await asyncio.to_thread(claim.start)
            await queue.kind.handler(claim)
            await asyncio.to_thread(claim.finish)
        except asyncio.CancelledError:
            claim.release()  # server shutting down: the job stays pending for the next runner
            raise
        except Exception as exc:
            failure = JobFailure.of(exc, f"Job {claim.job_id} ({queue.kind.name})")
            with contextlib.suppress(Exception):
                await asyncio.to_thread(claim.fail, failure)
        finally:
            claim.release()


def store_unavailable(store: JobStore, exc: OSError) -> ServiceUnavailable:
    """The 503 a submission gets when the job folder cannot be written."""
    return ServiceUnavailable(
        f"The job cannot be stored: {exc.strerror or exc} ({store.root}). Jobs are refused until the job "
        "folder (Mounts:Shared, or Mounts:Output when unset) is writable.", inner_code="JobStoreUnavailable")


def job_root(output_dir: Path, shared_dir: Path | None) -> Path:
    """``<Mounts:Shared>/jobs``, or ``<Mounts:Output>/jobs`` when no shared folder is set."""
    return (shared_dir if shared_dir is not None else output_dir) / "jobs"
