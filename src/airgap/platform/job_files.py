"""Uploads that a job needs (an image, a PDF), kept beside the job store.

Too big for the job's JSON state, they are written atomically to
``<store>/blobs/<name>`` before the job is created, so that any replica that
claims the job can read them, and removed once the job's result is published.
"""

from __future__ import annotations

import contextlib
import uuid

from airgap.platform.jobs import JobStore, write_atomic


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
