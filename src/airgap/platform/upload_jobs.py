"""The upload-job template: one file in, one task, one result.

Vision Read 3.2 ``analyze`` and Document Intelligence ``:analyze`` are the same operation
around different work, so both go through here:

- **submit** (``UploadJobs.submit``): read the upload (``uploads.read_input``: raw bytes,
  ``base64Source`` or a fetched ``url``) → check it (a broken file is a 400 now, never a failed
  job later) → keep it beside the job (``job_files``) → create the one-task job → **202** with
  ``Operation-Location``. A job folder that cannot be written is a 503.
- **run** (``UploadJobs.run``, from the kind's handler): load the file → the work (in the
  kind's worker processes) → bill what it metered → publish the result, or the task's
  ``JobFailure`` → drop the file.
- **poll** (``UploadJobs.find`` + ``UploadJobs.poll``): ``{status, createdDateTime,
  lastUpdatedDateTime}`` plus ``analyzeResult`` once succeeded, and, where the API has one,
  ``error`` once failed (in the service's dialect); ``Retry-After: 1`` until finished.

The wire details that differ (paths, extra headers, what "not found" says) stay with each API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response

from airgap.platform import job_files
from airgap.platform.context import RequestContext
from airgap.platform.errors import Dialect
from airgap.platform.jobs import JobClaim, JobFailure, render_job_error
from airgap.platform.responses import JSONResponse
from airgap.platform.uploads import read_input

if TYPE_CHECKING:
    from airgap.platform.runtime import Runtime

# The job's status as the operation APIs spell it (notStarted, running, succeeded, failed).
OPERATION_STATUS = {"notStarted": "notStarted", "running": "running", "cancelling": "running",
                    "succeeded": "succeeded", "partiallyCompleted": "failed", "failed": "failed",
                    "cancelled": "failed"}

# What the work returns: the task's result (plain JSON) and its usage, meter name -> units.
Work = Callable[[bytes], Awaitable[tuple[Any, Mapping[str, int]]]]


@dataclass(frozen=True)
class UploadJobs:
    """The upload jobs of one API: the service and handler (job kind) they carry, and the
    name of their single task (also the last part of their usage records' request id)."""

    runtime: Runtime
    service: str
    handler: str
    task: str

    # -- submit ------------------------------------------------------------------------------
    async def submit(self, request: Request, *, kind: str, input: dict[str, Any],
                     check: Callable[[bytes], object] | None, location: Callable[[str], str],
                     headers: Mapping[str, str] | None = None) -> Response:
        """Accept the request's file as a new job: 202 with ``Operation-Location: location(jobId)``.

        ``check(data)`` runs in the inference threads and raises the ``BadRequest`` of a file
        that cannot be read; ``input`` is what the handler needs besides the file."""
        data = await read_input(request, self.runtime.settings)
        if check is not None:
            await self.runtime.pool.run("document-decoder", check, data)
        state = await job_files.submit(self.runtime.jobs, service=self.service, handler=self.handler, data=data,
                                       input=input, task={"name": self.task, "kind": kind})
        return Response(status_code=202,
                        headers={"Operation-Location": location(state["jobId"]), **(headers or {})})

    # -- run ---------------------------------------------------------------------------------
    async def run(self, claim: JobClaim, work: Work) -> None:
        """Run an upload job's task: ``work(data)`` gives the result and its usage; any exception
        it raises fails the task as a ``JobFailure`` (internal ones only logged)."""
        blob = claim.input["blob"]
        data = await job_files.load_for(claim, blob)
        if data is None:
            return
        try:
            result, meters = await work(data)
        except Exception as exc:
            await asyncio.to_thread(claim.fail_task, 0, JobFailure.of(exc, f"Job {claim.job_id} ({self.handler})"))
        else:
            usage = RequestContext(request_id=f"{claim.job_id}/{self.task}", service=self.service)
            for meter, units in meters.items():
                usage.meter(meter, units)
            await claim.complete_task(0, result, usage)
        # Settled (result or error published): the file is no longer needed. A server stopped
        # before this point leaves it for the runner that re-claims the job.
        await asyncio.to_thread(job_files.drop, claim.store, blob)

    # -- poll --------------------------------------------------------------------------------
    async def find(self, job_id: str, kind: str | None = None) -> dict[str, Any] | None:
        """The job, if it is one of these (and of ``kind``, when given) and not expired."""
        state = await asyncio.to_thread(self.runtime.jobs.store.get, job_id)
        if state is None or state.get("handler") != self.handler:
            return None
        if kind is not None and state["tasks"][0]["kind"] != kind:
            return None
        return state

    def poll(self, state: dict[str, Any], error_dialect: Dialect | None) -> JSONResponse:
        """The operation's state; with ``error_dialect``, a failed one carries ``error`` written in it."""
        status = OPERATION_STATUS.get(state["status"], "running")
        body: dict[str, Any] = {"status": status, "createdDateTime": state["createdDateTime"],
                                "lastUpdatedDateTime": state["lastUpdatedDateTime"]}
        if status == "succeeded":
            body["analyzeResult"] = state["tasks"][0]["results"]
        elif status == "failed" and error_dialect is not None:
            stored = (state.get("errors") or [JobFailure.internal().to_json()])[0]
            error = render_job_error(stored, error_dialect)
            body["error"] = {k: v for k, v in error.items() if k in ("code", "message", "innererror")}
        headers = {} if status in ("succeeded", "failed") else {"Retry-After": "1"}
        return JSONResponse(body, headers=headers)
