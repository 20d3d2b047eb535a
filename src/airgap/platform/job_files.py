"""Uploads that a job needs (an image, a PDF), kept beside the job store.

Too big for the job's JSON state, they are written atomically to
``<store>/blobs/<name>`` before the job is created, so that any replica that
claims the job can read them, and removed once the job has finished (its result
or its error published); the store's sweep removes those of jobs that expired
unfinished.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from airgap.platform.durable import write_atomic
from airgap.platform.jobs import JobClaim, JobFailure, JobRunner, JobStore, store_unavailable


def save(store: JobStore, data: bytes) -> str:
    store.blobs.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4()}.bin"
    write_atomic(store.blobs / name, data)
    return name


def load(store: JobStore, name: str) -> bytes | None:
    try:
        return (store.blobs / name).read_bytes()
    except FileNotFoundError:
        return None


def drop(store: JobStore, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (store.blobs / name).unlink()


async def load_for(claim: JobClaim, name: str) -> bytes | None:
    """The job's upload, or None after failing the job's single task because it is gone."""
    data = await asyncio.to_thread(load, claim.store, name)
    if data is None:
        await asyncio.to_thread(claim.fail_task, 0, JobFailure(
            "InternalServerError", "The uploaded file of this job is gone from the server's job folder; "
                                   "submit the file again."))
    return data


async def submit(jobs: JobRunner, *, service: str, handler: str, data: bytes, input: dict[str, Any],
                 task: dict[str, Any]) -> dict[str, Any]:
    """A one-task job whose upload is ``data``: the file first, then the job that names it
    (``input["blob"]``), so a runner never finds a job without its file; then wake the runner.
    A job folder that cannot be written is a 503 (``JobStoreUnavailable``)."""

    def create() -> dict[str, Any]:
        blob = save(jobs.store, data)
        try:
            return jobs.store.create(service=service, handler=handler, input={**input, "blob": blob}, tasks=[task])
        except BaseException:
            drop(jobs.store, blob)
            raise

    try:
        state = await asyncio.to_thread(create)
    except OSError as exc:
        raise store_unavailable(jobs.store, exc) from exc
    jobs.wake()
    return state
