"""Append-only, hash-chained JSON-lines journal of one instance, one file per UTC day, with group commit.

Layout: ``<instance dir>/<YYYY-MM-DD>.jsonl``. Every record carries ``seq`` and
``prev`` (the previous record's hash) and ``hash`` (sha256 of the canonical
record without ``hash``). ``seq`` and the chain run on across the instance's day
files in date order: a day's first record points at the previous file's last
one. So an edit, insertion or deletion, and the deletion of a whole day file,
breaks the chain at a nameable line.

Concurrent ``append`` calls are batched by one writer thread: one synchronous
write (``O_DSYNC``) resolves every waiter of the batch, which is what keeps
throughput up under load without ever answering before the record is on disk.
The caller chains and serialises its record while it enqueues it, so the writer
thread needs the GIL only to pick up a batch and to wake the waiters: on a busy
server every GIL hand-off to that thread is a wait for the request that is in
flight (docs/metering.md has the figures).
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from airgap.platform.durable import fsync_dir as _fsync_dir

GENESIS = "0" * 64
_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.jsonl")


class JournalFull(OSError):
    """The output volume has no room: records cannot be made durable."""


class JournalDamaged(Exception):
    """The last acknowledged record cannot be read, so the chain cannot be continued."""


def record_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _chained_line(rec: dict[str, Any], seq: int, prev: str) -> bytes:
    """Chain ``rec`` after ``prev`` and return its line: the canonical body (sorted keys) with
    ``hash`` last, so the hashed bytes are serialised once (``record_hash`` of the parsed line
    gives the same digest)."""
    rec["seq"], rec["prev"] = seq, prev
    rec.pop("hash", None)
    body = orjson.dumps(rec, option=orjson.OPT_SORT_KEYS)
    rec["hash"] = digest = hashlib.sha256(body).hexdigest()
    return b"%s,\"hash\":\"%s\"}\n" % (body[:-1], digest.encode())


def day_files(instance_dir: Path) -> list[Path]:
    """The instance's day files in chain order (ISO dates sort as text)."""
    return sorted(p for p in Path(instance_dir).glob("*.jsonl") if _DAY_FILE.fullmatch(p.name))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _cut_torn_tail(path: Path) -> None:
    """Set aside an unterminated last line (a crash mid-write: never acknowledged)."""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end == len(data):
        return
    side = path.with_name(f"{path.name}.torn-{_utc_now():%Y%m%dT%H%M%S%f}")
    side.write_bytes(data[end:])  # kept for the audit trail
    with open(path, "r+b") as f:
        f.truncate(end)
        os.fsync(f.fileno())


def _recover(instance_dir: Path) -> tuple[str, int, date | None]:
    """(last hash, next seq, newest day) of the chain already on disk."""
    files = day_files(instance_dir)
    if not files:
        return GENESIS, 0, None
    _cut_torn_tail(files[-1])
    newest = date.fromisoformat(files[-1].stem)
    for path in reversed(files):  # a day file can be empty (created, then the disk was full)
        lines = path.read_bytes().splitlines()
        if lines:
            try:
                last = orjson.loads(lines[-1])
                return last["hash"], last["seq"] + 1, newest
            except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                raise JournalDamaged(f"the last record of {path} is not a usage record ({exc}); "
                                     "run 'airgap records verify' and restore the file") from exc
    return GENESIS, 0, newest


Waiter = Future | asyncio.Future
Outcome = tuple[Waiter, dict[str, Any] | None, BaseException | None]


class _Queued:
    """A record chained at enqueue time, waiting for the writer."""
    __slots__ = ("rec", "day", "fut", "line")

    def __init__(self, rec: dict[str, Any], day: date, fut: Waiter, line: bytes) -> None:
        self.rec, self.day, self.fut, self.line = rec, day, fut, line


def _settle(outcomes: list[Outcome]) -> None:
    for fut, rec, err in outcomes:
        if fut.cancelled():
            continue  # the client went away; its record is on disk all the same
        if err is None:
            fut.set_result(rec)
        else:
            fut.set_exception(err)


