"""Append-only, hash-chained JSON-lines journal with group commit.

Every record carries ``prev`` (the previous record's hash) and ``hash``
(sha256 of the canonical record without ``hash``), so an edit, insertion or
deletion breaks the chain at a nameable line. Concurrent ``append`` calls are
batched by one writer thread: one write + one fsync resolves every waiter of
the batch, which is what keeps throughput up under load without ever
answering before the record is on disk.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import threading
from concurrent.futures import Future
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

GENESIS = "0" * 64


class JournalFull(OSError):
    """The output volume has no room: records cannot be made durable."""


def record_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _recover(path: Path) -> tuple[str, int]:
    """Drop a torn last line (a crash mid-write) and return (last hash, next seq)."""
    if not path.exists():
        return GENESIS, 0
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):  # unterminated tail: never acknowledged, so safe to cut
        # Set the torn bytes aside (for the audit trail) before cutting them off.
        side = path.with_name(f"{path.name}.torn-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}")
        side.write_bytes(data[end:])
        with open(path, "r+b") as f:
            f.truncate(end)
            os.fsync(f.fileno())
        data = data[:end]
    lines = data.splitlines()
    if not lines:
        return GENESIS, 0
    last = orjson.loads(lines[-1])
    return last["hash"], last["seq"] + 1


class Journal:
    def __init__(self, path: Path, *, fsync: bool = True, group: bool = True,
                 opener=open) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._prev, self._seq = _recover(self.path)
        self._file = opener(self.path, "ab")
        self._fsync = fsync
        self._group = group
        self._cond = threading.Condition()
        self._pending: list[tuple[dict[str, Any], Future]] = []
        self._closed = False
        self.fsyncs = 0
        self._thread = threading.Thread(target=self._run, name="usage-journal", daemon=True)
        self._thread.start()

    # -- public ------------------------------------------------------------
    def submit(self, fields: dict[str, Any], *, time: datetime | None = None) -> Future:
        fut: Future = Future()
        rec = dict(fields)
        rec["time"] = (time or datetime.now(timezone.utc)).isoformat()
        with self._cond:
            if self._closed:
                raise RuntimeError("journal closed")
            self._pending.append((rec, fut))
            self._cond.notify()
        return fut

    def append_sync(self, fields: dict[str, Any], *, time: datetime | None = None) -> dict:
        return self.submit(fields, time=time).result()

    async def append(self, fields: dict[str, Any], *, time: datetime | None = None) -> dict:
        return await asyncio.wrap_future(self.submit(fields, time=time))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()
        self._file.close()

    # -- writer thread ---------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                if self._group:
                    batch, self._pending = self._pending, []
                else:
                    batch = [self._pending.pop(0)]
            self._commit(batch)

    def _commit(self, batch: list[tuple[dict[str, Any], Future]]) -> None:
        prev, seq = self._prev, self._seq
        lines = []
        for rec, _ in batch:
            rec["seq"], rec["prev"] = seq, prev
            rec["hash"] = prev = record_hash(rec)
            seq += 1
            lines.append(orjson.dumps(rec) + b"\n")
        pos = self._file.tell()
        try:
            self._file.write(b"".join(lines))
            self._file.flush()
            if self._fsync:
                os.fsync(self._file.fileno())
                self.fsyncs += 1
        except OSError as exc:
            # Undo a partial write so the file stays a valid chain; the chain
            # state is not advanced, so the next batch continues from ``pos``.
            try:
                self._file.truncate(pos)
                self._file.seek(pos)
            except (OSError, ValueError):
                pass
            err = JournalFull(exc.errno, str(exc)) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc
            for _, fut in batch:
                fut.set_exception(err)
            return
        self._prev, self._seq = prev, seq
        for rec, fut in batch:
            fut.set_result(rec)
