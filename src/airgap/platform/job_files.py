"""Uploads that a job needs (an image, a PDF), kept beside the job store.

Too big for the job's JSON state, they are written atomically to
``<store>/blobs/<name>`` before the job is created, so that any replica that
claims the job can read them, and removed once the job's result is published.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from airgap.platform.durable import write_atomic
from airgap.platform.jobs import JobClaim, JobRunner, JobStore


def save(store: JobStore, data: bytes) -> str:
    folder = store.root / "blobs"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4()}.bin"
    write_atomic(folder / name, data)
    return name


def load(store: JobStore, name: str) -> bytes | None:
    try:
        return (store.root / "blobs" / name).read_bytes()
    except FileNotFoundError:
        return None


def drop(store: JobStore, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        (store.root / "blobs" / name).unlink()


async def load_for(claim: JobClaim, name: str) -> bytes | None:
    """The job's upload, or None after failing the job's single task because it is gone."""
    data = await asyncio.to_thread(load, claim.store, name)
    if data is None:
        await asyncio.to_thread(claim.fail_task, 0, {"code": "InternalServerError",
                                                     "message": "The uploaded file of this job is gone."})
    return data


async def submit(jobs: JobRunner, *, service: str, handler: str, data: bytes, input: dict[str, Any],
                 task: dict[str, Any]) -> dict[str, Any]:
    """A one-task job whose upload is ``data``: the file first, then the job that names it
    (``input["blob"]``), so a runner never finds a job without its file; then wake the runner."""

    def create() -> dict[str, Any]:
        blob = save(jobs.store, data)
        return jobs.store.create(service=service, handler=handler, input={**input, "blob": blob}, tasks=[task])

    state = await asyncio.to_thread(create)
    jobs.wake()
    return state