def _resolve(outcomes: list[Outcome]) -> None:
    """From the writer thread: one wake-up per event loop for the whole batch."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
    for outcome in outcomes:
        if isinstance(outcome[0], asyncio.Future):
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        else:
            _settle([outcome])
    for loop, items in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, items)
        except RuntimeError:
            pass  # that loop is closed: nobody is waiting any more


class Journal:
    """One instance's chain. ``clock`` (UTC-aware datetimes) and ``write`` (``os.write``)
    are injectable so that tests can cross midnight and fill the disk."""

    def __init__(self, instance_dir: Path, *, fsync: bool = True, group: bool = True,
                 clock: Callable[[], datetime] = _utc_now,
                 write: Callable[[int, memoryview], int] = os.write,
                 on_commit: Callable[[int], None] | None = None) -> None:
        self.dir = Path(instance_dir)
        if not self.dir.is_dir():
            self.dir.mkdir(parents=True)
            _fsync_dir(self.dir.parent)
        self._prev, self._seq, newest = _recover(self.dir)  # the durable head of the chain
        self._fd: int | None = None
        self._day: date | None = None
        self._size = 0  # bytes of acknowledged records in the open file
        self._dirty = False  # a failed write may have left bytes past ``_size``
        self._fsync, self._group = fsync, group
        if newest is not None:
            self._roll(newest)
        self._clock, self._write, self._on_commit = clock, write, on_commit
        self._cond = threading.Condition()
        self._pending: list[_Queued] = []
        # The head of the chain including queued records (guarded by ``_cond``); it runs ahead
        # of the durable head and is set back to it when a write fails.
        self._qprev, self._qseq, self._qday = self._prev, self._seq, self._day
        self._closed = False
        self.fsyncs = 0
        self._thread = threading.Thread(target=self._run, name="usage-journal", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path | None:
        """The file being appended to (None before the first record)."""
        return self.dir / f"{self._day.isoformat()}.jsonl" if self._day else None

    # -- public ------------------------------------------------------------
    def submit(self, fields: dict[str, Any], *, time: datetime | None = None) -> Future:
        fut: Future = Future()
        self._enqueue(fields, time, fut)
        return fut

    def append_sync(self, fields: dict[str, Any], *, time: datetime | None = None) -> dict:
        return self.submit(fields, time=time).result()

    async def append(self, fields: dict[str, Any], *, time: datetime | None = None) -> dict:
        # An asyncio future, not a wrapped concurrent one: the writer then wakes each
        # event loop once per batch instead of once per record.
        fut = asyncio.get_running_loop().create_future()
        self._enqueue(fields, time, fut)
        return await fut

    def _enqueue(self, fields: dict[str, Any], time: datetime | None, fut: Waiter) -> None:
        rec = dict(fields)
        with self._cond:
            if self._closed:
                raise RuntimeError("journal closed")
            # Stamped and chained under the lock so that the queue is in time and chain order.
            when = self._clock() if time is None else time.astimezone(timezone.utc)  # the clock gives UTC
            rec["time"] = when.isoformat()
            # A record never goes to a file older than the newest one (a clock stepping back),
            # so files stay in chain order.
            day = max(self._qday, when.date()) if self._qday else when.date()
            line = _chained_line(rec, self._qseq, self._qprev)
            self._qprev, self._qseq, self._qday = rec["hash"], self._qseq + 1, day
            self._pending.append(_Queued(rec, day, fut, line))
            if len(self._pending) == 1:
                self._cond.notify()  # the writer sleeps only on an empty queue

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

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

    def _commit(self, batch: list[_Queued]) -> None:
        segments: list[list[_Queued]] = []
        for item in batch:
            if not segments or segments[-1][0].day != item.day:
                segments.append([])
            segments[-1].append(item)
        for i, items in enumerate(segments):
            try:
                self._commit_segment(items)
            except OSError as exc:
                err = JournalFull(exc.errno, exc.strerror) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc
                self._rechain_pending()
                _resolve([(item.fut, None, err) for later in segments[i:] for item in later])
                return

    def _rechain_pending(self) -> None:
        """After a failed write: what is still queued was chained onto records that never reached
        the disk; chain it again from the durable head."""
        with self._cond:
            prev, seq, day = self._prev, self._seq, self._day
            for item in self._pending:
                day = max(day, item.day) if day else item.day
                item.day, item.line = day, _chained_line(item.rec, seq, prev)
                prev, seq = item.rec["hash"], seq + 1
            self._qprev, self._qseq, self._qday = prev, seq, day

    def _commit_segment(self, items: list[_Queued]) -> None:
        if self._dirty:
            self._repair()
        if items[0].day != self._day:
            self._roll(items[0].day)
        lines = b"".join(item.line for item in items)
        data = memoryview(lines)
        try:
            while data:  # a full disk can take part of a write before refusing the rest
                data = data[self._write(self._fd, data):]
            if self._fsync:
                self.fsyncs += 1  # O_DSYNC: the write returned once the data was on disk
        except OSError:
            # Cut the partial write so the file stays a valid chain; the durable head is
            # not advanced, so the next batch continues from ``_size``.
            self._dirty = True
            try:
                self._repair()
            except OSError:
                pass  # retried before the next write
            raise
        self._size += len(lines)
        self._prev, self._seq = items[-1].rec["hash"], items[-1].rec["seq"] + 1
        if self._on_commit is not None:
            self._on_commit(len(items))
        _resolve([(item.fut, item.rec, None) for item in items])

    def _repair(self) -> None:
        os.ftruncate(self._fd, self._size)
        os.fsync(self._fd)
        self._dirty = False

    def _roll(self, day: date) -> None:
        path = self.dir / f"{day.isoformat()}.jsonl"
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_DSYNC if self._fsync else 0)
        fd = os.open(path, flags, 0o644)
        try:
            _fsync_dir(self.dir)
        except OSError:
            os.close(fd)
            raise
        if self._fd is not None:
            os.close(self._fd)
        self._fd, self._day, self._size = fd, day, os.fstat(fd).st_size
